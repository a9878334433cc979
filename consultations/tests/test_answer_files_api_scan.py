"""The API's file upload is scanned by a real clamd (tests/integration/clamd.py): an infected
file is a 400 at ``file``, its audit event is kept although the request changes nothing, and
a clean one is stored with its scan result."""

from __future__ import annotations

import pytest

from consultations.models import Answer, ConsultationResponse
from consultations.tests.parts_api_helpers import _media_root as _media_root
from consultations.tests.parts_api_helpers import consultation as consultation
from consultations.tests.parts_api_helpers import invalid, pdf
from consultations.tests.test_answer_files_api import upload
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import AuditEvent, ScanStatus
from tests.integration.clamd import FOUND_NAME, MARKER

pytestmark = pytest.mark.django_db

INFECTED_PDF = MINIMAL_PDF.replace(b"%%EOF", b"% " + MARKER + b"\n%%EOF")


def test_an_infected_file_is_400_at_file_audited_and_nothing_kept(clamd, personas, consultation):
    x = personas["supplier_x"].client()
    errors = invalid(upload(x, file=pdf("brochure.pdf", INFECTED_PDF)))
    assert list(errors) == ["file"]
    assert "Het bestand bevat een virus" in errors["file"] and FOUND_NAME in errors["file"]
    assert not ConsultationResponse.objects.exists()  # no response started by the refusal
    event = AuditEvent.objects.get(action="upload.infected")
    assert event.actor == personas["supplier_x"].user
    assert event.data["signature"] == FOUND_NAME


def test_an_upload_is_400_while_the_scanner_is_down(clamd, personas, consultation):
    clamd.stop()
    errors = invalid(upload(personas["supplier_x"].client()))
    assert "probeer het later opnieuw" in errors["file"]
    assert not Answer.objects.exists()


def test_a_clean_file_is_stored_with_its_scan(clamd, personas, consultation):
    assert upload(personas["supplier_x"].client()).status_code == 200
    answer = Answer.objects.get()
    assert answer.scan_status == ScanStatus.CLEAN
    assert answer.scanner_version.startswith("ClamAV ")
