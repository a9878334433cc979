"""Time every Excel export of the portal in the database of the current settings, each as its
view makes it, next to a floor measured in the same run: openpyxl's write-only mode writing the
same cells (the values the export wrote, read back from it before the clock starts) into a
temporary file, the least any implementation has to do.

- the review export of all answers of the closed consultation
  (``/marktconsultaties/<slug>/beoordeling/export.xlsx``);
- the participants overview, the demand overview with every line of the latest versions, and
  the frozen aggregation with every participant's contribution, of the tender's programme
  (``/programmas/<slug>/deelnemers/export``, ``…/inventarisatie/export``,
  ``…/aggregatie/<snapshot>/export.xlsx``; data from benchmarks/generate.py).

Each export is timed as the view makes it: the selectors, the workbook written in write-only
mode into a temporary file, and that file read to its end (as the response streams it). Also
its peak Python memory (tracemalloc) while it is made and read; run at two scales it shows that
memory stays flat in the rows. An export that takes over two seconds is run three times.

``python -m benchmarks.exports [--runs 9] [--out result.json]``; ``python -m benchmarks`` runs it
once per scale and puts the numbers in BENCHMARKS.md."""

from __future__ import annotations

import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import IO

import django

from benchmarks.timing import cli, summary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from openpyxl import Workbook, load_workbook  # noqa: E402

from consultations.exports import review_answers_xlsx  # noqa: E402
from consultations.models import Consultation  # noqa: E402
from consultations.selectors.review_export import review_export_data  # noqa: E402
from tenders.exports import (  # noqa: E402
    aggregation_snapshot_xlsx,
    demand_overview_xlsx,
    participation_overview_xlsx,
)
from tenders.models import AggregationSnapshot, Programme  # noqa: E402
from tenders.selectors import demand_follow_up  # noqa: E402
from tenders.selectors import demand_overview as demand_overview_selectors  # noqa: E402

CONSULTATION = "marktconsultatie-gt-werkplek-2026"
PROGRAMME = "gt-hardware-werkplek-2026"
LONG_SECONDS = 2.0
LONG_RUNS = 3


def makers() -> list[tuple[str, str, Callable[[], IO[bytes]]]]:
    """Each export: its name, its function and how its view makes it."""
    consultation = Consultation.objects.get(slug=CONSULTATION)
    programme = Programme.objects.get(slug=PROGRAMME)
    snapshot = AggregationSnapshot.objects.filter(programme=programme, is_frozen=True).first()
    found: list[tuple[str, str, Callable[[], IO[bytes]]]] = [
        (
            f"Review export of all answers of `{CONSULTATION}`",
            "review_answers_xlsx",
            lambda: review_answers_xlsx(
                consultation=consultation, data=review_export_data(consultation=consultation)
            )[0],
        ),
        (
            f"Participants overview of `{PROGRAMME}`",
            "participation_overview_xlsx",
            lambda: participation_overview_xlsx(programme=programme),
        ),
        (
            f"Demand overview of `{PROGRAMME}` with every line of the latest versions",
            "demand_overview_xlsx",
            lambda: demand_overview_xlsx(
                programme=programme,
                overview=demand_overview_selectors.demand_overview(programme=programme),
                lines=demand_follow_up.demand_export_lines(programme=programme),
            ),
        ),
    ]
    if snapshot is not None:
        found.append(
            (
                f"Frozen aggregation of `{PROGRAMME}` with every participant's contribution",
                "aggregation_snapshot_xlsx",
                lambda: aggregation_snapshot_xlsx(programme=programme, snapshot=snapshot),
            )
        )
    return found


def read_out(file: IO[bytes]) -> int:
    """The file read to its end, as the response streams it; its size."""
    size = 0
    with file:
        while chunk := file.read(64 * 1024):
            size += len(chunk)
    return size


def cells_of(file: IO[bytes]) -> list[tuple[str, list[list]]]:
    """The values an export wrote, sheet by sheet (read back from it)."""
    with file:
        workbook = load_workbook(file, read_only=True)
        sheets = [
            (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
            for sheet in workbook.worksheets
        ]
        workbook.close()
    return sheets


def floor_write(sheets: list[tuple[str, list[list]]]) -> int:
    """openpyxl's write-only mode writing the same cells into a temporary file."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        size = 0
        while chunk := out.read(64 * 1024):
            size += len(chunk)
    return size


def peak_memory(make: Callable[[], IO[bytes]]) -> float:
    tracemalloc.start()
    try:
        read_out(make())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


def measure(name: str, function: str, make: Callable[[], IO[bytes]], runs: int) -> dict:
    started = time.perf_counter()
    sheets = cells_of(make())  # also warms caches; not counted
    if time.perf_counter() - started > LONG_SECONDS:
        runs = min(runs, LONG_RUNS)
    size = 0
    timings, floor = [], []
    floor_size = 0
    for _ in range(runs):
        started = time.perf_counter()
        floor_size = floor_write(sheets)
        floor.append(time.perf_counter() - started)

        started = time.perf_counter()
        size = read_out(make())
        timings.append(time.perf_counter() - started)
    result = {
        "name": name,
        "function": function,
        "rows": sum(len(rows) for _title, rows in sheets),
        "cells": sum(len(row) for _title, rows in sheets for row in rows),
        "size_kb": size / 1024,
        "floor_size_kb": floor_size / 1024,
        "runs": runs,
        "export": summary(timings),
        "floor": summary(floor),
        "peak_mb": peak_memory(make),
    }
    result["ratio"] = result["export"]["median_ms"] / max(result["floor"]["median_ms"], 1e-9)
    return result


def bench(runs: int) -> dict:
    exports = [measure(name, function, make, runs) for name, function, make in makers()]
    worst = max(exports, key=lambda export: export["ratio"])
    return {
        "exports": exports,
        "ratio": worst["ratio"],
        "worst": worst["name"],
        "peak_mb": max(export["peak_mb"] for export in exports),
    }


def main() -> None:
    cli(bench, description=__doc__, runs=9)


if __name__ == "__main__":
    main()
