"""Time the review export of all answers (``/marktconsultaties/<slug>/beoordeling/export.xlsx``)
of the closed consultation (data from benchmarks/generate_consultation.py) in the database of the
current settings, next to a floor measured in the same run: openpyxl's write-only mode writing
the same cells (the values the export wrote, read back from it before the clock starts) into a
temporary file, the least any implementation has to do. The export is timed as the view makes
it: the selector, the workbook written a chunk of responses at a time into a temporary file,
and that file read to its end (as the response streams it). Also its peak Python memory
(tracemalloc) while it is made and read; run at two scales it shows that memory stays flat in
the rows.

``python -m benchmarks.exports [--runs 9] [--out result.json]``; ``python -m benchmarks`` runs it
once per scale and puts the numbers in BENCHMARKS.md."""

from __future__ import annotations

import os
import tempfile
import time
import tracemalloc

import django

from benchmarks.timing import cli, summary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from openpyxl import Workbook, load_workbook  # noqa: E402

from consultations.exports import review_answers_xlsx  # noqa: E402
from consultations.models import Consultation  # noqa: E402
from consultations.selectors.review_export import review_export_data  # noqa: E402

CONSULTATION = "marktconsultatie-gt-werkplek-2026"


def export(consultation: Consultation) -> tuple[int, int]:
    """The export as the view makes it; its size in bytes and its responses."""
    file, responses = review_answers_xlsx(
        consultation=consultation, data=review_export_data(consultation=consultation)
    )
    size = 0
    with file:
        while chunk := file.read(64 * 1024):
            size += len(chunk)
    return size, responses


def cells_of(consultation: Consultation) -> list[tuple[str, list[list]]]:
    """The values the export wrote, sheet by sheet (read back from one export)."""
    file, _responses = review_answers_xlsx(
        consultation=consultation, data=review_export_data(consultation=consultation)
    )
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


def peak_memory(consultation: Consultation) -> float:
    tracemalloc.start()
    try:
        export(consultation)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024)


def bench(runs: int) -> dict:
    consultation = Consultation.objects.get(slug=CONSULTATION)
    sheets = cells_of(consultation)
    timings, floor = [], []
    size = responses = floor_size = 0
    for _ in range(runs + 1):  # the first run warms caches and is not counted
        started = time.perf_counter()
        floor_size = floor_write(sheets)
        floor.append(time.perf_counter() - started)

        started = time.perf_counter()
        size, responses = export(consultation)
        timings.append(time.perf_counter() - started)
    timings, floor = timings[1:], floor[1:]
    result = {
        "consultation": CONSULTATION,
        "responses": responses,
        "cells": sum(len(row) for _title, rows in sheets for row in rows),
        "size_kb": size / 1024,
        "floor_size_kb": floor_size / 1024,
        "runs": runs,
        "export": summary(timings),
        "floor": summary(floor),
        "peak_mb": peak_memory(consultation),
    }
    result["ratio"] = result["export"]["median_ms"] / max(result["floor"]["median_ms"], 1e-9)
    return result


def main() -> None:
    cli(bench, description=__doc__, runs=9)


if __name__ == "__main__":
    main()
