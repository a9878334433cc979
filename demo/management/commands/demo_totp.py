from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loader import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current TOTP code of the project-team demo user (dev configuration only)."

    def handle(self, *args, **options):
        import time

        if not settings.DEMO_MODE:
            raise CommandError("Only available in the embedded/dev configuration.")
        counter = int(time.time()) // 30
        remaining = 30 - int(time.time()) % 30
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
        self.stdout.write(f"{code}  (valid for another {remaining} s)")
