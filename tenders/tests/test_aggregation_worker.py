"""Aggregation through the queue, with a real Celery worker and Redis: submitting demand and
withdrawing a participation trigger runs (domain events → coalesced request → task), the
snapshots match hand-computed totals, and old snapshots never change."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest
from django.db import connection

from municipalities.demand_data import DemandData
from municipalities.models import Participation
from municipalities.services.demand import (
    demand_for_participation,
    demand_save_draft,
    demand_submit,
)
from municipalities.services.participations import participation_withdraw
from tenders.models import AggregationRun, AggregationSnapshot
from tenders.tests.test_aggregation import setup as _setup  # noqa: F401 (the "setup" fixture)

ACTIVE = ["queued", "running"]


@pytest.fixture
def agg(request, celery_worker, personas):
    """tenders/tests/test_aggregation.py's data (committed), with an editor per participant."""
    data = request.getfixturevalue("_setup")
    data["editors"] = {
        "a": personas["editor_a"].user,
        "b": personas["editor_b"].user,
        "jb": personas["joint_body"].user,
    }
    return data


def submit(agg, key, rows):
    """Save the working copy and submit it, as the form does: (cbs code, category, year, q)."""
    demand = demand_for_participation(participation=agg["p"][key])
    data = DemandData(
        lines={
            (agg["munis"][code].pk, agg["cats"][cat].pk, year): (q, None, None)
            for code, cat, year, q in rows
        }
    )
    actor = agg["editors"][key]
    demand_save_draft(actor=actor, demand=demand, revision=demand.revision, data=data)
    return demand_submit(actor=actor, demand=demand, revision=demand.revision)


def settled(programme, *, versions: int | None = None, after: int = 0):
    """The newest snapshot once no run is active (and it includes ``versions`` versions)."""

    def check():
        runs = AggregationRun.objects.filter(programme=programme)
        failed = runs.filter(status="failed").first()
        if failed is not None:
            pytest.fail(f"Aggregation run failed: {failed.error}")
        if runs.filter(status__in=ACTIVE).exists():
            return None
        snapshots = AggregationSnapshot.objects.filter(programme=programme)
        if snapshots.count() <= after:
            return None
        newest = snapshots.order_by("-created_at", "-id").first()
        if versions is not None and newest.included_versions.count() != versions:
            return None
        return newest

    return check


def lot_totals(snapshot):
    return {
        (t.lot.number, t.year): (t.quantity, t.estimated_value, t.maximum_value, t.participants)
        for t in snapshot.lot_totals.select_related("lot")
    }


@pytest.mark.celery
def test_submissions_and_a_withdrawal_are_aggregated_by_the_worker(celery_worker, agg):
    programme = agg["programme"]
    submit(agg, "a", [("GM9101", "laptop", 2028, 100), ("GM9101", "monitor", 2029, 50)])
    submit(agg, "b", [("GM9102", "laptop", 2028, 10), ("GM9102", "phone", 2029, 40)])
    submit(agg, "jb", [("GM9103", "monitor", 2028, 30)])
    first = celery_worker.wait_for(
        settled(programme, versions=3), timeout=60, what="the snapshot of three submissions"
    )
    # Hand-computed: laptops 1000, monitors 200, phones 500; lot 1 +25 %, lot 2 +10 %.
    expected_first = {
        (1, 2028): (140, Decimal("116000.00"), Decimal("145000.00"), 3),
        (1, 2029): (50, Decimal("10000.00"), Decimal("12500.00"), 3),
        (1, 0): (190, Decimal("126000.00"), Decimal("157500.00"), 3),
        (2, 2029): (40, Decimal("20000.00"), Decimal("22000.00"), 1),
        (2, 0): (40, Decimal("20000.00"), Decimal("22000.00"), 1),
    }
    assert lot_totals(first) == expected_first
    # Every submission asked for a run, coalesced into as few runs as the timing allowed.
    assert AggregationRun.objects.filter(programme=programme).count() <= 3

    snapshots_before = AggregationSnapshot.objects.filter(programme=programme).count()
    participation_withdraw(actor=agg["editors"]["b"], participation=agg["p"]["b"])
    second = celery_worker.wait_for(
        settled(programme, versions=2, after=snapshots_before),
        timeout=60,
        what="the snapshot after the withdrawal",
    )
    assert AggregationRun.objects.filter(reason="participation.withdrawn").exists()
    assert lot_totals(second) == {
        (1, 2028): (130, Decimal("106000.00"), Decimal("132500.00"), 2),
        (1, 2029): (50, Decimal("10000.00"), Decimal("12500.00"), 2),
        (1, 0): (180, Decimal("116000.00"), Decimal("145000.00"), 2),
        (2, 0): (0, Decimal("0.00"), Decimal("0.00"), 0),
    }
    # The old snapshot is immutable: same totals, same versions.
    first.refresh_from_db()
    assert lot_totals(first) == expected_first
    assert first.included_versions.count() == 3
    assert Participation.objects.get(pk=agg["p"]["b"].pk).status == "withdrawn"


@pytest.mark.celery
def test_submits_in_quick_succession_are_coalesced_in_the_queue(celery_worker, agg):
    """While the worker is inside a run (held at writing its snapshot by a table lock), further
    submissions queue no new run; they mark one follow-up that includes all of them."""
    programme = agg["programme"]
    blocker = psycopg.connect(**connection.get_connection_params())
    try:
        blocker.execute(f"LOCK TABLE {AggregationSnapshot._meta.db_table} IN SHARE MODE")
        submit(agg, "a", [("GM9101", "laptop", 2028, 1)])
        celery_worker.wait_for(
            lambda: AggregationRun.objects.filter(programme=programme, status="running").exists(),
            timeout=60,
            what="the first run to start",
        )
        for quantity in (2, 3, 4):
            submit(agg, "a", [("GM9101", "laptop", 2028, quantity)])
            submit(agg, "jb", [("GM9103", "monitor", 2029, 10 * quantity)])
            active = AggregationRun.objects.filter(programme=programme, status__in=ACTIVE)
            assert active.filter(status="queued").count() == 0
            assert active.count() == 1 and active.get().follow_up_requested
    finally:
        blocker.rollback()  # releases the lock: the worker writes its snapshot
        blocker.close()
    final = celery_worker.wait_for(
        settled(programme, versions=2, after=1), timeout=60, what="the follow-up snapshot"
    )
    runs = AggregationRun.objects.filter(programme=programme)
    assert runs.count() == 2 and set(runs.values_list("status", flat=True)) == {"done"}
    assert sorted(final.included_versions.values_list("number", flat=True)) == [3, 4]
    totals = lot_totals(final)
    assert totals[(1, 2028)][0] == 4
    assert totals[(1, 2029)][0] == 40
    assert totals[(1, 0)][:3] == (44, Decimal("12000.00"), Decimal("15000.00"))


@pytest.mark.django_db(transaction=True)
def test_requesting_a_run_does_not_block_a_committing_run(request):
    """Regression: ``aggregation_request`` locked the programme FOR UPDATE. A worker finishing
    a run holds the run's row lock and, at commit, checks the snapshot's deferred foreign key
    to the programme (FOR KEY SHARE), which waited for that lock while the request waited for
    the run's row: a deadlock. The request's lock must let foreign-key checks through."""
    from django.db import transaction

    from tenders.services.aggregation import aggregation_request

    programme = request.getfixturevalue("_setup")["programme"]
    other = psycopg.connect(**connection.get_connection_params())
    try:
        other.execute("SET lock_timeout = '2s'")
        with transaction.atomic():
            aggregation_request(programme=programme, reason="test")  # its lock is held here
            other.execute(
                "SELECT id FROM tenders_programme WHERE id = %s FOR KEY SHARE", [programme.pk]
            )
        other.rollback()
    finally:
        other.close()
