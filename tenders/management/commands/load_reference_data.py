from django.core.management.base import BaseCommand

from catalog.services import catalog_load_reference
from municipalities.services import municipality_register_load


class Command(BaseCommand):
    help = "Load the municipality register and the catalogue (idempotent)."

    def handle(self, *args, **options):
        municipalities = municipality_register_load()
        catalog = catalog_load_reference()
        self.stdout.write(
            f"reference data: {municipalities} municipalities, {catalog['cpv_codes']} CPV codes, "
            f"{catalog['categories']} categories"
        )
