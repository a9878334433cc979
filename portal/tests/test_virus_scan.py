"""The clamd client (portal.virus_scan) against a real clamd with a signature database of the
test's own (tests/integration/clamd.py)."""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import AuditEvent, ScanStatus
from portal.virus_scan import (
    NOT_SCANNED,
    Infected,
    ScannerUnavailable,
    scan_bytes,
    scan_upload,
)
from tests.integration.clamd import FOUND_NAME, MARKER, STREAM_MAX

pytestmark = pytest.mark.django_db

CLEAN = b"%PDF-1.4\n% a plain document\n%%EOF\n"
INFECTED = b"%PDF-1.4\n% " + MARKER + b"\n%%EOF\n"


def test_scanning_is_off_without_an_address(settings):
    settings.CLAMD_ADDRESS = ""
    assert scan_bytes(INFECTED) == NOT_SCANNED


def test_clean_content_is_clean_with_the_scanner_version(clamd):
    result = scan_bytes(CLEAN)
    assert result.status == ScanStatus.CLEAN
    assert result.scanner_version.startswith("ClamAV ")
    assert result.scanned_at is not None


def test_the_own_signature_is_found(clamd):
    with pytest.raises(Infected) as found:
        scan_bytes(INFECTED)
    assert found.value.signature == FOUND_NAME


def test_clamd_is_reached_over_tcp_too(clamd, settings):
    settings.CLAMD_ADDRESS = clamd.tcp_address
    assert scan_bytes(CLEAN).status == ScanStatus.CLEAN
    with pytest.raises(Infected):
        scan_bytes(INFECTED)
    clamd.stop()
    with pytest.raises(ScannerUnavailable):
        scan_bytes(CLEAN)


def test_content_in_many_chunks_is_scanned_whole(clamd):
    # The marker straddles the 64 KiB chunk boundary of the INSTREAM client.
    content = b"%PDF-1.4\n%" + b"a" * (64 * 1024 - 20) + MARKER + b"\n%%EOF\n"
    with pytest.raises(Infected):
        scan_bytes(content)


def test_a_stopped_scanner_is_unavailable(clamd):
    clamd.stop()
    with pytest.raises(ScannerUnavailable):
        scan_bytes(CLEAN)


def test_a_socket_nobody_listens_on_is_unavailable(settings):
    with tempfile.TemporaryDirectory(prefix="noclamd-") as directory:
        path = Path(directory) / "clamd.sock"
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(path))
        listener.close()  # the socket file stays; nobody accepts on it
        settings.CLAMD_ADDRESS = f"unix://{path}"
        with pytest.raises(ScannerUnavailable):
            scan_bytes(CLEAN)


def test_a_bad_address_is_unavailable(settings):
    settings.CLAMD_ADDRESS = "clamd.example:3310"
    with pytest.raises(ScannerUnavailable):
        scan_bytes(CLEAN)


def test_the_client_sends_no_more_than_its_limit(clamd, settings):
    settings.CLAMD_MAX_BYTES = 1024
    with pytest.raises(ScannerUnavailable):
        scan_bytes(CLEAN + b"%" * 1024)


def test_content_over_clamds_own_limit_gets_no_verdict(clamd, settings):
    settings.CLAMD_MAX_BYTES = 4 * STREAM_MAX
    with pytest.raises(ScannerUnavailable):
        scan_bytes(b"%PDF-1.4\n" + b"a" * (STREAM_MAX + 1024) + b"\n%%EOF\n")


def test_an_infected_upload_is_refused_and_audited(clamd, project_team_user):
    file = SimpleUploadedFile("brochure.pdf", INFECTED, "application/pdf")
    with pytest.raises(ValidationError) as refused:
        scan_upload(file, actor=project_team_user, field="file", max_bytes=1024 * 1024)
    message = refused.value.message_dict["file"][0]
    assert "virus" in message and FOUND_NAME in message
    event = AuditEvent.objects.get(action="upload.infected")
    assert event.actor == project_team_user
    assert event.data == {"field": "file", "signature": FOUND_NAME, "size": len(INFECTED)}


def test_an_upload_is_refused_when_the_scanner_is_down(clamd, project_team_user):
    clamd.stop()
    file = SimpleUploadedFile("brochure.pdf", CLEAN, "application/pdf")
    with pytest.raises(ValidationError) as refused:
        scan_upload(file, actor=project_team_user, field="file", max_bytes=1024 * 1024)
    assert "probeer het later opnieuw" in refused.value.message_dict["file"][0]


def test_a_clean_upload_is_rewound_for_the_checks_after_it(clamd, project_team_user):
    file = SimpleUploadedFile("brochure.pdf", CLEAN, "application/pdf")
    result = scan_upload(file, actor=project_team_user, field="file", max_bytes=1024 * 1024)
    assert result.status == ScanStatus.CLEAN
    assert file.read() == CLEAN


def test_a_scanner_that_never_answers_times_out(settings):
    settings.CLAMD_TIMEOUT = 0.5
    with tempfile.TemporaryDirectory(prefix="hangclamd-") as directory:
        path = Path(directory) / "clamd.sock"
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(path))
        listener.listen(1)  # connections wait in the backlog; nobody reads or answers
        try:
            settings.CLAMD_ADDRESS = f"unix://{path}"
            with pytest.raises(ScannerUnavailable):
                scan_bytes(CLEAN)
        finally:
            listener.close()
