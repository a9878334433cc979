"""Reads of the points from the 1-on-1 talks: the project team's only (the approved ones reach
everyone through the anonymised report)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from consultations.models import Consultation, TalkFinding
from portal.tenancy import get_visible_or_404


def _require_project_team(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404


def talk_findings_for_project_team(
    *, user: Any, consultation: Consultation
) -> QuerySet[TalkFinding]:
    """Every point of the consultation, oldest first, with who wrote and approved it."""
    _require_project_team(user)
    return (
        TalkFinding.objects.visible_to(user)
        .filter(consultation=consultation)
        .select_related("written_by", "reviewed_by")
        .order_by("written_at", "pk")
    )


def talk_finding_get(*, user: Any, consultation: Consultation, public_id: Any) -> TalkFinding:
    """One point for the project team; 404 for everyone else."""
    _require_project_team(user)
    return get_visible_or_404(
        TalkFinding.objects.select_related("written_by", "reviewed_by"),
        user,
        consultation=consultation,
        public_id=public_id,
    )
