"""Which organisation a user is acting for. A user with several organisations switches.

The choice lives in the session and picks the dashboard and defaults, never permissions:
those are always checked against all of the user's memberships."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from portal.models import Membership
from portal.selectors import user_memberships

SESSION_KEY = "active_organisation"


def memberships_of(request: HttpRequest) -> list[Membership]:
    """The user's memberships, loaded once per request."""
    if not hasattr(request, "_portal_memberships"):
        user: Any = request.user
        request._portal_memberships = list(  # type: ignore[attr-defined]
            user_memberships(user=user).order_by("organisation__name")
        )
    return request._portal_memberships  # type: ignore[attr-defined]


def active_membership(request: HttpRequest) -> Membership | None:
    memberships = memberships_of(request)
    if not memberships:
        return None
    wanted = request.session.get(SESSION_KEY)
    for membership in memberships:
        if str(membership.organisation.public_id) == wanted:
            return membership
    return memberships[0]


def set_active_organisation(request: HttpRequest, membership: Membership) -> None:
    request.session[SESSION_KEY] = str(membership.organisation.public_id)
