"""The legal periods of a tender's timeline: the minimum period for bids, the answers to
questions before the bid deadline, the standstill, the order of the moments and deadlines on
a day off. One place, read before publication and shown on every change of the timeline (see
docs/legal/periods.md for each rule's article and how the days are counted).

Days are counted as Regulation (EEC, Euratom) No 1182/71 does for the directive (recital 106
of 2014/24/EU): a period counted from an event starts the day after it (art. 3(1)) and, when
its last day is a Saturday, Sunday or public holiday, ends on the next working day (art.
3(4)); the Algemene termijnenwet does the same for the Dutch standstill. Every moment is
reduced to its calendar day in Dutch time, so a deadline on the last day of a period meets
it whatever its time of day."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal import dates
from tenders.models import Tender
from tenders.selectors.timeline import moment_text

# Directive 2014/24/EU art. 27: the minimum period for bids in an open procedure.
BID_PERIOD_DAYS = 35  # art. 27(1)
BID_PERIOD_ELECTRONIC_DAYS = 30  # art. 27(4)
BID_PERIOD_AFTER_PIN_DAYS = 15  # art. 27(2)
PIN_MIN_DAYS_BEFORE = 35  # art. 27(2)(b): sent at least 35 days ...
PIN_MAX_MONTHS_BEFORE = 12  # ... and at most 12 months before the contract notice
# Art. 47(3)(a) and 53(2): answers to questions at the latest 6 days before the bid deadline.
ANSWERS_DAYS_BEFORE = 6
# Aanbestedingswet 2012 art. 2.127: 20 calendar days (the remedies directive asks 10).
STANDSTILL_DAYS = 20

# The timeline in its order; each with whether it must come strictly after the one before.
# publication < question deadline ≤ answers ≤ bid deadline ≤ opening < award decision <
# standstill end ≤ contract start (the contract start is a date).
TIMELINE: tuple[tuple[str, bool], ...] = (
    ("publication_at", False),
    ("question_deadline_at", True),
    ("answers_at", False),
    ("bid_deadline_at", False),
    ("opening_at", False),
    ("award_decision_at", True),
    ("standstill_end_at", True),
    ("contract_start", False),
)
# Links a stricter rule checks already (with its own article), so the order does not repeat
# it: the 6 days before the bid deadline, the 20-day standstill, the contract after it.
COVERED_LINKS = {
    ("answers_at", "bid_deadline_at"),
    ("award_decision_at", "standstill_end_at"),
    ("standstill_end_at", "contract_start"),
}
# The deadlines that should fall on a working day.
DEADLINES = ("question_deadline_at", "bid_deadline_at", "opening_at", "standstill_end_at")


@dataclass(frozen=True)
class PeriodProblem:
    """One broken rule of the timeline: the field it belongs next to, the Dutch message naming
    the rule, its article, and whether it blocks publication (otherwise a warning)."""

    field: str
    message: str
    article: str
    blocking: bool
    rule: str  # missing, order, bid_period, prior_information, answers, standstill, day_off


@dataclass(frozen=True)
class BidPeriod:
    """The minimum period for bids that applies, and why."""

    days: int
    reason: str
    article: str
    dispatch: date
    last_day: date  # the bid deadline falls on this day or later


# --- Days ------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _holidays(year: int) -> dict[date, str]:
    # The public list plus the optional category, which holds Liberation Day (5 May) every
    # year: the Algemene termijnenwet (art. 3) names it a public holiday in every year.
    days = holidays.country_holidays("NL", years=year, categories=("public", "optional"))
    return dict(days.items())


def day_off(day: date) -> str | None:
    """The name of the Dutch public holiday on ``day`` (King's Day on 26 April when the 27th
    is a Sunday), or the weekday for a Saturday or Sunday; None on a working day."""
    name = _holidays(day.year).get(day)
    if name:
        return name
    if day.weekday() == 5:
        return pgettext("weekday", "a Saturday")
    if day.weekday() == 6:
        return pgettext("weekday", "a Sunday")
    return None


def period_last_day(start: date, days: int) -> date:
    """The last day of a period of ``days`` calendar days counted from the event on ``start``:
    it starts the next day (Reg. 1182/71 art. 3(1)) and, ending on a Saturday, Sunday or
    public holiday, runs until the next working day (art. 3(4); Algemene termijnenwet art. 1)."""
    last = start + timedelta(days=days)
    while day_off(last):
        last += timedelta(days=1)
    return last


def _months_later(day: date, months: int) -> date:
    """The same date ``months`` later, or the month's last day when it has no such date (Reg.
    1182/71 art. 3(2)(c))."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def day_text(day: date) -> str:
    """A date in a Dutch sentence, with its weekday: maandag 4 mei 2026."""
    return dates.day_text(day)


# --- Rules -----------------------------------------------------------------------------------


def moment_label(field: str) -> str:
    """The name of a field of the timeline, for a sentence or a label: “Uiterste datum voor
    inschrijvingen”."""
    return capfirst(str(getattr(Tender._meta.get_field(field), "verbose_name", field)))


def prior_information_counts(*, pin: date | None, dispatch: date) -> bool:
    """Whether a prior information notice shortens the period for bids: it was sent at least
    35 days and at most 12 months before the contract notice (2014/24/EU art. 27(2)(b))."""
    if pin is None:
        return False
    return (
        pin + timedelta(days=PIN_MIN_DAYS_BEFORE)
        <= dispatch
        <= _months_later(pin, PIN_MAX_MONTHS_BEFORE)
    )


def bid_period(tender: Tender) -> BidPeriod | None:
    """The minimum period for bids that applies to ``tender`` (None without a dispatch date):
    15 days after a prior information notice, otherwise 30 with electronic submission and
    35 without."""
    if tender.publication_at is None:
        return None
    dispatch = local_day(tender.publication_at)
    pin = tender.prior_information_notice_at
    if pin is not None and prior_information_counts(pin=pin, dispatch=dispatch):
        days, article = BID_PERIOD_AFTER_PIN_DAYS, _("Directive 2014/24/EU, article 27(2)")
        reason = _("a prior information notice was published on %(date)s") % {"date": day_text(pin)}
    elif tender.electronic_submission:
        days, article = BID_PERIOD_ELECTRONIC_DAYS, _("Directive 2014/24/EU, article 27(4)")
        reason = pgettext("reason", "bids are submitted electronically")
    else:
        days, article = BID_PERIOD_DAYS, _("Directive 2014/24/EU, article 27(1)")
        reason = pgettext("reason", "bids are not submitted electronically")
    return BidPeriod(
        days=days,
        reason=reason,
        article=article,
        dispatch=dispatch,
        last_day=period_last_day(dispatch, days),
    )


def _missing(tender: Tender) -> list[PeriodProblem]:
    return [
        PeriodProblem(
            field=field,
            message=_("Enter “%(moment)s”: the tender is published with its whole timeline.")
            % {"moment": moment_label(field)},
            article="",
            blocking=True,
            rule="missing",
        )
        for field, _strict in TIMELINE
        if getattr(tender, field) is None
    ]


def _as_moment(value: datetime | date) -> datetime:
    """A contract start (a date) as the start of that day in Dutch time, to compare."""
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, datetime.min.time()))


def _moment_text(value: datetime | date) -> str:
    return moment_text(value) if isinstance(value, datetime) else dates.day_text(value)


def _order(tender: Tender) -> list[PeriodProblem]:
    """Each moment after the one before it that is set (a missing one is skipped; the order
    through it still holds, strictly when a skipped link is strict)."""
    problems = []
    previous: str | None = None
    strict_since = False
    for field, strict in TIMELINE:
        strict_since = strict_since or strict
        value = getattr(tender, field)
        if value is None:
            continue
        if previous is not None and (previous, field) not in COVERED_LINKS:
            earlier = getattr(tender, previous)
            first, second = _as_moment(earlier), _as_moment(value)
            if second < first or (second == first and strict_since):
                values = {
                    "later": moment_label(field),
                    "later_at": _moment_text(value),
                    "earlier": moment_label(previous),
                    "earlier_at": _moment_text(earlier),
                }
                message = (
                    _(
                        "“%(later)s” on %(later_at)s must come after “%(earlier)s” on "
                        "%(earlier_at)s."
                    )
                    if strict_since
                    else _(
                        "“%(later)s” on %(later_at)s may not come before “%(earlier)s” on "
                        "%(earlier_at)s."
                    )
                )
                problems.append(
                    PeriodProblem(
                        field=field,
                        message=message % values,
                        article="",
                        blocking=True,
                        rule="order",
                    )
                )
        previous, strict_since = field, False
    return problems


def _bid_period(tender: Tender) -> list[PeriodProblem]:
    problems = []
    period = bid_period(tender)
    pin = tender.prior_information_notice_at
    if period is not None and pin is not None and period.days != BID_PERIOD_AFTER_PIN_DAYS:
        problems.append(
            PeriodProblem(
                field="prior_information_notice_at",
                message=_(
                    "The prior information notice of %(pin)s does not shorten the period for "
                    "bids to %(short)s days: it must have been sent at least %(min)s days and "
                    "at most %(months)s months before the dispatch of the notice (%(dispatch)s) "
                    "(Directive 2014/24/EU, article 27(2))."
                )
                % {
                    "pin": day_text(pin),
                    "short": BID_PERIOD_AFTER_PIN_DAYS,
                    "min": PIN_MIN_DAYS_BEFORE,
                    "months": PIN_MAX_MONTHS_BEFORE,
                    "dispatch": day_text(period.dispatch),
                },
                article=_("Directive 2014/24/EU, article 27(2)"),
                blocking=False,
                rule="prior_information",
            )
        )
    if period is None or tender.bid_deadline_at is None:
        return problems
    if local_day(tender.bid_deadline_at) >= period.last_day:
        return problems
    values = {
        "deadline": day_text(local_day(tender.bid_deadline_at)),
        "days": period.days,
        "dispatch": day_text(period.dispatch),
        "reason": period.reason,
        "article": period.article,
        "last": day_text(period.last_day),
    }
    message = _(
        "The deadline for bids (%(deadline)s) is too early: a period of at least %(days)s days "
        "after the dispatch of the notice on %(dispatch)s applies, because %(reason)s "
        "(%(article)s). The period starts the day after the dispatch; the deadline for bids "
        "falls on %(last)s or later."
    )
    if period.last_day != period.dispatch + timedelta(days=period.days):
        message += " " + _(
            "Day %(days)s falls on %(day_off)s, so the period runs until the next working day "
            "(Regulation (EEC, Euratom) No 1182/71, article 3(4))."
        )
        values["day_off"] = day_off(period.dispatch + timedelta(days=period.days)) or ""
    problems.append(
        PeriodProblem(
            field="bid_deadline_at",
            message=message % values,
            article=period.article,
            blocking=True,
            rule="bid_period",
        )
    )
    return problems


def _answers(tender: Tender) -> list[PeriodProblem]:
    if tender.answers_at is None or tender.bid_deadline_at is None:
        return []
    answers, deadline = local_day(tender.answers_at), local_day(tender.bid_deadline_at)
    latest = deadline - timedelta(days=ANSWERS_DAYS_BEFORE)
    if answers <= latest:
        return []
    article = _("Directive 2014/24/EU, article 47(3)(a)")
    message = _(
        "The answers to questions (%(answers)s) come less than %(days)s days before the "
        "deadline for bids (%(deadline)s) (%(article)s). Publish them on %(latest)s at the "
        "latest, or move the deadline for bids to %(moved)s or later."
    ) % {
        "answers": day_text(answers),
        "days": ANSWERS_DAYS_BEFORE,
        "deadline": day_text(deadline),
        "article": article,
        "latest": day_text(latest),
        "moved": day_text(answers + timedelta(days=ANSWERS_DAYS_BEFORE)),
    }
    return [
        PeriodProblem(
            field="answers_at", message=message, article=article, blocking=True, rule="answers"
        )
    ]


def _standstill(tender: Tender) -> list[PeriodProblem]:
    problems = []
    article = _("Aanbestedingswet 2012, article 2.127")
    end = local_day(tender.standstill_end_at) if tender.standstill_end_at else None
    if tender.award_decision_at is not None and end is not None:
        award = local_day(tender.award_decision_at)
        last = period_last_day(award, STANDSTILL_DAYS)
        if end < last:
            message = _(
                "The standstill ends too early (%(end)s): at least %(days)s calendar days after "
                "the award decision of %(award)s, so on %(last)s or later (%(article)s; the "
                "remedies directive 2007/66/EC asks 10 days, the Dutch law 20). The period "
                "starts the day after the decision."
            ) % {
                "end": day_text(end),
                "days": STANDSTILL_DAYS,
                "award": day_text(award),
                "last": day_text(last),
                "article": article,
            }
            if last != award + timedelta(days=STANDSTILL_DAYS):
                message += " " + _(
                    "Day %(days)s falls on %(day_off)s, so the standstill runs until the next "
                    "working day (Algemene termijnenwet, article 1)."
                ) % {
                    "days": STANDSTILL_DAYS,
                    "day_off": day_off(award + timedelta(days=STANDSTILL_DAYS)),
                }
            problems.append(
                PeriodProblem(
                    field="standstill_end_at",
                    message=message,
                    article=article,
                    blocking=True,
                    rule="standstill",
                )
            )
    if end is not None and tender.contract_start is not None and tender.contract_start <= end:
        problems.append(
            PeriodProblem(
                field="contract_start",
                message=_(
                    "The framework agreements start on %(start)s, before the standstill is "
                    "over (it ends on %(end)s): the contract is concluded only after the "
                    "standstill, so start on %(next)s or later (%(article)s)."
                )
                % {
                    "start": day_text(tender.contract_start),
                    "end": day_text(end),
                    "next": day_text(end + timedelta(days=1)),
                    "article": article,
                },
                article=article,
                blocking=True,
                rule="standstill",
            )
        )
    return problems


def _days_off(tender: Tender) -> list[PeriodProblem]:
    problems = []
    for field in DEADLINES:
        value = getattr(tender, field)
        if value is None:
            continue
        day = local_day(value)
        name = day_off(day)
        if name is None:
            continue
        article = (
            _("Algemene termijnenwet, article 1")
            if field == "standstill_end_at"
            else _("Regulation (EEC, Euratom) No 1182/71, article 3(4)")
        )
        problems.append(
            PeriodProblem(
                field=field,
                message=_(
                    "“%(moment)s” falls on %(day_off)s (%(date)s): choose a working day. A "
                    "period that ends on a Saturday, Sunday or public holiday runs until the "
                    "next working day (%(article)s)."
                )
                % {
                    "moment": moment_label(field),
                    "day_off": name,
                    "date": day_text(day),
                    "article": article,
                },
                article=article,
                blocking=False,
                rule="day_off",
            )
        )
    return problems


def tender_period_problems(tender: Tender) -> list[PeriodProblem]:
    """Every broken rule of the tender's timeline, in the order of its fields: blocking ones
    refuse publication, warnings are shown. Empty when the timeline holds."""
    problems = [
        *_missing(tender),
        *_order(tender),
        *_bid_period(tender),
        *_answers(tender),
        *_standstill(tender),
        *_days_off(tender),
    ]
    order = ["prior_information_notice_at", *(field for field, _strict in TIMELINE)]
    return sorted(problems, key=lambda p: (order.index(p.field), not p.blocking))


def tender_period_blocking(tender: Tender) -> list[PeriodProblem]:
    """The problems that refuse publication."""
    return [p for p in tender_period_problems(tender) if p.blocking]


def period_problems_by_field(problems: list[PeriodProblem]) -> dict[str, list[PeriodProblem]]:
    by_field: dict[str, list[PeriodProblem]] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(problem)
    return by_field
