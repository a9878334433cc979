"""Demo data for the embedded/dev configuration: a programme whose tender was published some
two and a half weeks ago, told as the law has it. Never loaded outside DEMO_MODE; loading it
again changes nothing.

The story, relative to the day it is first loaded: some thirty municipalities, a joint body
and a deelneming took part; the participants registered, had their mandates drawn up and
signed by their mayors, were approved (two returned, two withdrew with their reasons) and
submitted their demand in every category, scaled by their staff; the market consultation ran
after the demand deadline and three suppliers answered it; the project team froze the
aggregated demand, with the authorities that may call off and each lot's estimate and maximum,
built the tender on it with its documents and published it with four eyes; suppliers asked
questions, the first nota van inlichtingen was published, and the question round is open.

In three steps, each in its own transaction, so that what the services announce on commit
(an aggregation run after submitted demand) has happened before the freeze reads it:
reference data, organisations, users and the programme; the participants' story and the
consultation; the aggregation, the freeze, the tender, its publication and its questions.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from catalog.services import catalog_load_reference
from demo.loader.consultation import SLUG as DEMO_CONSULTATION_SLUG
from demo.loader.consultation import consultation_load
from demo.loader.enquiries import enquiries_load
from demo.loader.freeze import freeze_load
from demo.loader.identity import identity_load
from demo.loader.onboarding import onboarding_load
from demo.loader.organisations import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    PARTICIPANTS,
    USERS,
    all_users,
    organisations_load,
    users_load,
)
from demo.loader.participants import participants_load
from demo.loader.programme import lots_load, prices_load, programme_load
from demo.loader.publication import publication_load
from demo.loader.tender import tender_load
from municipalities.models import Participation
from municipalities.services import municipality_register_load
from portal.models import Organisation, User
from tenders.management.commands.load_reference_data import thresholds_load
from tenders.models import Milestone, Programme

__all__ = [
    "DEMO_CONSULTATION_SLUG",
    "DEMO_PASSWORD",
    "DEMO_TOTP_SECRET",
    "PARTICIPANTS",
    "USERS",
    "all_users",
    "demo_load",
]


def demo_load() -> dict[str, int]:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demo data is only loaded in the embedded/dev configuration.")
    programme, organisations, users = _base_load()
    team = User.objects.get(email=USERS[0].email)
    onboarding_load(team=team)
    with transaction.atomic():
        if not Participation.objects.filter(programme=programme).exists():
            participants_load(programme=programme, users=users, team=team)
        consultation_load(programme=programme, actor=team)
    second = User.objects.get(email=USERS[1].email)
    with transaction.atomic():
        freeze_load(programme=programme, actor=team)
        tender = tender_load(programme=programme, actor=team)
        tender = publication_load(tender=tender, requester=team, confirmer=second)
        enquiries_load(tender=tender, answerer=team, confirmer=second)
    return {
        "organisations": len(organisations),
        "users": len(users),
        "participants": Participation.objects.filter(programme=programme).count(),
    }


@transaction.atomic
def _base_load() -> tuple[Programme, dict[str, Organisation], dict[str, User]]:
    """What the story rests on; each part is idempotent. The reference data is loaded here
    too (it is normally loaded first), as the demo cannot do without it."""
    municipality_register_load()
    catalog_load_reference()
    thresholds_load()
    programme, _created = programme_load(today=timezone.localdate())
    lots_load(programme=programme)
    opens = programme.milestones.get(kind=Milestone.Kind.JOINING_OPENS).due_at
    prices_load(valid_from=opens.date())
    organisations = organisations_load()
    users = users_load(organisations)
    identity_load(organisations, users)
    return programme, organisations, users
