"""Which organisation a user is acting for. A user with several organisations switches.

The choice lives in the session and picks the dashboard and defaults, never permissions:
those are always checked against all of the user's memberships."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from portal.models import Membership, Organisation
from portal.selectors import user_memberships
from portal.tenancy import remember_memberships, unwrapped

SESSION_KEY = "active_organisation"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def memberships_of(request: HttpRequest) -> list[Membership]:
    """The user's memberships, loaded once per request. They also answer whether the user is
    in the project team and with which roles, and the user's role in each organisation
    (``User.is_project_team``, ``User.project_team_roles``, ``User.roles_by_organisation``),
    so that the request asks no second time."""
    if not hasattr(request, "_portal_memberships"):
        user: Any = request.user
        memberships = list(
            user_memberships(user=user)
            .annotate(user_has_totp=Exists(_totp_of(OuterRef("user_id"))))
            .order_by("organisation__name")
        )
        request._portal_memberships = memberships  # type: ignore[attr-defined]
        if memberships:
            # The same read answers whether the user set up a second factor (the middleware
            # asks it of every project-team page): one query instead of two.
            request._portal_has_mfa = memberships[0].user_has_totp  # type: ignore[attr-defined]
        if user.is_authenticated:
            # request.user is a lazy object: prime the cached property on the user it wraps
            # (the same answer as the property's own query).
            target = unwrapped(user)
            roles = frozenset(
                m.role for m in memberships if m.organisation.kind == Organisation.Kind.PROJECT_TEAM
            )
            target.__dict__.setdefault("is_project_team", bool(roles))
            target.__dict__.setdefault("project_team_roles", roles)
            target.__dict__.setdefault(
                "roles_by_organisation", {m.organisation_id: m.role for m in memberships}
            )
            if request.method in SAFE_METHODS:
                # A read-only request changes no membership: the scoping of its queries may
                # name these organisations instead of asking again in a subquery, and what
                # asks for a membership of a kind may look here.
                remember_memberships(target, memberships)
    return request._portal_memberships  # type: ignore[attr-defined]


def _totp_of(user: Any) -> QuerySet:
    """The user's TOTP authenticator (``user`` may be an ``OuterRef``)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)


def request_has_mfa(request: HttpRequest) -> bool:
    """Whether the request's user set up TOTP, asked once per request (the middleware and the
    dashboard both need it); known already when the memberships were read."""
    if not hasattr(request, "_portal_has_mfa"):
        request._portal_has_mfa = _totp_of(request.user).exists()  # type: ignore[attr-defined]
    return request._portal_has_mfa  # type: ignore[attr-defined]


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
