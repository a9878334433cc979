import time

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo programme, organisations and users (dev configuration only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            self.stdout.write("demo data: skipped (not the embedded/dev configuration)")
            return
        started = time.monotonic()
        result = demo_load()
        self.stdout.write(
            f"demo data: programme, {result['organisations']} organisations, "
            f"{result['users']} users, {result['participants']} participants "
            f"({time.monotonic() - started:.1f} s)"
        )
