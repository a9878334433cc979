"""Reads of programmes and their timeline, scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.http import Http404

from portal.selectors import is_project_team_editor
from portal.tenancy import get_visible_or_404, require
from tenders.models import (
    Milestone,
    Programme,
)


def programme_list(*, user) -> QuerySet[Programme]:
    return Programme.objects.visible_to(user).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_at"))
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
