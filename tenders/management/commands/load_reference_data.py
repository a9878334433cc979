import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.services import catalog_load_reference
from municipalities.services import municipality_register_load
from tenders.models import EuThreshold

THRESHOLDS = Path(__file__).resolve().parents[3] / "catalog" / "data" / "eu-thresholds.csv"


@transaction.atomic
def thresholds_load(path: Path = THRESHOLDS) -> int:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    for row in rows:
        EuThreshold.objects.update_or_create(
            valid_from=date.fromisoformat(row["valid_from"]),
            authority_type=row["authority_type"],
            contract_type=row["contract_type"],
            defaults={
                "amount": Decimal(row["amount"]),
                "valid_until": date.fromisoformat(row["valid_until"])
                if row["valid_until"]
                else None,
                "label": row["label"],
            },
        )
    return len(rows)


class Command(BaseCommand):
    help = "Load the municipality register, the catalogue and the EU thresholds (idempotent)."

    def handle(self, *args, **options):
        municipalities = municipality_register_load()
        catalog = catalog_load_reference()
        thresholds = thresholds_load()
        self.stdout.write(
            f"reference data: {municipalities} municipalities, {catalog['cpv_codes']} CPV codes, "
            f"{catalog['categories']} categories, {thresholds} EU thresholds"
        )
