"""The rules a programme's timeline obeys: the order of its milestones and the length of its
term. One place, called by every write that creates or moves a milestone (see
docs/legal/timeline.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from portal import dates
from tenders.models import Milestone

K = Milestone.Kind

# (earlier, later, strict): ``later`` may not come before ``earlier``; when strict, not at the
# same moment either. Joining opens < joining deadline ≤ demand deadline ≤ freeze ≤ planned
# publication < contract start; joining opens < consultation start < consultation end ≤
# planned publication.
ORDER: tuple[tuple[str, str, bool], ...] = (
    (K.JOINING_OPENS, K.JOINING_DEADLINE, True),
    (K.JOINING_DEADLINE, K.DEMAND_DEADLINE, False),
    (K.DEMAND_DEADLINE, K.FREEZE, False),
    (K.FREEZE, K.PLANNED_PUBLICATION, False),
    (K.PLANNED_PUBLICATION, K.CONTRACT_START, True),
    (K.JOINING_OPENS, K.CONSULTATION_START, True),
    (K.CONSULTATION_START, K.CONSULTATION_END, True),
    (K.CONSULTATION_END, K.PLANNED_PUBLICATION, False),
)

# A framework agreement lasts at most four years save in exceptional, duly justified cases
# (Directive 2014/24/EU art. 33(1)); extension options count toward the term.
MAX_TERM_YEARS = 4


# The deadlines the freeze locks: the frozen figures rest on who joined and what they stated.
FROZEN_DEADLINES = (K.JOINING_DEADLINE, K.DEMAND_DEADLINE)


def moment_text(value: datetime) -> str:
    """A moment as Dutch readers expect it in a sentence: 29 januari 2027, 17:00 uur."""
    return dates.moment_text(value)


def _label(kind: str) -> str:
    return str(K(kind).label)


def _present_pairs(kinds: set[str]) -> list[tuple[str, str, bool]]:
    """The order rules between the milestones that exist, skipping the ones that do not: with
    no joining deadline, joining opens < demand deadline still holds (strict, because one of
    the skipped links is)."""
    following: dict[str, list[tuple[str, bool]]] = {}
    for earlier, later, strict in ORDER:
        following.setdefault(earlier, []).append((later, strict))
    pairs: dict[tuple[str, str], bool] = {}
    for start in kinds:
        stack = list(following.get(start, []))
        while stack:
            kind, strict = stack.pop()
            if kind in kinds:
                pairs[(start, kind)] = pairs.get((start, kind), False) or strict
                continue
            stack.extend((nxt, strict or s) for nxt, s in following.get(kind, []))
    order = list(K.values)
    return sorted(
        ((a, b, strict) for (a, b), strict in pairs.items()),
        key=lambda p: (order.index(p[1]), order.index(p[0])),
    )


def milestone_order_problems(
    milestones: Mapping[str, datetime], *, involving: str | None = None
) -> dict[str, list[str]]:
    """Every broken order rule, as Dutch messages per milestone kind (the later milestone of
    the pair carries the message, naming both milestones and their dates); with
    ``involving``, only the rules about that milestone. Empty when the timeline holds."""
    problems: dict[str, list[str]] = {}
    for earlier, later, strict in _present_pairs(set(milestones)):
        if involving is not None and involving not in (earlier, later):
            continue
        first, second = milestones[earlier], milestones[later]
        if second > first or (second == first and not strict):
            continue
        values = {
            "later": _label(later),
            "later_at": moment_text(second),
            "earlier": _label(earlier),
            "earlier_at": moment_text(first),
        }
        if strict:
            message = _(
                "“%(later)s” on %(later_at)s must come after “%(earlier)s” on %(earlier_at)s."
            )
        else:
            message = _(
                "“%(later)s” on %(later_at)s may not come before “%(earlier)s” on %(earlier_at)s."
            )
        problems.setdefault(later, []).append(message % values)
    return problems


def term_problem(*, contract_years: int, extension_years: int, justification: str) -> str | None:
    """The Dutch message when the term with its extensions exceeds four years and no
    justification is recorded (2014/24/EU art. 33(1)); None when the term is allowed."""
    years = contract_years + extension_years
    if years <= MAX_TERM_YEARS or justification.strip():
        return None
    return _(
        "A framework agreement lasts at most %(max)s years, extensions included (Directive "
        "2014/24/EU, article 33(1)). This term is %(years)s years: record why it is needed."
    ) % {"max": MAX_TERM_YEARS, "years": years}


def milestone_frozen_message(programme: Any, kind: str) -> str:
    """Why a deadline cannot move while the demand is frozen (the service's refusal, and the
    text the programme page shows instead of the link to change it)."""
    return _(
        "The demand inventory was frozen on %(date)s; “%(milestone)s” can no longer move. "
        "Unfreeze the inventory first if the date must change."
    ) % {"date": moment_text(programme.frozen_at), "milestone": _label(kind)}


def milestone_change_refusal(programme: Any, kind: str) -> str | None:
    """The reason a milestone cannot be moved now, or None."""
    if programme.frozen_at is not None and kind in FROZEN_DEADLINES:
        return milestone_frozen_message(programme, kind)
    return None


def milestone_changes(programme: Any) -> list[tuple[Milestone, str | None]]:
    """Each milestone of the programme with the reason it cannot be moved now (or None), for
    the page that offers to move them (uses the prefetched milestones)."""
    return [(m, milestone_change_refusal(programme, m.kind)) for m in programme.milestones.all()]
