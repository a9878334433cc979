"""Time the aggregation of programme ``gt-hardware-werkplek`` (data from benchmarks/generate.py)
in the database of the current settings: ``aggregation_run`` — GROUP BY per category, year,
province and size class, the lot totals and the snapshot with its included versions — next to
a floor measured in the same run over the same rows: one SQL statement that computes *and
writes* the same grouped totals,

    INSERT INTO tenders_snapshottotal (snapshot_id, category_id, year, province, size_class,
                                       quantity, participants)
    SELECT <snapshot>, line.category_id, line.year, municipality.province, CASE … END,
           SUM(line.quantity), COUNT(DISTINCT demand.participation_id)
    FROM municipalities_demandversionline line JOIN … WHERE line.version_id IN (...)
    GROUP BY 2, 3, 4, 5

into the table the run writes, with its constraints checked in the statement (``SET CONSTRAINTS
ALL IMMEDIATE``: its foreign keys are otherwise checked when the transaction commits, a cost
every writer of these rows pays), for a snapshot made before the clock starts, in one
transaction that is rolled back: the least any implementation has to ask the database. For
comparison, the same statement into a table of the same shape without foreign keys (``CREATE
TABLE … (LIKE … INCLUDING ALL)``) is reported too. ``aggregation_run`` is timed alone (the run
it computes is created before the clock starts, as a request creates it).

``python -m benchmarks.aggregation [--runs 9] [--out result.json]``; ``python -m benchmarks``
runs it once per scale and puts the numbers in BENCHMARKS.md."""

from __future__ import annotations

import os
import time

import django

from benchmarks.timing import cli, summary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from municipalities.models import DemandVersionLine  # noqa: E402
from tenders.models import (  # noqa: E402
    AggregationRun,
    AggregationSnapshot,
    Programme,
    SnapshotTotal,
)
from tenders.services.aggregation import G4, aggregation_run, included_versions  # noqa: E402

PROGRAMME = "gt-hardware-werkplek"


SCRATCH = "bench_scratch_totals"


def _grouped_insert(table: str, snapshot_id: int, version_ids: list[int]) -> tuple[str, list]:
    """The floor's statement: the same grouped totals into ``table`` (names and codes of the
    code; the ids are parameters)."""
    lines = DemandVersionLine._meta.db_table
    placeholders = ", ".join(["%s"] * len(version_ids))
    g4 = ", ".join(f"'{code}'" for code in G4)
    sql = (
        f"INSERT INTO {table} "  # noqa: S608
        "(snapshot_id, category_id, year, province, size_class, quantity, participants) "
        "SELECT %s, l.category_id, l.year, m.province, "
        f"CASE WHEN m.cbs_code IN ({g4}) THEN 'g4' WHEN m.population >= 100000 "
        "THEN '100k+' WHEN m.population >= 50000 THEN '50-100k' "
        "WHEN m.population >= 20000 THEN '20-50k' WHEN m.population IS NOT NULL "
        "THEN '<20k' ELSE 'unknown' END, SUM(l.quantity), "
        "COUNT(DISTINCT d.participation_id) "
        f"FROM {lines} l JOIN municipalities_municipality m ON m.id = l.municipality_id "
        "JOIN municipalities_demandversion v ON v.id = l.version_id "
        "JOIN municipalities_demand d ON d.id = v.demand_id "
        f"WHERE l.version_id IN ({placeholders}) GROUP BY 2, 3, 4, 5"
    )
    return sql, [snapshot_id, *version_ids]


def floor_query(programme: Programme, version_ids: list[int]) -> tuple[int, float]:
    """Rows written and seconds taken by the floor's one INSERT … SELECT … GROUP BY into
    ``tenders_snapshottotal``, its foreign keys checked in the statement (the snapshot it
    refers to is made before the clock starts; the transaction is rolled back)."""
    with transaction.atomic(), connection.cursor() as cursor:
        run = AggregationRun.objects.create(programme=programme, reason="benchmark floor")
        snapshot = AggregationSnapshot.objects.create(programme=programme, run=run)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        sql, params = _grouped_insert(SnapshotTotal._meta.db_table, snapshot.pk, version_ids)
        started = time.perf_counter()
        cursor.execute(sql, params)
        rows = cursor.rowcount
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return rows, seconds


def floor_without_constraints(version_ids: list[int]) -> float:
    """Seconds taken by the same statement into a table of the same shape without foreign
    keys (made before the clock starts; rolled back)."""
    totals = SnapshotTotal._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {SCRATCH} (LIKE {totals} INCLUDING ALL)")
        sql, params = _grouped_insert(SCRATCH, 0, version_ids)
        started = time.perf_counter()
        cursor.execute(sql, params)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def aggregate(programme: Programme) -> tuple[AggregationSnapshot | None, float]:
    with transaction.atomic():
        run = AggregationRun.objects.create(programme=programme, reason="benchmark")
    started = time.perf_counter()
    snapshot = aggregation_run(run_id=run.pk)
    return snapshot, time.perf_counter() - started


def bench(runs: int) -> dict:
    programme = Programme.objects.get(slug=PROGRAMME)
    version_ids = list(included_versions(programme=programme).values_list("pk", flat=True))
    lines = DemandVersionLine.objects.filter(version_id__in=version_ids).count()
    timings, floor, unconstrained = [], [], []
    snapshot = None
    for _ in range(runs + 1):  # the first run warms caches and is not counted
        groups, seconds = floor_query(programme, version_ids)
        floor.append(seconds)
        unconstrained.append(floor_without_constraints(version_ids))

        snapshot, seconds = aggregate(programme)
        timings.append(seconds)
    timings, floor, unconstrained = timings[1:], floor[1:], unconstrained[1:]
    assert snapshot is not None
    result = {
        "versions": len(version_ids),
        "lines": lines,
        "groups": groups,
        "totals": snapshot.totals.count(),
        "lot_totals": snapshot.lot_totals.count(),
        "runs": runs,
        "aggregation": summary(timings),
        "floor": summary(floor),
        "floor_without_constraints": summary(unconstrained),
    }
    result["ratio"] = result["aggregation"]["median_ms"] / max(result["floor"]["median_ms"], 1e-9)
    return result


def main() -> None:
    cli(bench, description=__doc__, runs=9)


if __name__ == "__main__":
    main()
