"""The mandate (machtiging en volmacht) PDF: rendered by a real worker, stored with its SHA-256,
idempotent per version, never marked done when rendering fails."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from municipalities.models import JointBodyMunicipality, MandateDocument, Municipality
from municipalities.services.mandates import mandate_render, mandate_request
from municipalities.services.participations import participation_create
from municipalities.tasks import mandate_render_task
from municipalities.tests.conftest import record_authority
from portal.pdf import StaticFilesURLFetcher
from tenders.models import Lot, Milestone, Programme

D = MandateDocument.Status
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SIGNATORY = "J.M. van ’t Hof-Öztürk"
FUNCTION = "burgemeester"
CONTACTS = {
    "procurement": {"name": "Sanne de Boer", "email": "inkoop@aadorp.nl", "phone": "0546 123 456"},
    "ict_workplace": {"name": "Ruben Smit", "email": "ict@aadorp.nl", "phone": ""},
}


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    # Files of in-process renders go to a temporary directory; with a worker, both processes
    # already share the worker fixture's directory.
    if "celery_worker" not in request.fixturenames:
        settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def programme(db):
    programme = Programme.objects.create(
        slug="digitale-werkplek-2027",
        name="Digitale werkplek 2027",
        status=Programme.Status.JOINING,
        contract_start_year=2027,
        contract_years=4,
    )
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.PLANNED_PUBLICATION,
        due_at=datetime(2026, 9, 1, 12, tzinfo=AMSTERDAM),
    )
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.CONTRACT_START,
        due_at=datetime(2027, 1, 1, tzinfo=AMSTERDAM),
    )
    Lot.objects.create(programme=programme, number=1, name="Laptops en desktops")
    return programme


@pytest.fixture
def aadorp(org_a):
    return Municipality.objects.create(
        cbs_code="GM9901", name="Aadorp", province="Overijssel", organisation=org_a
    )


@pytest.fixture
def participation_a(programme, org_a, admin_a, aadorp):
    participation = participation_create(
        actor=admin_a,
        programme=programme,
        organisation=org_a,
        municipalities=[aadorp],
        contacts=CONTACTS,
        lots=programme.lots.all(),
    )
    record_authority(participation, actor=admin_a, signer=admin_a, name=SIGNATORY)
    return participation


def _request(*, actor, participation, **extra):
    return mandate_request(actor=actor, participation=participation, **extra)


def _pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    assert out.returncode == 0, out.stderr.decode()
    # Lines wrap differently from the source; compare words, not line breaks.
    return " ".join(out.stdout.decode("utf-8").split())


def _pdf_fonts(path) -> str:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    return out.replace("-", "")  # "ABCDEF+Liberation-Serif-Italic" → "…LiberationSerifItalic"


@pytest.mark.celery
def test_worker_renders_the_mandate_with_the_participants_data(
    celery_worker,
    org_a,
    admin_a,
    participation_a,
):
    with transaction.atomic():
        document = _request(actor=admin_a, participation=participation_a)
    assert document.status == D.QUEUED

    def finished():
        document.refresh_from_db()
        if document.status == D.FAILED:
            pytest.fail(f"Rendering failed: {document.error}\n{celery_worker.log()}")
        return document.status == D.DONE

    celery_worker.wait_for(finished, timeout=60, what="the mandate PDF")

    content = document.file.read()
    document.file.close()
    assert content.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.rendered_at is not None
    text = _pdf_text(document.file.path)
    assert "Machtiging en volmacht" in text
    assert "Aadorp" in text and "GM9901" in text
    assert SIGNATORY in text
    assert FUNCTION in text
    assert "Digitale werkplek 2027" in text
    assert "aankoopcentrale in de zin van artikel 1.1 van de Aanbestedingswet 2012" in text
    assert "Sanne de Boer" in text
    assert "Pagina 1 van" in text and "Versie 1" in text
    assert "municipalities.mandate_render_task[" in celery_worker.log(since_start_of_test=True)


def test_rendering_a_version_again_changes_nothing(admin_a, participation_a):
    document = _request(actor=admin_a, participation=participation_a)
    first = mandate_render(document_id=document.pk)
    content = first.file.read()
    first.file.close()

    again = mandate_render(document_id=document.pk)

    assert again.status == D.DONE
    assert (again.file.name, again.sha256, again.rendered_at) == (
        first.file.name,
        first.sha256,
        first.rendered_at,
    )
    assert again.file.read() == content
    again.file.close()


def test_a_version_renders_to_the_same_bytes(admin_a, participation_a):
    # Even when forced to render again (a lost task redelivered), the version's hash holds.
    document = _request(actor=admin_a, participation=participation_a)
    sha256 = mandate_render(document_id=document.pk).sha256
    MandateDocument.objects.filter(pk=document.pk).update(status=D.QUEUED)

    assert mandate_render(document_id=document.pk).sha256 == sha256


def test_a_failing_render_leaves_the_version_not_done(admin_a, participation_a, monkeypatch):
    document = _request(actor=admin_a, participation=participation_a)

    def broken(template_name, context):
        raise RuntimeError("WeasyPrint could not lay out the page")

    monkeypatch.setattr("portal.pdf.render_pdf", broken)
    with pytest.raises(RuntimeError):
        mandate_render(document_id=document.pk)

    document.refresh_from_db()
    assert document.status != D.DONE
    assert (document.file.name, document.sha256, document.rendered_at) == ("", "", None)


def test_the_last_failed_attempt_marks_the_version_failed(admin_a, participation_a, monkeypatch):
    document = _request(actor=admin_a, participation=participation_a)

    def broken(template_name, context):
        raise RuntimeError("WeasyPrint could not lay out the page")

    monkeypatch.setattr("portal.pdf.render_pdf", broken)
    result = mandate_render_task.apply(args=(document.pk,), retries=mandate_render_task.max_retries)

    assert result.failed()
    document.refresh_from_db()
    assert document.status == D.FAILED
    assert "could not lay out the page" in document.error
    assert not document.sha256


def test_a_joint_bodys_mandate_lists_every_municipality(programme, joint_body, joint_body_user):
    covered = [
        Municipality.objects.create(cbs_code=code, name=name, province=province)
        for code, name, province in [
            ("GM1774", "Dinkelland", "Overijssel"),
            ("GM0183", "Tubbergen", "Overijssel"),
            ("GM1900", "Súdwest-Fryslân", "Fryslân"),
        ]
    ]
    JointBodyMunicipality.objects.bulk_create(
        [JointBodyMunicipality(joint_body=joint_body, municipality=m) for m in covered]
    )
    participation = participation_create(
        actor=joint_body_user,
        programme=programme,
        organisation=joint_body,
        municipalities=covered,
        contacts={"procurement": {"name": "Eva Jansen", "email": "inkoop@duo.nl"}},
    )
    record_authority(
        participation,
        actor=joint_body_user,
        signer=joint_body_user,
        name="P. Bakker",
        function="secretaris-directeur",
    )
    document = mandate_request(actor=joint_body_user, participation=participation)

    document = mandate_render(document_id=document.pk)

    text = _pdf_text(document.file.path)
    assert "Werkorganisatie Duo" in text
    for municipality in covered:
        assert f"{municipality.name} {municipality.cbs_code} {municipality.province}" in text
    assert "Gemeenten waarvoor de Volmachtgever optreedt (3)" in text
    # Only the fonts the stylesheet names are embedded (fonts-liberation2).
    fonts = _pdf_fonts(document.file.path)
    assert "LiberationSans" in fonts and "LiberationSerif" in fonts
    assert not any(name in fonts for name in ("DejaVu", "Bitstream", "Noto", "Nimbus", "FreeSans"))


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/style.css",
        "http://127.0.0.1:8000/static/pdf/document.css",
        "ftp://example.org/style.css",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file://example.org/static/pdf/document.css",
    ],
)
def test_documents_cannot_load_anything_but_static_files(url):
    with pytest.raises(ValueError):
        StaticFilesURLFetcher().fetch(url)


def test_documents_load_the_print_stylesheet_from_static_files():
    response = StaticFilesURLFetcher().fetch("file:///static/pdf/document.css")
    assert b'"Liberation Sans"' in response.read()
    assert response.content_type == "text/css"
