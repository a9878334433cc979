# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The EU threshold as 2014/24/EU art. 5 counts: all lots' maximum value over the whole term
including the extension options, "equal to or greater than", the threshold in force on the
planned publication for the programme's kind of authority and contract, and the small-lots
exemption per lot."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tenders.models import EuThreshold, Milestone
from tenders.services.aggregation import small_lots_exempt
from tenders.tests.test_aggregation import run_now, setup, submit  # noqa: F401

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def test_exactly_at_the_threshold_is_above_it(setup):
    # 172,800 laptops' worth × 1.25 headroom = 216,000.00: exactly the 2026-2027 threshold.
    submit(setup, "a", [("GM9101", "laptop", 2028, 172), ("GM9101", "monitor", 2028, 4)])
    snapshot = run_now(setup["programme"])
    assert snapshot.threshold_amount == Decimal("216000.00")
    assert snapshot.procurement_value == Decimal("216000.00")
    assert snapshot.above_threshold is True


def test_one_cent_below_the_threshold_is_below_it(setup):
    from catalog.models import ReferencePrice

    ReferencePrice.objects.filter(category=setup["cats"]["laptop"]).update(
        unit_price=Decimal("999.99")
    )
    submit(setup, "a", [("GM9101", "laptop", 2028, 172), ("GM9101", "monitor", 2028, 4)])
    snapshot = run_now(setup["programme"])
    assert snapshot.procurement_value == Decimal("215997.85")
    assert snapshot.above_threshold is False


def test_lots_and_years_are_added_not_tested_alone(setup):
    # Every lot and every year is under the threshold on its own; together they are not.
    submit(setup, "a", [("GM9101", "laptop", 2028, 60), ("GM9101", "laptop", 2029, 60)])
    submit(setup, "b", [("GM9102", "phone", 2028, 100)])
    snapshot = run_now(setup["programme"])
    rows = {(r.lot.number, r.year): r for r in snapshot.lot_totals.select_related("lot")}
    assert all(r.maximum_value < Decimal("216000") for r in rows.values() if r.year)
    # 120 × 1000 × 1.25 + 100 × 500 × 1.10 = 150,000 + 55,000
    assert snapshot.procurement_value == Decimal("205000.00")
    assert snapshot.above_threshold is False
    submit(setup, "jb", [("GM9103", "monitor", 2029, 50)])  # + 50 × 200 × 1.25 = 12,500
    assert run_now(setup["programme"]).above_threshold is True


def test_extension_options_count_toward_the_value(setup):
    programme = setup["programme"]
    submit(setup, "a", [("GM9101", "laptop", 2028, 80), ("GM9101", "laptop", 2029, 80)])
    assert run_now(programme).procurement_value == Decimal("200000.00")
    programme.extension_years = 1
    programme.save()
    snapshot = run_now(programme)
    term = snapshot.lot_totals.get(lot=setup["lots"][0], year=0)
    assert term.option_value == Decimal("100000.00")  # one more year at the yearly average
    assert snapshot.procurement_value == Decimal("300000.00")
    assert snapshot.above_threshold is True


def test_the_threshold_of_the_planned_publication_and_the_authority_type_applies(setup):
    programme = setup["programme"]
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.PLANNED_PUBLICATION,
        due_at=datetime(2028, 2, 1, 10, 0, tzinfo=AMS),
    )
    submit(setup, "a", [("GM9101", "laptop", 2028, 180)])  # maximum 225,000
    snapshot = run_now(programme)
    assert snapshot.threshold_date.isoformat() == "2028-02-01"
    assert snapshot.threshold_amount == Decimal("230000")  # the 2028 row of the fixture
    assert snapshot.above_threshold is False
    EuThreshold.objects.create(
        authority_type="central",
        contract_type="supplies",
        amount=Decimal("140000"),
        valid_from=datetime(2026, 1, 1).date(),
    )
    programme.authority_type = "central"
    programme.save()
    snapshot = run_now(programme)
    assert (snapshot.threshold_amount, snapshot.above_threshold) == (Decimal("140000"), True)


def test_small_lots_rule():
    limit = Decimal(80_000)
    # Each under 80,000 and together at most 20 % of 1,000,000: both exempt.
    assert small_lots_exempt(
        {1: Decimal(800_000), 2: Decimal(79_999), 3: Decimal(50_000)},
        total=Decimal(1_000_000) - Decimal(71_001),
        limit=limit,
    ) == {2, 3}
    # A lot of exactly 80,000 is not under the limit.
    assert (
        small_lots_exempt(
            {1: Decimal(900_000), 2: Decimal(80_000)}, total=Decimal(980_000), limit=limit
        )
        == set()
    )
    # The 20 % runs out: the smallest lots first, as far as it goes.
    assert small_lots_exempt(
        {1: Decimal(260_000), 2: Decimal(30_000), 3: Decimal(40_000), 4: Decimal(70_000)},
        total=Decimal(400_000),
        limit=limit,
    ) == {2, 3}


def test_an_empty_lot_does_not_say_below_the_threshold(setup, personas):
    from django.urls import reverse

    submit(setup, "a", [("GM9101", "laptop", 2028, 200)])
    snapshot = run_now(setup["programme"])
    page = (
        personas["project_team"]
        .client()
        .get(
            reverse(
                "tenders:aggregation-snapshot", args=[setup["programme"].slug, snapshot.public_id]
            )
        )
    )
    html = page.content.decode()
    assert "Geen vraag" in html
    assert "Onder de Europese drempel" not in html
    assert "Europese aanbesteding verplicht" in html
    assert "€ 250.000,00" in html
