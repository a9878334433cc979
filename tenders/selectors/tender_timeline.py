"""The project team's page of a tender's timeline: each moment with the problems of the legal
periods next to it (the rules are in tenders/selectors/periods.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tenders.models import Tender
from tenders.selectors.periods import (
    TIMELINE,
    PeriodProblem,
    bid_period,
    moment_label,
    period_problems_by_field,
    tender_period_problems,
)


@dataclass(frozen=True)
class TimelineRow:
    """One moment of the timeline on the page: its field, label, value and problems."""

    field: str
    label: str
    value: datetime | date | None
    problems: list[PeriodProblem]


def tender_timeline_context(
    *, programme: Any, tender: Tender | None, form: Any, can_change: bool
) -> dict[str, Any]:
    """What the project team's timeline page shows: each moment with its problems next to
    it, the minimum period for bids that applies, and whether the page offers the form (the
    team's editors, while the tender is a draft)."""
    context: dict[str, Any] = {"programme": programme, "tender": tender, "form": form}
    if tender is None:
        return context
    problems = tender_period_problems(tender)
    by_field = period_problems_by_field(problems)
    fields = [field for field, _strict in TIMELINE]
    context.update(
        editable=can_change and tender.is_draft,
        problems=problems,
        blocking_count=sum(p.blocking for p in problems),
        warning_count=sum(not p.blocking for p in problems),
        bid_period=bid_period(tender),
        pin_problems=by_field.get("prior_information_notice_at", []),
        rows=[
            TimelineRow(
                field=field,
                label=moment_label(field),
                value=getattr(tender, field),
                problems=by_field.get(field, []),
            )
            for field in fields
        ],
    )
    if form is not None and hasattr(form, "moment_fields"):
        context["form_rows"] = [
            (row, date_field, time_field)
            for row, (_name, date_field, time_field) in zip(
                context["rows"], form.moment_fields(), strict=True
            )
        ]
    return context
