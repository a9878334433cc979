"""Time the Excel upload of a demand inventory in the database of the current settings:
``parse_demand_workbook`` + ``demand_save_draft`` for 3 municipalities × 40 categories × 4
years (480 lines), every figure different from the last upload's, next to a floor measured in
the same run on the same file: openpyxl reading the values of every sheet in read-only mode
(``read_only=True, data_only=True``, ``iter_rows(values_only=True)``), the part no
implementation can avoid. Also the largest refused workbook: the same file with one sheet
replaced by 550,000 one-figure rows (within the size limits), its handling time and peak
memory (tracemalloc) until it is refused.

``python -m benchmarks.excel [--runs 9] [--out result.json]``; ``python -m benchmarks`` runs it
once per scale and puts the numbers in BENCHMARKS.md."""

from __future__ import annotations

import io
import os
import time
import tracemalloc

import django

from benchmarks.bounded import half_a_million_rows
from benchmarks.timing import cli, summary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from catalog.models import Category, CpvCode  # noqa: E402
from catalog.services import catalog_load_reference  # noqa: E402
from municipalities.excel import (  # noqa: E402
    COLUMNS_KEY,
    demand_workbook,
    parse_demand_workbook,
)
from municipalities.models import CoveredMunicipality, Municipality, Participation  # noqa: E402
from municipalities.services.demand import demand_for_participation, demand_save_draft  # noqa: E402
from portal.models import Membership, Organisation, Role, User  # noqa: E402
from tenders.models import Programme  # noqa: E402

MUNICIPALITIES, CATEGORIES, YEARS = 3, 40, 4


@transaction.atomic
def setup():
    """A joint body with an approved participation for 3 municipalities in a programme of its
    own, and 40 active device categories (bench categories added when the catalogue has fewer)."""
    catalog_load_reference()
    devices = Category.objects.filter(is_active=True).exclude(kind=Category.Kind.SERVICE)
    cpv = CpvCode.objects.first()
    for i in range(max(0, CATEGORIES - devices.count())):
        Category.objects.update_or_create(
            slug=f"bench-{i:02d}",
            defaults={
                "name_nl": f"Benchcategorie {i}",
                "name_en": f"Bench category {i}",
                "kind": Category.Kind.DEVICE,
                "cpv_code": cpv,
                "sort_order": 1000 + i,
                "is_active": True,
            },
        )
    programme, _ = Programme.objects.get_or_create(
        slug="bench-excel",
        defaults={
            "name": "Bench Excel",
            "status": Programme.Status.JOINING,
            "contract_start_year": 2028,
            "contract_years": YEARS,
        },
    )
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-excel-joint-body",
        defaults={"name": "Bench Excel werkorganisatie", "kind": Organisation.Kind.JOINT_BODY},
    )
    user = User.objects.filter(email="bench-excel@example.org").first() or (
        User.objects.create_user("bench-excel@example.org", password=None)
    )
    Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.EDITOR)
    participation, created = Participation.objects.get_or_create(
        programme=programme,
        organisation=organisation,
        defaults={"status": Participation.Status.APPROVED, "created_by": user},
    )
    if created:
        for municipality in Municipality.objects.order_by("cbs_code")[:MUNICIPALITIES]:
            CoveredMunicipality.objects.create(
                participation=participation, municipality=municipality, programme=programme
            )
    return demand_for_participation(participation=participation), user


def filled_workbook(demand, offset: int = 0) -> bytes:
    workbook = load_workbook(io.BytesIO(demand_workbook(demand)))
    for sheet in workbook.worksheets[1:-1]:
        keys = next(row for row in sheet.iter_rows() if row[0].value == COLUMNS_KEY)
        columns = [cell.column for cell in keys if str(cell.value).startswith("q:")]
        for row in sheet.iter_rows(min_row=keys[0].row + 3):
            for n, column in enumerate(columns):
                sheet.cell(row=row[0].row, column=column, value=10 * (row[0].row + n) + offset)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def refused(demand, content: bytes, runs: int) -> dict:
    """Handling time and peak memory of the largest workbook the shape check refuses."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        data, problems = parse_demand_workbook(demand, SimpleUploadedFile("r.xlsx", content))
        times.append(time.perf_counter() - started)
        assert data is None and problems, "the workbook of 550,000 rows was not refused"
    tracemalloc.start()
    parse_demand_workbook(demand, SimpleUploadedFile("r.xlsx", content))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "size_kb": len(content) / 1024,
        "time": summary(times[1:]),
        "peak_mb": peak / (1024 * 1024),
    }


def floor_read(content: bytes) -> int:
    """openpyxl's read-only mode reading the values of every sheet (no cell objects)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    cells = sum(
        len(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
    )
    workbook.close()
    return cells


def bench(runs: int) -> dict:
    demand, user = setup()
    # Two workbooks in which every figure differs: each upload changes all 480 lines (the
    # save writes only what differs, so uploading one file again would write nothing).
    contents = [filled_workbook(demand, offset) for offset in (0, 1)]
    parse, save, total, floor = [], [], [], []
    lines = 0
    for run in range(runs + 1):  # the first run warms caches and is not counted
        content = contents[run % 2]
        started = time.perf_counter()
        floor_read(content)
        floor_seconds = time.perf_counter() - started

        demand.refresh_from_db()
        started = time.perf_counter()
        data, problems = parse_demand_workbook(demand, SimpleUploadedFile("b.xlsx", content))
        parsed = time.perf_counter()
        assert not problems, problems[:3]
        demand_save_draft(
            actor=user, demand=demand, revision=demand.revision, data=data, source="excel"
        )
        saved = time.perf_counter()
        lines = len(data.lines)
        parse.append(parsed - started)
        save.append(saved - parsed)
        total.append(saved - started)
        floor.append(floor_seconds)
    parse, save, total, floor = parse[1:], save[1:], total[1:], floor[1:]
    result = {
        "lines": lines,
        "size_kb": len(content) / 1024,
        "runs": runs,
        "parse": summary(parse),
        "save": summary(save),
        "total": summary(total),
        "floor": summary(floor),
    }
    result["ratio"] = result["total"]["median_ms"] / max(result["floor"]["median_ms"], 1e-9)
    result["refused"] = refused(demand, half_a_million_rows(content), runs)
    return result


def main() -> None:
    cli(bench, description=__doc__, runs=9)


if __name__ == "__main__":
    main()
