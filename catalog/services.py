"""Writes of the catalogue."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from .models import Category, CpvCode

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@transaction.atomic
def catalog_load_reference(*, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Load CPV codes and categories. Idempotent: existing rows are updated, none duplicated."""
    cpv_rows = _rows(data_dir / "cpv-ict-hardware.csv")
    for row in cpv_rows:
        CpvCode.objects.update_or_create(
            code=row["code"], defaults={"label_en": row["label_en"], "use": row["use"]}
        )
    category_rows = _rows(data_dir / "categories.csv")
    codes = {c.code: c for c in CpvCode.objects.all()}
    for order, row in enumerate(category_rows):
        Category.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "kind": row["kind"],
                "name_nl": row["name_nl"],
                "name_en": row["name_en"],
                "unit_nl": row["unit_nl"],
                "unit_en": row["unit_en"],
                "cpv_code": codes[row["cpv_code"]],
                "sort_order": order * 10,
            },
        )
    return {"cpv_codes": len(cpv_rows), "categories": len(category_rows)}
