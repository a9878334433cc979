# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The tender's documents: one version per document whose data changed (input hashes), a change
note for every later version, rendering from the stored data, the protected price sheet, and a
failed version generated again."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from portal.audit import AuditEvent
from tenders.models import DocumentVersion, TenderDocument
from tenders.models.documents import DOCUMENT_SET_KINDS
from tenders.services.documents import (
    document_render,
    document_retry,
    documents_request,
)
from tenders.services.tender import tender_timeline_set
from tenders.tasks import document_render_task
from tenders.tests.documents_helpers import (
    CONTRACT_START,
    TIMELINE,
    make_tender,
    pdf_info,
    pdf_objects,
    pdf_text,
)
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db
K = TenderDocument.Kind
V = DocumentVersion.Status


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def tender(setup, personas):
    return make_tender(setup, personas)


def request_all(tender, personas, note=""):
    return documents_request(actor=personas["project_team"].user, tender=tender, change_note=note)


def test_every_document_is_queued_once_and_sent_to_the_worker(
    tender, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        versions = request_all(tender, personas)
    assert sorted(v.document.kind for v in versions) == sorted(DOCUMENT_SET_KINDS)
    assert all(v.number == 1 and v.status == V.QUEUED and len(v.input_hash) == 64 for v in versions)
    assert len(callbacks) == len(DOCUMENT_SET_KINDS)
    event = AuditEvent.objects.get(action="tender_documents.requested")
    assert event.data["versions"] == dict.fromkeys(DOCUMENT_SET_KINDS, 1)


def test_nothing_is_made_again_when_nothing_changed(tender, personas):
    request_all(tender, personas)
    assert request_all(tender, personas, note="Opnieuw") == []
    assert DocumentVersion.objects.count() == len(DOCUMENT_SET_KINDS)


def test_changing_only_the_timeline_makes_only_a_new_leidraad(tender, personas):
    first = {v.document.kind: v for v in request_all(tender, personas)}
    moved = {**TIMELINE, "bid_deadline_at": TIMELINE["bid_deadline_at"] + timedelta(days=7)}
    tender_timeline_set(
        actor=personas["project_team"].user, tender=tender, contract_start=CONTRACT_START, **moved
    )

    versions = request_all(tender, personas, note="Sluitingstermijn een week later")

    assert [(v.document.kind, v.number) for v in versions] == [(K.LEIDRAAD, 2)]
    assert versions[0].input_hash != first[K.LEIDRAAD].input_hash
    assert versions[0].change_note == "Sluitingstermijn een week later"


def test_a_new_version_says_what_changed(tender, personas):
    request_all(tender, personas)
    tender_timeline_set(
        actor=personas["project_team"].user,
        tender=tender,
        contract_start=CONTRACT_START,
        opening_at=TIMELINE["opening_at"] + timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        request_all(tender, personas, note="  ")
    assert excinfo.value.message_dict["change_note"] == [
        "Beschrijf wat er anders is in de nieuwe versies."
    ]
    with pytest.raises(ValidationError) as excinfo:
        request_all(tender, personas, note="x" * 201)
    assert excinfo.value.message_dict["change_note"] == [
        "Gebruik hoogstens 200 tekens (u gebruikte er 201)."
    ]
    assert DocumentVersion.objects.count() == len(DOCUMENT_SET_KINDS)


def test_only_the_project_teams_editors_generate(tender, personas, project_team_viewer):
    for actor in (project_team_viewer, personas["editor_a"].user):
        with pytest.raises(PermissionDenied):
            documents_request(actor=actor, tender=tender)
    assert not DocumentVersion.objects.exists()


def test_each_pdf_is_dutch_tagged_and_made_from_the_tender(tender, personas):
    versions = {v.document.kind: v for v in request_all(tender, personas)}
    for kind, version in versions.items():
        if kind == K.PRICE_SHEET:
            continue
        done = document_render(version_id=version.pk)
        assert done.status == V.DONE
        content = done.file.read()
        done.file.close()
        assert content.startswith(b"%PDF-")
        assert done.sha256 == hashlib.sha256(content).hexdigest()
        assert b"/Lang (nl)" in pdf_objects(content)
        assert re.search(r"Tagged:\s+yes", pdf_info(done.file.path))
    leidraad = pdf_text(DocumentVersion.objects.get(pk=versions[K.LEIDRAAD].pk).file.path)
    assert "Aanbestedingsleidraad" in leidraad
    assert "Procedure: Europese openbare procedure." in leidraad
    assert "Prijs Prijs 40" in leidraad and "Circulariteit Duurzaamheid 25" in leidraad
    assert "maandag 12 april 2027, 12:00 uur (Nederlandse tijd)" in leidraad
    assert "Alle apparaten zijn TCO Certified." in leidraad


def test_a_version_renders_to_the_same_bytes_from_its_stored_data(tender, personas):
    version = next(v for v in request_all(tender, personas) if v.document.kind == K.AGREEMENT)
    sha256 = document_render(version_id=version.pk).sha256
    # The tender changes after the request: the version keeps what it was requested with.
    tender.lots.update(title="Anders")
    DocumentVersion.objects.filter(pk=version.pk).update(status=V.QUEUED)
    assert document_render(version_id=version.pk).sha256 == sha256


def test_the_price_sheet_protects_its_formulas_and_keeps_text_as_text(tender, personas, setup):
    setup["cats"]["laptop"].__class__.objects.filter(pk=setup["cats"]["laptop"].pk).update(
        name_nl='=HYPERLINK("http://example.com","klik")'
    )
    version = next(v for v in request_all(tender, personas) if v.document.kind == K.PRICE_SHEET)
    done = document_render(version_id=version.pk)
    assert done.status == V.DONE and done.file.name.endswith(".xlsx")
    with done.file.open("rb") as handle:
        sheet = load_workbook(BytesIO(handle.read()))["Prijzenblad"]

    assert sheet.protection.sheet is True
    rows = [row for row in sheet.iter_rows(min_row=6) if isinstance(row[0].value, int)]
    # One row per item (category) per lot: lot 1 has laptop and monitor, lot 2 the phone.
    assert [(row[0].value, row[1].value) for row in rows] == [
        (1, '=HYPERLINK("http://example.com","klik")'),
        (1, "Monitoren"),
        (2, "Smartphones"),
    ]
    injected = rows[0][1]
    assert injected.data_type == "s" and injected.quotePrefix is True
    for row in rows:
        price, total = row[4], row[5]
        assert price.protection.locked is False  # the only cell a supplier fills in
        assert total.value == f"=D{total.row}*E{total.row}"
        assert total.protection.locked is True
    formulas = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.data_type == "f"
    ]
    assert len(formulas) == 3 + 2 + 1  # the rows, a subtotal per lot, the grand total
    assert all(cell.protection.locked for cell in formulas)
    quantities = {row[1].value: row[3].value for row in rows}
    assert quantities["Monitoren"] == 30 and quantities["Smartphones"] == 20


def test_a_failed_version_can_be_generated_again(tender, personas, settings, tmp_path):
    version = next(v for v in request_all(tender, personas) if v.document.kind == K.VOLUMES)
    # The file storage cannot be written: every attempt fails, the last one marks it failed.
    blocked = tmp_path / "blocked"
    blocked.write_text("not a directory")
    settings.MEDIA_ROOT = str(blocked)
    result = document_render_task.apply(
        args=(version.pk,), retries=document_render_task.max_retries
    )
    assert result.failed()
    version.refresh_from_db()
    assert (
        version.status == V.FAILED and "NotADirectoryError" in version.error and not version.sha256
    )

    settings.MEDIA_ROOT = str(tmp_path / "media")
    retried = document_retry(actor=personas["project_team"].user, version=version)
    assert (retried.status, retried.error, retried.number) == (V.QUEUED, "", 1)
    assert document_render(version_id=version.pk).status == V.DONE
    assert AuditEvent.objects.filter(action="tender_document.retried").count() == 1
    with pytest.raises(ValidationError) as excinfo:
        document_retry(actor=personas["project_team"].user, version=version)
    assert excinfo.value.messages == [
        "Alleen een versie die is mislukt, kan opnieuw worden gemaakt."
    ]
