"""Writes of the municipality register."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

from django.db import transaction

from municipalities.models import Municipality, Province

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
POPULATION_DATE = date(2024, 1, 1)  # CBS inhabitants on 1 January 2024 (see the CSV header)
_CBS_NAME = re.compile(r"CBS name: (.+)")


@transaction.atomic
def municipality_register_load(*, path: Path = DATA_DIR / "gemeenten.csv") -> int:
    """Load the CBS municipality register. Idempotent; validates every row before writing."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    provinces = set(Province.values)
    for row in rows:
        if not re.fullmatch(r"GM\d{4}", row["cbs_code"]):
            raise ValueError(f"Bad CBS code {row['cbs_code']!r}")
        if row["province"] not in provinces:
            raise ValueError(f"Unknown province {row['province']!r} for {row['cbs_code']}")
    for row in rows:
        match = _CBS_NAME.search(row.get("note") or "")
        Municipality.objects.update_or_create(
            cbs_code=row["cbs_code"],
            defaults={
                "name": row["name"],
                "cbs_name": match.group(1) if match else "",
                "province": row["province"],
                "population": int(row["population"]) if row["population"] else None,
                "population_date": POPULATION_DATE if row["population"] else None,
            },
        )
    return len(rows)
