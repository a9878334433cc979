"""Which organisation a user is acting for. A user with several organisations switches."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Membership

SESSION_KEY = "active_organisation"


def active_membership(request: HttpRequest) -> Membership | None:
    user: Any = request.user
    if not user.is_authenticated:
        return None
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if not memberships:
        return None
    wanted = request.session.get(SESSION_KEY)
    for membership in memberships:
        if str(membership.organisation.public_id) == wanted:
            return membership
    return memberships[0]


def set_active_organisation(request: HttpRequest, membership: Membership) -> None:
    request.session[SESSION_KEY] = str(membership.organisation.public_id)
