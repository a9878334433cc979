"""The project team's uploads (consultation documents, talk minutes) are scanned by a real
clamd (tests/integration/clamd.py) before they are stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations.services import consultation as consultation_services
from consultations.services import talks as talk_services
from consultations.tests.consultation_helpers import _catalogue as _catalogue
from consultations.tests.consultation_helpers import consultation as consultation
from consultations.tests.talks_helpers import PDF, SLUG, make_consultation, move_to_past, offer, pdf
from portal.models import AuditEvent, ScanStatus
from tests.integration.clamd import FOUND_NAME, MARKER

pytestmark = pytest.mark.django_db

INFECTED_PDF = PDF.replace(b"%%EOF", b"% " + MARKER + b"\n%%EOF")
INFECTED_MESSAGE = "Het bestand bevat een virus of andere schadelijke inhoud"
UNAVAILABLE_MESSAGE = "De virusscan is niet beschikbaar; probeer het later opnieuw."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def post_document(client, consultation, content: bytes):
    return client.post(
        f"/marktconsultaties/{consultation.slug}/beheer",
        {
            "action": "document",
            "document-title": "Concept PvE",
            "document-file": SimpleUploadedFile("pve.pdf", content, "application/pdf"),
        },
    )


def test_an_infected_document_is_refused_next_to_the_field(clamd, personas, consultation, settings):
    page = post_document(personas["project_team"].client(), consultation, INFECTED_PDF)
    assert page.status_code == 422
    html = page.content.decode()
    error = html.split('id="id_document-file-error"', 1)[1].split("</p>", 1)[0]
    assert INFECTED_MESSAGE in error and FOUND_NAME in error
    assert 'value="Concept PvE"' in html
    assert not consultation.documents.exists() and stored_files(settings) == []
    event = AuditEvent.objects.get(action="upload.infected")
    assert event.target_type == "consultations.consultation"
    assert event.data["signature"] == FOUND_NAME


def test_a_clean_document_records_its_scan_and_the_team_sees_it(clamd, personas, consultation):
    client = personas["project_team"].client()
    assert post_document(client, consultation, PDF).status_code == 302
    document = consultation.documents.get()
    assert document.scan_status == ScanStatus.CLEAN
    assert document.scanner_version.startswith("ClamAV ")
    page = client.get(f"/marktconsultaties/{consultation.slug}/beheer").content.decode()
    assert "gescand op " in page and document.scanner_version in page


def test_a_document_is_refused_while_the_scanner_is_down(
    clamd, project_team_user, consultation, settings
):
    clamd.stop()
    with pytest.raises(ValidationError) as refused:
        consultation_services.document_upload(
            actor=project_team_user,
            consultation=consultation,
            title="Concept PvE",
            file=SimpleUploadedFile("pve.pdf", PDF, "application/pdf"),
        )
    assert refused.value.message_dict == {"file": [refused.value.messages[0]]}
    assert UNAVAILABLE_MESSAGE in refused.value.messages[0]
    assert not consultation.documents.exists() and stored_files(settings) == []


@pytest.fixture
def talk(project_team_user, supplier_x_user):
    item = make_consultation(project_team_user)
    slot = offer(item, project_team_user)[0]
    talk_services.slot_book(actor=supplier_x_user, slot=slot)
    return move_to_past(slot)


def test_infected_minutes_are_refused_and_clean_ones_recorded(
    clamd, personas, project_team_user, talk, settings
):
    url = f"/marktconsultaties/{SLUG}/gesprekken/{talk.public_id}/verslag"
    client = personas["project_team"].client()
    page = client.post(url, {"file": pdf(INFECTED_PDF)})
    assert page.status_code == 422
    error = page.content.decode().split('id="id_file-error"', 1)[1].split("</p>", 1)[0]
    assert INFECTED_MESSAGE in error
    talk.refresh_from_db()
    assert not talk.minutes and stored_files(settings) == []
    assert AuditEvent.objects.filter(action="upload.infected").count() == 1
    assert client.post(url, {"file": pdf()}).status_code == 302
    talk.refresh_from_db()
    assert talk.minutes_scan_status == ScanStatus.CLEAN
    assert talk.minutes_scanner_version.startswith("ClamAV ")
    assert talk.minutes_scanned_at is not None
    day = timezone.localdate(talk.starts_at)
    manage = client.get(f"/marktconsultaties/{SLUG}/gesprekken/beheer?dag={day}").content.decode()
    assert "gescand op " in manage
