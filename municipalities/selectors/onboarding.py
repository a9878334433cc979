"""Reads of onboarding: finding a buying organisation to join, and the requests to join a
person may decide."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from municipalities.models import OrganisationJoinRequest
from portal.models import Membership, Organisation, Role
from portal.selectors import is_project_team_editor

# A search answers at most this many organisations: the register has hundreds of them (and
# thousands in the benchmarks), the page shows the first ones and asks for a sharper search.
SEARCH_LIMIT = 20
MIN_QUERY = 2
MAX_QUERY = 100
_CBS = re.compile(r"(?:GM)?\s*(\d{1,4})", re.IGNORECASE)


def organisation_search(*, query: str) -> list[Organisation]:
    """Active buying organisations whose name contains ``query``, or the municipality with the
    CBS code ``query`` ("GM0355" or "355"). At most SEARCH_LIMIT (+1, so the page can say
    there are more)."""
    query = " ".join(query.split())[:MAX_QUERY]
    if len(query) < MIN_QUERY:
        return []
    condition = Q(name__icontains=query)
    code = _CBS.fullmatch(query)
    if code:
        condition |= Q(municipality__cbs_code=f"GM{int(code.group(1)):04d}")
    qs = (
        Organisation.objects.filter(
            condition,
            is_active=True,
            kind__in=[
                Organisation.Kind.MUNICIPALITY,
                Organisation.Kind.JOINT_BODY,
                Organisation.Kind.OTHER_AUTHORITY,
            ],
        )
        .select_related("municipality")
        .order_by("name")
    )
    return list(qs[: SEARCH_LIMIT + 1])


def own_join_requests(*, user: Any) -> QuerySet[OrganisationJoinRequest]:
    return OrganisationJoinRequest.objects.filter(user=user).select_related("organisation")


def decidable_join_requests(*, user: Any) -> QuerySet[OrganisationJoinRequest]:
    """The waiting requests ``user`` may decide: those for organisations they administer, and
    for the project team's editors every one (those of organisations without an administrator
    first)."""
    pending = OrganisationJoinRequest.objects.filter(
        status=OrganisationJoinRequest.Status.PENDING
    ).select_related("organisation", "organisation__municipality", "user")
    admins = Membership.objects.filter(
        organisation=OuterRef("organisation"), role=Role.ADMIN, user__is_active=True
    )
    pending = pending.annotate(has_admin=Exists(admins))
    if is_project_team_editor(user=user):
        return pending.order_by("has_admin", "created_at")
    administered = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
    return pending.filter(organisation_id__in=administered).order_by("created_at")


def decidable_join_request_get(*, user: Any, public_id: Any) -> OrganisationJoinRequest:
    from django.http import Http404

    join_request = decidable_join_requests(user=user).filter(public_id=public_id).first()
    if join_request is None:
        raise Http404
    return join_request
