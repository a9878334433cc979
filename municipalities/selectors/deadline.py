"""When the project team may give a participant more time for its demand, read from the
programme through the participation's key (municipalities does not import tenders).

The freeze locks the demand the tender rests on; a participant's own deadline may not pass
the freeze, the planned publication or the contract start (see docs/legal/timeline.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from portal import dates

# The milestones a participant's demand deadline may not pass, in timeline order, and
# whether the deadline may fall on the milestone itself.
EXTENSION_LIMITS = (("freeze", True), ("planned_publication", True), ("contract_start", False))


def moment_text(value: datetime) -> str:
    """A moment in a Dutch sentence: 29 januari 2027, 17:00 uur."""
    return dates.moment_text(value)


def demand_extension_refusal(*, programme: Any) -> str | None:
    """Why no participant of this programme can get more time now, or None."""
    if programme.frozen_at is None:
        return None
    return _(
        "The demand inventory was frozen on %(date)s; a participant can no longer get more "
        "time. Unfreeze the inventory first if the figures must change."
    ) % {"date": moment_text(programme.frozen_at)}


def demand_extension_limit(*, programme: Any, until: datetime) -> str | None:
    """Why ``until`` is too late for a participant's deadline (naming the milestone it
    passes), or None. Uses the programme's prefetched milestones when there are any."""
    milestones = {m.kind: m for m in programme.milestones.all()}
    for kind, may_equal in EXTENSION_LIMITS:
        milestone = milestones.get(kind)
        if milestone is None:
            continue
        values = {
            "until": moment_text(until),
            "milestone": milestone.get_kind_display(),
            "milestone_at": moment_text(milestone.due_at),
        }
        if until > milestone.due_at:
            return (
                _(
                    "The new deadline (%(until)s) falls after “%(milestone)s” "
                    "(%(milestone_at)s). Choose a date and time up to then."
                )
                % values
            )
        if until == milestone.due_at and not may_equal:
            return (
                _(
                    "The new deadline (%(until)s) must come before “%(milestone)s” "
                    "(%(milestone_at)s)."
                )
                % values
            )
    return None
