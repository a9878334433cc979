from django.conf import settings
from django.core.management.base import BaseCommand

from demo.loader import DEMO_PASSWORD, DEMO_TOTP_SECRET, USERS


class Command(BaseCommand):
    help = "Print the portal's address and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"The portal runs at {options['url']}")
        if not settings.DEMO_MODE:
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in USERS:
            extra = "  [MFA: run `make totp` for the code]" if user.mfa else ""
            signs = ", signatory" if user.is_signatory else ""
            self.stdout.write(f"  {user.email:48} {user.organisation} ({user.role}{signs}){extra}")
        self.stdout.write(
            "  Every other participant: inkoper@<name>.demo.gt-portaal.nl and "
            "burgemeester@<name>.demo.gt-portaal.nl (signatory, MFA)"
        )
        self.stdout.write(
            f"TOTP secret of every MFA demo user (authenticator app): {DEMO_TOTP_SECRET}"
        )
        self.stdout.write("")
