"""Reads of programmes and their timeline, scoped to the viewer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from portal.selectors import is_project_team_editor
from portal.tenancy import get_visible_or_404, require
from tenders.models import (
    Milestone,
    Programme,
)


def programme_list(*, user) -> QuerySet[Programme]:
    # The tender (one join) links the public tender page once published.
    return (
        Programme.objects.visible_to(user)
        .select_related("tender")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_at")))
    )


def programme_get_for_user(*, user: Any, slug: str) -> Programme:
    """A programme anyone may see (drafts: the project team only); 404 otherwise."""
    return get_visible_or_404(programme_list(user=user), user, slug=slug)


def can_change_programme(*, user: Any) -> bool:
    """Project-team admins and editors change a programme; project-team viewers only read."""
    return getattr(user, "is_authenticated", False) and is_project_team_editor(user=user)


def programme_get_for_project_team(*, user: Any, slug: str) -> Programme:
    """The programme for the project team's own pages: 404 for everyone outside it."""
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404
    return programme_get_for_user(user=user, slug=slug)


def milestone_get_for_change(*, user: Any, programme_slug: str, kind: str) -> Milestone:
    """404 outside the project team (and for an unknown milestone), 403 for its viewers."""
    programme = programme_get_for_project_team(user=user, slug=programme_slug)
    milestone = next((m for m in programme.milestones.all() if m.kind == kind), None)
    if milestone is None:
        raise Http404
    require(lambda: can_change_programme(user=user))
    milestone.programme = programme
    return milestone


# --- Phase -----------------------------------------------------------------------------------

S = Programme.Status
K = Milestone.Kind
# Kept as stored: a draft is not announced, and the publication and award are actions the
# portal does not record yet.
STORED_PHASES = (S.DRAFT, S.PUBLISHED, S.AWARDED)


@dataclass(frozen=True)
class ProgrammePhase:
    """Where a programme stands: joining → inventory → consultation → frozen → published →
    awarded (before joining opens: preparation), and the next milestone ahead."""

    key: str
    label: str
    next_milestone: Milestone | None


def _phase_key(programme: Programme, at: dict[str, datetime], now: datetime) -> str:
    if programme.status in STORED_PHASES:
        return programme.status
    if programme.frozen_at is not None:
        return S.FROZEN
    start, end = at.get(K.CONSULTATION_START), at.get(K.CONSULTATION_END)
    if start is not None and start <= now and (end is None or now < end):
        return S.CONSULTATION
    opens, deadline = at.get(K.JOINING_OPENS), at.get(K.JOINING_DEADLINE)
    if opens is not None and now < opens:
        return S.PREPARATION
    if deadline is not None:
        return S.JOINING if now < deadline else S.INVENTORY
    if opens is not None:
        return S.JOINING
    if at.get(K.DEMAND_DEADLINE) is not None:
        return S.INVENTORY
    return S.PREPARATION


def programme_phase(programme: Programme, now: datetime | None = None) -> ProgrammePhase:
    """The phase derived from the milestones and what was done (frozen = ``frozen_at`` set).
    Reads the programme's milestones through ``milestones.all()``, so a prefetched list costs
    no query."""
    now = now or timezone.now()
    milestones = sorted(programme.milestones.all(), key=lambda m: m.due_at)
    key = _phase_key(programme, {m.kind: m.due_at for m in milestones}, now)
    upcoming = next((m for m in milestones if m.due_at > now), None)
    return ProgrammePhase(key=key, label=str(S(key).label), next_milestone=upcoming)
