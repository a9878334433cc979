# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""A document whose inputs did not change is not rendered again: not when the set is requested
again, not when its task is delivered twice. What it is rendered with counts as input too (its
templates, the print stylesheet, the renderer): a changed stylesheet makes every PDF again, a
changed template only the documents that use it. The set is recorded ready when its last
document is made, once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings

import portal.pdf
from portal.audit import AuditEvent
from tenders.documents import render
from tenders.models import DocumentVersion, Tender, TenderDocument
from tenders.models.documents import DOCUMENT_SET_KINDS
from tenders.services.documents import (
    RENDERED,
    SKIPPED,
    document_render_outcome,
    documents_request,
)
from tenders.tasks import document_render_task
from tenders.tests.documents_helpers import make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db
K = TenderDocument.Kind
V = DocumentVersion.Status
PDF_KINDS = [kind for kind in DOCUMENT_SET_KINDS if kind != K.PRICE_SHEET]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def tender(setup, personas):
    return make_tender(setup, personas)


@pytest.fixture
def renders(monkeypatch):
    """Every call of WeasyPrint, by template."""
    calls: list[str] = []
    real = portal.pdf.render_pdf

    def counting(template_name, context):
        calls.append(template_name)
        return real(template_name, context)

    monkeypatch.setattr(portal.pdf, "render_pdf", counting)
    return calls


def request(tender, personas, note=""):
    actor = personas["project_team"].user
    return documents_request(actor=actor, tender=tender, change_note=note)


def render_all(versions):
    return {v.document.kind: document_render_outcome(version_id=v.pk) for v in versions}


def test_rendering_twice_renders_once(tender, personas, renders):
    version = next(v for v in request(tender, personas) if v.document.kind == K.AGREEMENT)
    done, outcome = document_render_outcome(version_id=version.pk)
    assert outcome == RENDERED and renders == ["pdf/tender/agreement.html"]
    stored = Path(done.file.path).read_bytes()

    again, outcome = document_render_outcome(version_id=version.pk)
    # As the task reports it, and as a task delivered twice runs it.
    assert document_render_task.apply(args=[version.pk]).get() == f"skipped {done.sha256}"
    assert outcome == SKIPPED and renders == ["pdf/tender/agreement.html"]
    assert again.file.name == done.file.name and again.sha256 == done.sha256
    assert Path(again.file.path).read_bytes() == stored


def test_a_set_whose_inputs_did_not_change_is_not_rendered_again(tender, personas, renders):
    render_all(request(tender, personas))
    assert len(renders) == len(PDF_KINDS)
    assert request(tender, personas, note="Nog eens") == []
    assert len(renders) == len(PDF_KINDS)


def test_a_changed_stylesheet_makes_every_pdf_again(tender, personas, monkeypatch, tmp_path):
    render_all(request(tender, personas))
    changed = tmp_path / "document.css"
    changed.write_text(
        Path(portal.pdf.static_file_path(render.STYLESHEET)).read_text() + "\nh1 { color: red; }"
    )
    real = portal.pdf.static_file_path
    monkeypatch.setattr(
        portal.pdf,
        "static_file_path",
        lambda relative: str(changed) if relative == render.STYLESHEET else real(relative),
    )
    again = request(tender, personas, note="Nieuwe huisstijl")
    assert sorted(v.document.kind for v in again) == sorted(PDF_KINDS)
    assert all(v.number == 2 for v in again)


def test_a_changed_template_makes_only_its_documents_again(tender, personas, settings, tmp_path):
    render_all(request(tender, personas))
    templates = tmp_path / "templates"
    shutil.copytree(Path(django_settings.BASE_DIR) / "templates" / "pdf", templates / "pdf")
    leidraad = templates / "pdf" / "tender" / "leidraad.html"
    leidraad.write_text(leidraad.read_text() + "\n{# a new paragraph #}")
    engines = [{**engine} for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [templates, *engines[0]["DIRS"]]
    settings.TEMPLATES = engines
    again = request(tender, personas, note="Nieuwe leidraad")
    assert [(v.document.kind, v.number) for v in again] == [(K.LEIDRAAD, 2)]

    # A template every document extends: every PDF again, the price sheet not.
    base = templates / "pdf" / "base.html"
    base.write_text(base.read_text().replace("Gezamenlijke", "Gezamenlijke, gewijzigde"))
    again = request(tender, personas, note="Nieuwe opmaak")
    assert sorted(v.document.kind for v in again) == sorted(PDF_KINDS)


def test_the_set_is_recorded_ready_once_when_its_last_document_is_made(tender, personas):
    versions = request(tender, personas)
    for version in versions[:-1]:
        document_render_outcome(version_id=version.pk)
        assert Tender.objects.get(pk=tender.pk).documents_ready_at is None
    document_render_outcome(version_id=versions[-1].pk)
    ready = Tender.objects.get(pk=tender.pk).documents_ready_at
    assert ready is not None
    # A task delivered again changes nothing.
    document_render_outcome(version_id=versions[-1].pk)
    assert Tender.objects.get(pk=tender.pk).documents_ready_at == ready
    assert AuditEvent.objects.filter(action="tender_documents.ready").count() == 1

    # A new request: not ready until its documents are made.
    tender.programme.__class__.objects.filter(pk=tender.programme_id).update(contract_years=3)
    again = request(tender, personas, note="Drie jaar")
    assert again and Tender.objects.get(pk=tender.pk).documents_ready_at is None
    render_all(again)
    assert Tender.objects.get(pk=tender.pk).documents_ready_at > ready
