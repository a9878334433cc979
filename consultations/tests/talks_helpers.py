"""What the talk tests share (the browser test too): media in a temporary folder, a
published, open consultation, slots offered at a Dutch wall-clock time, a talk moved to the
past, a PDF for the minutes, and a client for a user that is not one of the personas.

The test modules import the fixtures below as ``from ... import name as name``: pytest finds
a fixture by its name in the module, and the redundant alias marks the import as used."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations.models import Consultation, TalkSlot
from consultations.services import talks as services
from tenders.tests.conftest import open_consultation

AMS = ZoneInfo("Europe/Amsterdam")
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[9 0 R]/Count 1>>endobj\n"
    b"9 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
SLUG = "mc-talks"
SUPPLIER_URL = f"/marktconsultaties/{SLUG}/gesprekken"
MANAGE_URL = f"/marktconsultaties/{SLUG}/gesprekken/beheer"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_consultation(actor) -> Consultation:
    """A published, open consultation with a published questionnaire."""
    return open_consultation(actor, slug=SLUG, programme_slug="gt-talks", question_text="?")


@pytest.fixture
def consultation(project_team_user):
    return make_consultation(project_team_user)


def day_at(days: int, hour: int, minute: int = 0) -> datetime:
    """A Dutch wall-clock time ``days`` from today."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


def offer(consultation, actor, *, days=3, hour=10, length=45, count=3, **kwargs):
    return services.slots_create(
        actor=actor,
        consultation=consultation,
        first_start=day_at(days, hour),
        length_minutes=length,
        count=count,
        location=kwargs.pop("location", "VNG, Den Haag"),
        **kwargs,
    )


def move_to_past(slot: TalkSlot) -> TalkSlot:
    """Let a talk have taken place (the scene for minutes): two hours ago."""
    length = slot.ends_at - slot.starts_at
    slot.starts_at = timezone.now() - timedelta(hours=2)
    slot.ends_at = slot.starts_at + length
    slot.save(update_fields=["starts_at", "ends_at"])
    return slot


def pdf(content: bytes = PDF, name: str = "verslag.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


class UserClient:
    """A logged-in test client for a user that is not one of the personas."""

    def __new__(cls, user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client
