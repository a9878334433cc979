"""Answer files are scanned by a real clamd (tests/integration/clamd.py) before they are
stored: an infected file is refused at its question and audited, a clean one is stored with
its scan result, and without a verdict (clamd stopped, or the file over clamd's limit)
nothing is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from consultations.services import responses as services
from consultations.tests.test_answer_files import PDF, URL, stored_files, upload, with_file
from consultations.tests.test_answer_files import _media as _media
from consultations.tests.test_answer_files import consultation as consultation
from consultations.tests.test_answer_files import response as response
from portal.models import AuditEvent, ScanStatus
from tests.integration.clamd import FOUND_NAME, MARKER, STREAM_MAX

pytestmark = pytest.mark.django_db

INFECTED_PDF = PDF.replace(b"%%EOF", b"% " + MARKER + b"\n%%EOF")
INFECTED_MESSAGE = "Het bestand bevat een virus of andere schadelijke inhoud"
UNAVAILABLE_MESSAGE = "De virusscan is niet beschikbaar; probeer het later opnieuw."


def field_error(html: str, key: str = "brochure") -> str:
    return html.split(f'id="id_{key}-error"', 1)[1].split("</p>", 1)[0]


def test_an_infected_pdf_is_refused_next_to_its_question_and_audited(
    clamd, personas, response, settings
):
    page = (
        personas["supplier_x"]
        .client()
        .post(URL, {"naam": "Laptop 14", "brochure": upload(INFECTED_PDF), "save": "1"})
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert INFECTED_MESSAGE in field_error(html) and FOUND_NAME in field_error(html)
    assert 'value="Laptop 14"' in html  # nothing typed is lost
    assert not response.answers.exists()
    assert stored_files(settings) == []
    event = AuditEvent.objects.get(action="upload.infected")
    assert event.actor == personas["supplier_x"].user
    assert event.organisation == personas["supplier_x"].organisation
    assert event.data == {"field": "brochure", "signature": FOUND_NAME, "size": len(INFECTED_PDF)}
    assert not AuditEvent.objects.filter(action="response.saved").exists()


def test_a_clean_file_is_stored_with_its_scan_result(clamd, personas, response, settings):
    answer = with_file(personas, response)
    answer.refresh_from_db()
    assert answer.scan_status == ScanStatus.CLEAN
    assert answer.scanner_version.startswith("ClamAV ")
    assert answer.scanned_at is not None
    assert [p.read_bytes() for p in stored_files(settings)] == [PDF]
    # The project team sees when it was scanned.
    page = personas["project_team"].client().get(f"{URL}/{response.public_id}")
    assert "gescand op " in page.content.decode()


def test_without_a_scanner_the_file_is_stored_as_not_scanned(personas, response, settings):
    settings.CLAMD_ADDRESS = ""
    answer = with_file(personas, response, content=INFECTED_PDF)
    answer.refresh_from_db()
    assert (answer.scan_status, answer.scanned_at, answer.scanner_version) == (
        ScanStatus.NOT_SCANNED,
        None,
        "",
    )
    page = personas["project_team"].client().get(f"{URL}/{response.public_id}")
    assert "niet op virussen gescand" in page.content.decode()


def test_a_stopped_scanner_refuses_the_upload_and_keeps_the_stored_file(
    clamd, personas, response, settings
):
    with_file(personas, response)
    before = stored_files(settings)
    clamd.stop()
    other = PDF.replace(b"%%EOF", b"% tweede versie\n%%EOF")
    with pytest.raises(ValidationError) as refused:
        with_file(personas, response, content=other)
    assert refused.value.message_dict == {"brochure": [refused.value.messages[0]]}
    assert UNAVAILABLE_MESSAGE in refused.value.messages[0]
    assert stored_files(settings) == before
    assert response.answers.get().value["size"] == len(PDF)


def test_a_socket_nobody_listens_on_refuses_the_page_upload(personas, response, settings, tmp_path):
    settings.CLAMD_ADDRESS = "unix:///nonexistent/clamd.ctl"
    page = (
        personas["supplier_x"]
        .client()
        .post(URL, {"naam": "Laptop 14", "brochure": upload(), "save": "1"})
    )
    assert page.status_code == 422
    assert UNAVAILABLE_MESSAGE in field_error(page.content.decode())
    assert not response.answers.exists()
    assert stored_files(settings) == []


def test_a_file_over_clamds_limit_is_refused_not_passed(clamd, personas, response, settings):
    assert settings.UPLOAD_MAX_BYTES > STREAM_MAX + 2048
    big = PDF.replace(b"%%EOF", b"%" + b"0" * (STREAM_MAX + 1024) + b"\n%%EOF")
    with pytest.raises(ValidationError) as refused:
        with_file(personas, response, content=big)
    assert UNAVAILABLE_MESSAGE in refused.value.messages[0]
    assert stored_files(settings) == []


def test_a_file_over_the_upload_limit_is_not_sent_to_the_scanner(
    clamd, personas, response, settings
):
    clamd.stop()  # a scan would be refused as unavailable: the size check answers first
    big = PDF + b"%" + b"0" * settings.UPLOAD_MAX_BYTES
    with pytest.raises(ValidationError) as refused:
        with_file(personas, response, content=big)
    assert "kleiner zijn dan 1 MB" in refused.value.messages[0]
    assert stored_files(settings) == []


def test_one_infected_file_of_two_refuses_both(clamd, personas, response, settings):
    with pytest.raises(ValidationError) as refused:
        services.response_save(
            actor=personas["supplier_x"].user,
            response=response,
            files={"brochure": upload(), "bijlage": upload(INFECTED_PDF)},
        )
    assert list(refused.value.message_dict) == ["bijlage"]
    assert not response.answers.exists()
    assert stored_files(settings) == []
