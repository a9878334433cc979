"""Reads of the municipalities app, scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from portal.models import Membership, Organisation, Role
from portal.selectors import is_project_team_editor
from portal.tenancy import get_visible_or_404

from .models import (
    ContactPerson,
    CoveredMunicipality,
    MandateDocument,
    MandateSignature,
    Municipality,
    Participation,
)


def _role_in(*, user: Any, organisation: Organisation, roles: tuple[str, ...]) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation=organisation, role__in=roles).exists()
    )


def can_join_for(*, user: Any, organisation: Organisation) -> bool:
    """Editors and admins of a municipality or joint body register its participation."""
    return organisation.is_buyer and _role_in(
        user=user, organisation=organisation, roles=(Role.ADMIN, Role.EDITOR)
    )


def can_edit_participation(*, user: Any, participation: Participation) -> bool:
    return _role_in(
        user=user, organisation=participation.organisation, roles=(Role.ADMIN, Role.EDITOR)
    )


def can_decide_participation(*, user: Any) -> bool:
    return is_project_team_editor(user=user)


def municipalities_available_to(*, organisation: Organisation) -> QuerySet[Municipality]:
    """A municipality joins for itself; a joint body for the municipalities it acts for."""
    if organisation.kind == Organisation.Kind.MUNICIPALITY:
        return Municipality.objects.filter(organisation=organisation)
    if organisation.kind == Organisation.Kind.JOINT_BODY:
        return Municipality.objects.filter(joint_bodies__joint_body=organisation).order_by("name")
    return Municipality.objects.none()


def covered_elsewhere(
    *, participation: Participation, municipalities: list[Municipality]
) -> list[tuple[Municipality, Organisation]]:
    """Which of these municipalities another active participation of the programme covers."""
    rows = (
        CoveredMunicipality.objects.filter(
            programme_id=participation.programme_id,
            municipality__in=municipalities,
            is_active=True,
        )
        .exclude(participation=participation)
        .select_related("municipality", "participation__organisation")
    )
    return [(row.municipality, row.participation.organisation) for row in rows]


def participation_queryset() -> QuerySet[Participation]:
    return Participation.objects.select_related("programme", "organisation").prefetch_related(
        Prefetch(
            "covered",
            queryset=CoveredMunicipality.objects.filter(is_active=True).select_related(
                "municipality"
            ),
        ),
        Prefetch("contacts", queryset=ContactPerson.objects.order_by("kind")),
        "lots",
        "programme__milestones",
        Prefetch("mandate_documents", queryset=MandateDocument.objects.order_by("-version")),
        Prefetch("mandate_signatures", queryset=MandateSignature.objects.order_by("-signed_at")),
    )


def participation_get_for_user(*, user: Any, public_id: Any) -> Participation:
    """404 for anyone who is neither a member of the participant nor in the project team."""
    return get_visible_or_404(participation_queryset(), user, public_id=public_id)


def participation_list(*, user: Any) -> QuerySet[Participation]:
    return participation_queryset().visible_to(user).order_by("-created_at")


def participation_for_organisation(
    *, organisation: Organisation, programme_id: int
) -> Participation | None:
    return (
        participation_queryset()
        .filter(organisation=organisation, programme_id=programme_id)
        .active()
        .first()
    )
