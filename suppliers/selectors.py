"""Reads of the suppliers app, scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from portal import competition
from portal.models import Membership, Organisation
from portal.selectors import organisation_get_for_management
from suppliers.models import JoinRequest, SupplierProfile


def user_supplier_membership(*, user: Any) -> Membership | None:
    """The user's membership of a supplier, if any (a person registers one company)."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, organisation__kind=Organisation.Kind.SUPPLIER)
        .select_related("organisation")
        .first()
    )


def user_has_buyer_or_team_membership(*, user: Any) -> bool:
    return not competition.may_join(user=user, kind=Organisation.Kind.SUPPLIER)


def supplier_find_existing(
    *, kvk_number: str | None, country: str, foreign_registration_number: str
) -> SupplierProfile | None:
    """The already registered company with this KvK number (or, abroad, with this
    registration number in this country)."""
    profiles = SupplierProfile.objects.select_related("organisation")
    if kvk_number:
        return profiles.filter(kvk_number=kvk_number).first()
    if foreign_registration_number:
        return profiles.filter(
            country=country, foreign_registration_number__iexact=foreign_registration_number
        ).first()
    return None


def supplier_get_for_management(*, user: Any, slug: str) -> Organisation:
    """A supplier the user may manage: 404 if they cannot see it (or it is no supplier),
    403 if they are a member but not an admin."""
    organisation = organisation_get_for_management(user=user, slug=slug)
    if organisation.kind != Organisation.Kind.SUPPLIER:
        raise Http404
    return organisation


def join_request_list(*, organisation: Organisation) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(organisation=organisation, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def join_request_get_pending(*, organisation: Organisation, public_id: Any) -> JoinRequest:
    join_request = join_request_list(organisation=organisation).filter(public_id=public_id).first()
    if join_request is None:
        raise Http404
    return join_request


def join_request_get_own(*, user: Any, public_id: Any) -> JoinRequest:
    join_request = (
        JoinRequest.objects.filter(user=user, public_id=public_id)
        .select_related("organisation")
        .first()
        if user.is_authenticated
        else None
    )
    if join_request is None:
        raise Http404
    return join_request
