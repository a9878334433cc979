"""Aggregation against hand-computed totals, coalescing, snapshots and freezing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from catalog.models import Category, ReferencePrice
from catalog.services import catalog_load_reference
from municipalities.models import Demand, DemandVersion, DemandVersionLine, Participation
from tenders.models import AggregationRun, EuThreshold, Lot, Milestone, Programme
from tenders.services.aggregation import (
    aggregation_mark_failed,
    aggregation_request,
    aggregation_run,
    included_versions,
)
from tenders.services.freeze import snapshot_freeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db, org_a, org_b, joint_body):
    from municipalities.models import CoveredMunicipality, Municipality

    catalog_load_reference()
    programme = Programme.objects.create(
        slug="gt-agg", name="GT Agg", status="joining", contract_start_year=2028, contract_years=2
    )
    laptop, monitor, phone = (
        Category.objects.get(slug=s) for s in ("laptop", "monitor", "smartphone")
    )
    lot1 = Lot.objects.create(
        programme=programme, number=1, name="Werkplek", headroom_percent=Decimal("25")
    )
    lot1.categories.set([laptop, monitor])
    lot2 = Lot.objects.create(
        programme=programme, number=2, name="Mobiel", headroom_percent=Decimal("10")
    )
    lot2.categories.set([phone])
    ReferencePrice.objects.create(
        category=laptop, unit_price=Decimal("1000.00"), valid_from=date(2020, 1, 1), source="test"
    )
    ReferencePrice.objects.create(
        category=monitor, unit_price=Decimal("200.00"), valid_from=date(2020, 1, 1), source="test"
    )
    ReferencePrice.objects.create(
        category=phone, unit_price=Decimal("500.00"), valid_from=date(2020, 1, 1), source="test"
    )
    EuThreshold.objects.create(
        amount=Decimal("216000"), valid_from=date(2026, 1, 1), valid_until=date(2027, 12, 31)
    )
    EuThreshold.objects.create(amount=Decimal("230000"), valid_from=date(2028, 1, 1))
    munis = {
        code: Municipality.objects.create(cbs_code=code, name=name, province=prov, population=pop)
        for code, name, prov, pop in [
            ("GM9101", "Aadorp", "Utrecht", 150_000),
            ("GM9102", "Bedum", "Groningen", 30_000),
            ("GM9103", "Cadorp", "Utrecht", 10_000),
        ]
    }
    participants = {}
    for key, org, codes in [
        ("a", org_a, ["GM9101"]),
        ("b", org_b, ["GM9102"]),
        ("jb", joint_body, ["GM9103"]),
    ]:
        p = Participation.objects.create(
            programme=programme, organisation=org, status=Participation.Status.APPROVED
        )
        for code in codes:
            CoveredMunicipality.objects.create(
                participation=p, municipality=munis[code], programme=programme
            )
        participants[key] = p
    return {
        "programme": programme,
        "munis": munis,
        "p": participants,
        "lots": (lot1, lot2),
        "cats": {"laptop": laptop, "monitor": monitor, "phone": phone},
    }


def submit(setup, key, rows, number=1):
    """A submitted version with rows (municipality code, category, year, quantity)."""
    demand, _ = Demand.objects.get_or_create(participation=setup["p"][key])
    Demand.objects.filter(pk=demand.pk).update(status=Demand.Status.SUBMITTED)
    version = DemandVersion.objects.create(
        demand=demand, number=number, snapshot={}, sha256="0" * 64
    )
    DemandVersionLine.objects.bulk_create(
        [
            DemandVersionLine(
                version=version,
                municipality=setup["munis"][code],
                category=setup["cats"][cat],
                year=year,
                quantity=q,
            )
            for code, cat, year, q in rows
        ]
    )
    return version


def deadline_passed(programme):
    """The demand deadline has passed: a calculation can be frozen."""
    Milestone.objects.update_or_create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        defaults={"due_at": timezone.now() - timedelta(hours=1)},
    )


def run_now(programme):
    with transaction.atomic():
        run = aggregation_request(programme=programme, reason="test")
    return aggregation_run(run_id=run.pk)


def test_totals_match_hand_computed_values(setup):
    submit(
        setup,
        "a",
        [
            ("GM9101", "laptop", 2028, 100),
            ("GM9101", "laptop", 2029, 50),
            ("GM9101", "monitor", 2028, 200),
        ],
    )
    submit(setup, "b", [("GM9102", "laptop", 2028, 10), ("GM9102", "phone", 2029, 40)])
    submit(setup, "jb", [("GM9103", "monitor", 2029, 30)])
    snapshot = run_now(setup["programme"])
    lot1, lot2 = setup["lots"]
    totals = {(t.lot_id, t.year): t for t in snapshot.lot_totals.all()}
    # Lot 1, 2028: laptops 100 + 10 = 110 (× 1000), monitors 200 (× 200).
    t = totals[(lot1.pk, 2028)]
    assert t.quantity == 310
    assert t.estimated_value == Decimal("150000.00")
    assert t.maximum_value == Decimal("187500.00")  # + 25 %
    assert t.maximum_quantity == 388  # 310 × 1.25 = 387.5, rounded half up
    # Lot 1, whole term: 310 + 50 + 30 = 390; value 150,000 + 50,000 + 6,000.
    term = totals[(lot1.pk, 0)]
    assert term.quantity == 390
    assert term.estimated_value == Decimal("206000.00")
    assert term.maximum_value == Decimal("257500.00")
    assert term.participants == 3
    assert term.above_threshold is True  # 257,500 > 216,000
    # Lot 2: 40 phones × 500 = 20,000, + 10 % = 22,000: below the threshold.
    phones = totals[(lot2.pk, 0)]
    assert (phones.quantity, phones.estimated_value, phones.maximum_value) == (
        40,
        Decimal("20000.00"),
        Decimal("22000.00"),
    )
    # The procurement (279,500 over all lots) is at or above the threshold; lot 2 (22,000) is
    # under EUR 80,000 and within 20 % of the whole, so the small-lots rule may exempt it.
    assert snapshot.procurement_value == Decimal("279500.00") and snapshot.above_threshold
    assert phones.participants == 1 and phones.small_lot_exempt
    assert phones.above_threshold is False
    # Per province and size class, from the database's GROUP BY.
    rows = {
        (r.category.slug, r.year, r.province, r.size_class): r.quantity
        for r in snapshot.totals.select_related("category")
    }
    assert rows[("laptop", 2028, "Utrecht", "100k+")] == 100
    assert rows[("laptop", 2028, "Groningen", "20-50k")] == 10
    assert rows[("monitor", 2029, "Utrecht", "<20k")] == 30
    assert snapshot.included_versions.count() == 3


def test_withdrawal_changes_the_next_snapshot_not_the_old_one(setup):
    submit(setup, "a", [("GM9101", "laptop", 2028, 100)])
    submit(setup, "b", [("GM9102", "laptop", 2028, 10)])
    first = run_now(setup["programme"])
    Participation.objects.filter(pk=setup["p"]["b"].pk).update(status="withdrawn")
    second = run_now(setup["programme"])
    lot1 = setup["lots"][0]
    assert first.lot_totals.get(lot=lot1, year=0).quantity == 110
    assert second.lot_totals.get(lot=lot1, year=0).quantity == 100
    first.refresh_from_db()
    assert first.included_versions.count() == 2
    assert second.included_versions.count() == 1


def test_only_the_newest_version_and_not_returned_demand_counts(setup):
    submit(setup, "a", [("GM9101", "laptop", 2028, 100)], number=1)
    submit(setup, "a", [("GM9101", "laptop", 2028, 120)], number=2)
    submit(setup, "b", [("GM9102", "laptop", 2028, 10)])
    Demand.objects.filter(participation=setup["p"]["b"]).update(status=Demand.Status.RETURNED)
    numbers = sorted(
        included_versions(programme=setup["programme"]).values_list("number", flat=True)
    )
    assert numbers == [2]
    snapshot = run_now(setup["programme"])
    assert snapshot.lot_totals.get(lot=setup["lots"][0], year=0).quantity == 120


def test_requests_are_coalesced(setup, django_capture_on_commit_callbacks):
    programme = setup["programme"]
    with django_capture_on_commit_callbacks() as callbacks:
        first = aggregation_request(programme=programme, reason="a")
        again = aggregation_request(programme=programme, reason="b")
    assert first.pk == again.pk and len(callbacks) == 1  # one queued run, one task
    AggregationRun.objects.filter(pk=first.pk).update(status="running")
    with django_capture_on_commit_callbacks() as callbacks:
        during = aggregation_request(programme=programme, reason="c")
        during_again = aggregation_request(programme=programme, reason="d")
    assert during.pk == first.pk == during_again.pk and callbacks == []
    first.refresh_from_db()
    assert first.follow_up_requested is True
    # Finishing the run queues exactly one follow-up run.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        aggregation_run(run_id=first.pk)
    assert AggregationRun.objects.filter(programme=programme, status="queued").count() == 1
    assert AggregationRun.objects.filter(programme=programme).count() == 2


def test_the_database_allows_one_active_run(setup):
    from django.db import IntegrityError

    AggregationRun.objects.create(programme=setup["programme"])
    with pytest.raises(IntegrityError), transaction.atomic():
        AggregationRun.objects.create(programme=setup["programme"], status="running")


def test_a_failed_run_can_be_retried(setup):
    with transaction.atomic():
        run = aggregation_request(programme=setup["programme"], reason="x")
    aggregation_mark_failed(run_id=run.pk, error="boom")
    run.refresh_from_db()
    assert run.status == "failed" and run.error == "boom"
    with transaction.atomic():
        retry = aggregation_request(programme=setup["programme"], reason="retry")
    assert retry.pk != run.pk and retry.status == "queued"


def test_running_twice_is_idempotent(setup):
    submit(setup, "a", [("GM9101", "laptop", 2028, 100)])
    with transaction.atomic():
        run = aggregation_request(programme=setup["programme"], reason="x")
    first = aggregation_run(run_id=run.pk)
    again = aggregation_run(run_id=run.pk)
    assert first.pk == again.pk
    assert setup["programme"].snapshots.count() == 1


def test_freeze_records_the_authorities_and_only_once(setup, personas):
    submit(setup, "a", [("GM9101", "laptop", 2028, 100), ("GM9101", "phone", 2028, 5)])
    submit(setup, "b", [("GM9102", "laptop", 2028, 10)])
    submit(setup, "jb", [("GM9103", "monitor", 2029, 30)])
    deadline_passed(setup["programme"])
    snapshot = run_now(setup["programme"])
    frozen = snapshot_freeze(actor=personas["project_team"].user, snapshot=snapshot)
    assert frozen.is_frozen
    assert [a["cbsCode"] for a in frozen.authorities if a["kind"] == "municipality"] == [
        "GM9101",
        "GM9102",
        "GM9103",
    ]
    cadorp = next(a for a in frozen.authorities if a["name"] == "Cadorp")
    assert cadorp["participant"] == "Werkorganisatie Duo"
    setup["programme"].refresh_from_db()
    assert setup["programme"].frozen_at == frozen.frozen_at
    other = run_now(setup["programme"])
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        snapshot_freeze(actor=personas["project_team"].user, snapshot=other)
    with pytest.raises(PermissionDenied):
        snapshot_freeze(actor=personas["editor_a"].user, snapshot=other)


def test_a_submitted_demand_triggers_aggregation(
    setup, personas, django_capture_on_commit_callbacks
):
    from municipalities.services.demand import demand_for_participation, demand_submit

    participation = setup["p"]["a"]
    demand = demand_for_participation(participation=participation)
    editor = personas["editor_a"].user
    with django_capture_on_commit_callbacks(execute=True):
        demand_submit(actor=editor, demand=demand, revision=demand.revision)
    assert (
        AggregationRun.objects.filter(
            programme=setup["programme"], reason="demand.submitted"
        ).count()
        == 1
    )
