"""Time the aggregation of programme ``gt-hardware-werkplek`` (data from benchmarks/generate.py)
in the database of the current settings: ``aggregation_run`` — GROUP BY per category, year,
province and size class, the lot totals and the snapshot with its included versions — next to
a floor measured in the same run over the same rows: the plain SQL

    SELECT category_id, year, SUM(quantity) FROM municipalities_demandversionline
    WHERE version_id IN (...) GROUP BY category_id, year

the least any implementation has to ask the database.

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
from tenders.models import AggregationRun, Programme  # noqa: E402
from tenders.services.aggregation import aggregation_run, included_versions

PROGRAMME = "gt-hardware-werkplek"


def floor_query(version_ids: list[int]) -> int:
    table = DemandVersionLine._meta.db_table
    placeholders = ", ".join(["%s"] * len(version_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT category_id, year, SUM(quantity) FROM {table} "  # noqa: S608 (ids only)
            f"WHERE version_id IN ({placeholders}) GROUP BY category_id, year",
            version_ids,
        )
        return len(cursor.fetchall())


def aggregate(programme: Programme):
    with transaction.atomic():
        run = AggregationRun.objects.create(programme=programme, reason="benchmark")
    return aggregation_run(run_id=run.pk)


def bench(runs: int) -> dict:
    programme = Programme.objects.get(slug=PROGRAMME)
    version_ids = list(included_versions(programme=programme).values_list("pk", flat=True))
    lines = DemandVersionLine.objects.filter(version_id__in=version_ids).count()
    timings, floor = [], []
    snapshot = None
    for _ in range(runs + 1):  # the first run warms caches and is not counted
        started = time.perf_counter()
        groups = floor_query(version_ids)
        floor.append(time.perf_counter() - started)

        started = time.perf_counter()
        snapshot = aggregate(programme)
        timings.append(time.perf_counter() - started)
    timings, floor = timings[1:], floor[1:]
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
    }
    result["ratio"] = result["aggregation"]["median_ms"] / max(result["floor"]["median_ms"], 1e-9)
    return result


def main() -> None:
    cli(bench, description=__doc__, runs=9)


if __name__ == "__main__":
    main()
