"""The demo's dates are ones a person would choose: milestones in order, on working days, at
the usual hours; the consultation inside its milestones; the participants' steps in office
hours; and the demand frozen on the freeze milestone."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from demo.loader.programme import timeline
from demo.loader.tender import tender_timeline
from demo.loader.workdays import (
    WORKING_HOURS,
    is_chosen_day,
    is_working_day,
    public_holidays,
)
from municipalities.models import DemandVersion, MandateSignature, Participation
from tenders.models import AggregationSnapshot, Lot, Milestone, Programme, Tender
from tenders.selectors import periods
from tenders.selectors.periods import day_off, tender_period_problems

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
K = Milestone.Kind
ORDER = [
    K.JOINING_OPENS,
    K.JOINING_DEADLINE,
    K.DEMAND_DEADLINE,
    K.CONSULTATION_START,
    K.CONSULTATION_END,
    K.FREEZE,
    K.PLANNED_PUBLICATION,
    K.CONTRACT_START,
]
DEADLINES = {K.JOINING_DEADLINE, K.DEMAND_DEADLINE, K.CONSULTATION_END, K.FREEZE}


def _in_office_hours(moment: datetime) -> bool:
    local = moment.astimezone(AMS)
    return is_chosen_day(local.date()) and WORKING_HOURS[0] <= local.time() <= WORKING_HOURS[1]


def _check_timeline(milestones: dict[str, datetime], today: date) -> None:
    assert set(milestones) == set(ORDER)
    moments = [milestones[kind] for kind in ORDER]
    assert moments == sorted(moments) and len(set(moments)) == len(moments)
    for kind, moment in milestones.items():
        local = moment.astimezone(AMS)
        if kind == K.CONTRACT_START:
            assert local.time() == time(0, 0) and is_working_day(local.date())
            assert not any(
                is_working_day(local.date() - timedelta(days=d)) for d in range(1, local.day)
            )
        else:
            assert _in_office_hours(moment), (kind, local)
        if kind in DEADLINES:
            assert local.time() in (time(12, 0), time(17, 0)), (kind, local)
    # Published two to three weeks before the load day (up to four over the Christmas
    # break, when nobody publishes), two weeks after the freeze.
    publication = milestones[K.PLANNED_PUBLICATION].astimezone(AMS).date()
    assert 14 <= (today - publication).days <= 28
    assert milestones[K.FREEZE].astimezone(AMS).date() < publication


def _check_tender_timeline(moments: dict[str, datetime], contract_start: date, today: date):
    """Every legal period holds (no problem at all, not even a warning), the moments fall on
    working days at the usual hours, and the deadline for questions is still ahead."""
    tender = Tender(contract_start=contract_start, electronic_submission=True, **moments)
    assert tender_period_problems(tender) == [], today
    assert moments["question_deadline_at"].astimezone(AMS).date() > today
    for field, moment in moments.items():
        local = moment.astimezone(AMS)
        assert is_chosen_day(local.date()), (field, local)
        assert WORKING_HOURS[0] <= local.time() <= WORKING_HOURS[1], (field, local)
        # A deadline is no day off for the legal periods either (they count Good Friday and
        # Liberation Day every year, the demo's working days do not).
        if field in (*periods.DEADLINES, "answers_at"):
            assert day_off(local.date()) is None, (field, local)


def test_the_timeline_holds_whatever_day_the_demo_is_loaded():
    day = date(2026, 1, 1)
    while day < date(2029, 1, 1):
        milestones = timeline(day)
        _check_timeline(milestones, day)
        _check_tender_timeline(
            tender_timeline(milestones[K.PLANNED_PUBLICATION]),
            milestones[K.CONTRACT_START].astimezone(AMS).date(),
            day,
        )
        day += timedelta(days=1)


def test_the_public_holidays_are_the_dutch_ones():
    assert public_holidays(2026) == {
        date(2026, 1, 1),
        date(2026, 4, 6),  # Easter Monday
        date(2026, 4, 27),  # King's Day
        date(2026, 5, 14),  # Ascension Day
        date(2026, 5, 25),  # Whit Monday
        date(2026, 12, 25),
        date(2026, 12, 26),
    }
    # King's Day moves to Saturday when the 27th is a Sunday; Liberation Day every fifth year.
    assert {date(2025, 4, 26), date(2025, 5, 5)} <= public_holidays(2025)
    assert date(2027, 5, 5) not in public_holidays(2027)
    assert date(2026, 4, 3) not in public_holidays(2026)  # Good Friday is no day off


def test_the_loaded_milestones_follow_the_story(demo):
    programme = Programme.objects.get(slug="gt-hardware-werkplek")
    milestones = {m.kind: m.due_at for m in programme.milestones.all()}

    _check_timeline(milestones, timezone.localdate())
    assert programme.contract_start_year == milestones[K.CONTRACT_START].year
    assert programme.status == Programme.Status.PUBLISHED


def test_the_consultation_runs_inside_its_milestones(demo):
    programme = Programme.objects.get(slug="gt-hardware-werkplek")
    consultation = programme.consultations.get()

    assert programme.milestone_at(K.CONSULTATION_START) <= consultation.opens_at
    assert consultation.closes_at <= programme.milestone_at(K.CONSULTATION_END)
    assert consultation.status == "closed" and _in_office_hours(consultation.closed_at)
    assert consultation.versions.get(status="published").questions.count() == 4


def test_participants_act_in_office_hours_and_in_time(demo):
    programme = Programme.objects.get(slug="gt-hardware-werkplek")
    joining = programme.milestone_at(K.JOINING_DEADLINE)
    demand_deadline = programme.milestone_at(K.DEMAND_DEADLINE)
    for participation in Participation.objects.all():
        signature = MandateSignature.objects.get(participation=participation)
        steps = [
            participation.created_at,
            signature.signed_at,
            participation.submitted_at,
            participation.decided_at,
        ]
        steps += [
            v.submitted_at
            for v in DemandVersion.objects.filter(demand__participation=participation)
        ]
        if participation.withdrawn_at:
            steps.append(participation.withdrawn_at)
        assert all(_in_office_hours(step) for step in steps), participation
        assert steps == sorted(steps) and participation.decided_at < joining
        assert steps[-1] < demand_deadline


def test_the_demand_is_frozen_with_its_authorities_and_values(demo):
    programme = Programme.objects.get(slug="gt-hardware-werkplek")
    snapshot = AggregationSnapshot.objects.get(programme=programme)
    approved = Participation.objects.filter(programme=programme, status="approved")
    covered = {c.municipality.cbs_code for p in approved for c in p.covered.all()}

    assert snapshot.is_frozen and snapshot.frozen_at == programme.milestone_at(K.FREEZE)
    assert programme.frozen_at == snapshot.frozen_at
    assert snapshot.included_versions.count() == approved.count()
    municipalities = {a["cbsCode"] for a in snapshot.authorities if a["kind"] == "municipality"}
    assert municipalities == covered
    # The joint body (for its municipalities) and the deelneming (for its own staff) too.
    assert {a["kind"] for a in snapshot.authorities} == {
        "municipality",
        "joint_body",
        "other_authority",
    }
    assert snapshot.above_threshold is True
    assert snapshot.threshold_amount is not None
    for lot in Lot.objects.filter(programme=programme):
        term = snapshot.lot_totals.get(lot=lot, year=0)
        assert term.quantity > 0 and term.maximum_value > term.estimated_value > 0


def test_every_lot_has_cpv_codes_and_priced_categories_with_delivery_inside(demo):
    lots = Lot.objects.filter(programme__slug="gt-hardware-werkplek").prefetch_related(
        "categories__prices", "cpv_codes"
    )
    for lot in lots:
        assert lot.cpv_codes.exists()
        assert all(category.prices.exists() for category in lot.categories.all())
        assert any(category.kind != "service" for category in lot.categories.all())
    delivery = next(lot for lot in lots if any(c.slug == "delivery" for c in lot.categories.all()))
    assert {c.slug for c in delivery.categories.all()} >= {"laptop", "delivery", "installation"}
    assert {c.code for c in delivery.cpv_codes.all()} >= {"30213100-6", "51611100-9"}


def test_the_team_prepared_the_tender_on_the_frozen_figures(demo):
    tender = Tender.objects.get(programme__slug="gt-hardware-werkplek")
    assert tender.snapshot.is_frozen
    terms = {t.lot.number: t for t in tender.snapshot.lot_totals.filter(year=0)}
    for lot in tender.lots.all():
        assert (lot.estimated_value, lot.maximum_value) == (
            terms[lot.number].estimated_value,
            terms[lot.number].maximum_value,
        )
    assert sum(c.weight for c in tender.criteria.all()) == 100
    kinds = {r.kind for r in tender.requirements.all()}
    assert {"tco_certified", "epeat", "take_back", "data_erasure", "sroi"} <= kinds
    # The legal periods hold: 35 days for bids, answers 6 days before, a 20-day standstill.
    assert tender.bid_deadline_at - tender.publication_at >= timedelta(days=35)
    assert tender.bid_deadline_at - tender.answers_at >= timedelta(days=6)
    assert tender.standstill_end_at - tender.award_decision_at >= timedelta(days=20)
    assert tender_period_problems(tender) == []
    for moment in (tender.question_deadline_at, tender.bid_deadline_at, tender.standstill_end_at):
        assert is_chosen_day(timezone.localdate(moment))
