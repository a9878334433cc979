"""A participant's uploads (the signed mandate, the college's decision and the designation,
the demand workbook) are scanned by a real clamd (tests/integration/clamd.py) before they are
stored or read."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from municipalities.models import MandateSignature
from municipalities.services.mandates import mandate_upload_signed
from municipalities.tests.conftest import MINIMAL_PDF, record_authority
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import demand as demand
from municipalities.tests.excel_helpers import download, edit, state, upload
from municipalities.tests.excel_helpers import editor as editor
from municipalities.tests.test_mandate_authority import authority_form
from portal.models import AuditEvent, ScanStatus
from tests.integration.clamd import FOUND_NAME, MARKER

pytestmark = pytest.mark.django_db

INFECTED_PDF = MINIMAL_PDF.replace(b"%%EOF", b"% " + MARKER + b"\n%%EOF")
INFECTED_MESSAGE = "Het bestand bevat een virus of andere schadelijke inhoud"
UNAVAILABLE_MESSAGE = "De virusscan is niet beschikbaar; probeer het later opnieuw."


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def field_error(html: str, field: str) -> str:
    return html.split(f'id="id_{field}-error"', 1)[1].split("</p>", 1)[0]


def test_an_infected_signed_mandate_is_refused_and_a_clean_one_recorded(
    clamd, personas, participation_a, ready_document, settings
):
    client = personas["editor_a"].client()
    url = reverse("municipalities:mandate-upload", args=[participation_a.public_id])
    before = stored_files(settings)
    infected = SimpleUploadedFile("scan.pdf", INFECTED_PDF, "application/pdf")
    page = client.post(url, {"upload-file": infected})
    assert page.status_code == 422
    error = field_error(page.content.decode(), "upload-file")
    assert INFECTED_MESSAGE in error and FOUND_NAME in error
    assert not MandateSignature.objects.exists() and stored_files(settings) == before
    event = AuditEvent.objects.get(action="upload.infected")
    assert event.organisation == participation_a.organisation
    assert event.data["signature"] == FOUND_NAME

    clean = SimpleUploadedFile("scan.pdf", MINIMAL_PDF, "application/pdf")
    assert client.post(url, {"upload-file": clean}).status_code == 302
    signature = MandateSignature.objects.get()
    assert signature.scan_status == ScanStatus.CLEAN
    assert signature.scanner_version.startswith("ClamAV ")
    # The project team sees the scan next to the uploaded file.
    mandate = reverse("municipalities:mandate", args=[participation_a.public_id])
    assert "gescand op " in personas["project_team"].client().get(mandate).content.decode()


def test_a_signed_mandate_is_refused_while_the_scanner_is_down(
    clamd, participation_a, ready_document, editor_a, settings
):
    clamd.stop()
    before = stored_files(settings)
    with pytest.raises(ValidationError) as refused:
        mandate_upload_signed(
            actor=editor_a,
            participation=participation_a,
            file=SimpleUploadedFile("scan.pdf", MINIMAL_PDF, "application/pdf"),
        )
    assert refused.value.message_dict == {"file": [refused.value.messages[0]]}
    assert UNAVAILABLE_MESSAGE in refused.value.messages[0]
    assert not MandateSignature.objects.exists() and stored_files(settings) == before


def test_the_decision_and_designation_are_scanned_each(
    clamd, personas, participation_a, editor_a, admin_a, settings
):
    authority = participation_a.signing_authority
    url = reverse("municipalities:mandate-authority", args=[participation_a.public_id])
    infected = SimpleUploadedFile("aanwijzing.pdf", INFECTED_PDF, "application/pdf")
    form = authority_form(admin_a, **{"authority-designation_file": infected})
    page = personas["editor_a"].client().post(url, form)
    assert page.status_code == 422
    html = page.content.decode()
    assert INFECTED_MESSAGE in field_error(html, "authority-designation_file")
    assert 'value="A. de Vries"' in html
    authority.refresh_from_db()
    assert (authority.basis, authority.designation_file.name) == ("mayor", "")

    record_authority(participation_a, actor=editor_a, signer=admin_a, basis="designated")
    authority.refresh_from_db()
    for prefix in ("decision_", "designation_"):
        assert getattr(authority, f"{prefix}scan_status") == ScanStatus.CLEAN
        assert getattr(authority, f"{prefix}scanner_version").startswith("ClamAV ")


def test_an_infected_workbook_is_refused_before_it_is_read(clamd, editor, demand):
    content = download(editor, demand)
    before = state(demand)

    def plant(workbook):
        workbook["Instructies"]["A40"] = MARKER.decode()

    page = upload(editor, demand, edit(content, plant))
    assert page.status_code == 422
    error = field_error(page.content.decode(), "file")
    assert INFECTED_MESSAGE in error and FOUND_NAME in error
    assert state(demand) == before
    assert AuditEvent.objects.get(action="upload.infected").data["signature"] == FOUND_NAME
    # A clean workbook goes on to the review.
    assert upload(editor, demand, content).status_code == 200


def test_a_workbook_is_refused_while_the_scanner_is_down(clamd, editor, demand):
    content = download(editor, demand)
    clamd.stop()
    page = upload(editor, demand, content)
    assert page.status_code == 422
    assert UNAVAILABLE_MESSAGE in field_error(page.content.decode(), "file")
