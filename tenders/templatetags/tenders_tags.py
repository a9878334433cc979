"""Template helpers of the tenders app: the programme's phase, derived in one selector."""

from __future__ import annotations

from django import template

from tenders.models import Programme
from tenders.selectors.programme import ProgrammePhase, programme_phase

register = template.Library()

PHASE_BADGES = {
    Programme.Status.DRAFT: "neutral",
    Programme.Status.PREPARATION: "neutral",
    Programme.Status.JOINING: "active",
    Programme.Status.INVENTORY: "active",
    Programme.Status.CONSULTATION: "active",
    Programme.Status.FROZEN: "warning",
    Programme.Status.PUBLISHED: "success",
    Programme.Status.AWARDED: "success",
}


@register.inclusion_tag("tenders/_programme_phase.html")
def programme_phase_badge(programme: Programme, phase: ProgrammePhase | None = None) -> dict:
    """The phase badge with the next milestone (``phase`` when the view derived it already)."""
    phase = phase or programme_phase(programme)
    return {
        "programme": programme,
        "phase": phase,
        "badge": PHASE_BADGES.get(phase.key, "neutral"),
    }
