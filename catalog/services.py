"""Writes of the catalogue."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from catalog.models import Category, CpvCode

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
            code=row["code"],
            defaults={"label_en": row["label_en"], "label_nl": row["label_nl"], "use": row["use"]},
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


def reference_price_add(*, actor, category, unit_price, valid_from, source: str):
    """Record a new reference unit price (project-team editors only); earlier prices stay."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from catalog.models import ReferencePrice
    from portal.audit import audit
    from portal.selectors import is_project_team_editor
    from portal.tenancy import require

    require(is_project_team_editor(user=actor))
    if unit_price is None or unit_price < 0:
        raise ValidationError({"unit_price": _("Enter a price of 0 or more.")})
    if not source.strip():
        raise ValidationError({"source": _("Say where the price comes from.")})
    with transaction.atomic():
        price = ReferencePrice.objects.create(
            category=category,
            unit_price=unit_price,
            valid_from=valid_from,
            source=source.strip(),
            created_by=actor,
        )
        audit(
            actor=actor,
            action="reference_price.added",
            target=price,
            category=category.slug,
            unit_price=str(unit_price),
            valid_from=valid_from.isoformat(),
        )
    return price
