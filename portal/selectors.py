"""Reads of the core, scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from portal.models import Invitation, Membership, Organisation, Role, User
from portal.tenancy import get_visible_or_404, memberships_read, require


def organisation_list(*, user: Any, kind: str | None = None) -> QuerySet[Organisation]:
    # Counted per row shown (a subquery), not grouped over every organisation before the page
    # is cut: the project team's list holds thousands.
    members = (
        Membership.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Organisation.objects.visible_to(user).annotate(member_count=Coalesce(Subquery(members), 0))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "name")


def organisation_get_for_user(*, user: Any, slug: str) -> Organisation:
    """The organisation with this slug if ``user`` may see it; 404 otherwise."""
    return get_visible_or_404(Organisation.objects.all(), user, slug=slug)


def membership_for(*, user: Any, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    read = memberships_read(user)
    if read is not None:  # a read-only request read them already (decision 0036)
        return next((m for m in read if m.organisation_id == organisation.pk), None)
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .select_related("organisation")
        .first()
    )


def is_project_team_editor(*, user: Any) -> bool:
    """Project-team admins and editors run the programme; project-team viewers only read."""
    return bool(
        user.is_authenticated
        and user.is_project_team
        and user.project_team_roles & {Role.ADMIN, Role.EDITOR}
    )


def require_project_team_editor(actor: User) -> None:
    """403 unless the actor may change what the project team runs (a service's first check)."""
    require(lambda: is_project_team_editor(user=actor))


def can_manage_members(*, user: Any, organisation: Organisation) -> bool:
    """Organisation admins manage their own people; project-team editors manage anyone's."""
    if not user.is_authenticated:
        return False
    if is_project_team_editor(user=user):
        return True
    membership = membership_for(user=user, organisation=organisation)
    return membership is not None and membership.is_admin


def organisation_get_for_management(*, user: Any, slug: str) -> Organisation:
    """404 if the user cannot see the organisation, 403 if they may see it but not manage it."""
    organisation = organisation_get_for_user(user=user, slug=slug)
    require(lambda: can_manage_members(user=user, organisation=organisation))
    return organisation


def member_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def invitation_list(*, organisation: Organisation) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation=organisation)
        .pending()
        .select_related("invited_by")
        .order_by("-created_at")
    )


def user_memberships(*, user: Any) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def membership_get_own(*, user: Any, organisation_public_id: Any) -> Membership:
    """One of the user's own memberships; 404 for any organisation they do not belong to."""
    return get_visible_or_404(
        Membership.objects.filter(user=user).select_related("organisation"),
        user,
        organisation__public_id=organisation_public_id,
    )


def user_with_memberships(*, user: Any) -> Any:
    from django.contrib.auth import get_user_model
    from django.db.models import Prefetch

    return (
        get_user_model()
        .objects.prefetch_related(Prefetch("memberships", queryset=user_memberships(user=user)))
        .get(pk=user.pk)
    )
