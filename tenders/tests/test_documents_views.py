# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The project team's page of the tender's documents: who sees it, who generates, the change
note next to its field, downloads of finished versions only, and the retry of a failed one."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenders.models import DocumentVersion, TenderDocument
from tenders.models.documents import DOCUMENT_SET_KINDS
from tenders.services.documents import documents_request
from tenders.tests.documents_helpers import make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db
K = TenderDocument.Kind
V = DocumentVersion.Status
URL = "/programmas/gt-agg/aanbesteding/documenten"
PDF = b"%PDF-1.7\n%test\n"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def tender(setup, personas):
    return make_tender(setup, personas)


def finish(version: DocumentVersion) -> DocumentVersion:
    """As the worker leaves it (the rendering itself is tested elsewhere)."""
    version.file.save("document.pdf", ContentFile(PDF), save=False)
    version.sha256 = hashlib.sha256(PDF).hexdigest()
    version.status = V.DONE
    version.save()
    return version


def requested(tender, personas) -> dict[str, DocumentVersion]:
    versions = documents_request(actor=personas["project_team"].user, tender=tender)
    return {v.document.kind: v for v in versions}


def test_the_team_sees_every_document_with_its_versions(tender, personas):
    versions = requested(tender, personas)
    done = finish(versions[K.LEIDRAAD])
    response = personas["project_team"].client().get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Aanbestedingsleidraad", "Bijlage volumes", "Prijzenblad", "Programma van eisen"):
        assert label in page
    assert done.sha256 in page
    assert f"{URL}/{done.public_id}/download" in page
    assert "Wordt gemaakt" in page or "In de wachtrij" in page
    assert 'hx-trigger="every 3s"' in page  # refreshes while versions are on their way
    partial = personas["project_team"].client().get(URL, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<h1" not in partial.content.decode()


def test_the_page_needs_the_same_queries_for_more_versions(tender, personas):
    client = personas["project_team"].client()
    requested(tender, personas)
    client.get(URL)  # warm up (session, programme)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for version in DocumentVersion.objects.all():
        finish(version)
    tender.lots.update(title="Ander perceel")
    documents_request(actor=personas["project_team"].user, tender=tender, change_note="Titels")
    with CaptureQueriesContext(connection) as more:
        client.get(URL)
    assert DocumentVersion.objects.count() > len(DOCUMENT_SET_KINDS)
    assert len(more.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("editor_a", 404), ("joint_body", 404), ("supplier_x", 404)],
)
def test_outside_the_team_the_page_does_not_exist(tender, personas, persona, status):
    version = finish(requested(tender, personas)[K.LEIDRAAD])
    client = personas[persona].client()
    for response in (
        client.get(URL),
        client.post(URL, {"change_note": ""}),
        client.get(f"{URL}/{version.public_id}/download"),
        client.post(f"{URL}/{version.public_id}/opnieuw"),
    ):
        assert response.status_code == status
    assert DocumentVersion.objects.count() == len(DOCUMENT_SET_KINDS)


def test_a_viewer_of_the_team_looks_and_downloads_but_does_not_generate(
    tender, personas, project_team_viewer, client
):
    version = finish(requested(tender, personas)[K.LEIDRAAD])
    client.force_login(project_team_viewer)
    page = client.get(URL)
    assert page.status_code == 200 and "Documenten maken</button>" not in page.content.decode()
    assert client.get(f"{URL}/{version.public_id}/download").status_code == 200
    assert client.post(URL, {"change_note": "x"}).status_code == 403
    assert client.post(f"{URL}/{version.public_id}/opnieuw").status_code == 403


def test_generating_queues_what_changed_and_says_so(tender, personas):
    client = personas["project_team"].client()
    response = client.post(URL, {"change_note": ""}, follow=True)
    assert response.redirect_chain[-1] == (URL, 302)
    assert "6 documenten worden gemaakt." in response.content.decode()
    assert DocumentVersion.objects.count() == len(DOCUMENT_SET_KINDS)
    again = client.post(URL, {"change_note": "Niets"}, follow=True)
    assert "Er is niets veranderd sinds de laatste versies" in again.content.decode()
    assert DocumentVersion.objects.count() == len(DOCUMENT_SET_KINDS)


def test_a_new_version_without_a_note_is_refused_next_to_the_field(tender, personas):
    requested(tender, personas)
    tender.lots.update(title="Ander perceel")
    response = personas["project_team"].client().post(URL, {"change_note": " "})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Beschrijf wat er anders is in de nieuwe versies." in page
    assert 'id="id_change_note-error"' in page and "<title>Fout:" in page
    assert DocumentVersion.objects.count() == len(DOCUMENT_SET_KINDS)


def test_without_a_tender_nothing_is_generated(setup, personas):
    client = personas["project_team"].client()
    assert "Dit programma heeft nog geen aanbesteding" in client.get(URL).content.decode()
    response = client.post(URL, {"change_note": ""})
    assert response.status_code == 422
    assert not TenderDocument.objects.exists()


def test_only_a_finished_version_of_this_programme_is_downloaded(tender, personas):
    versions = requested(tender, personas)
    client = personas["project_team"].client()
    assert client.get(f"{URL}/{versions[K.LEIDRAAD].public_id}/download").status_code == 404
    done = finish(versions[K.LEIDRAAD])
    response = client.get(f"{URL}/{done.public_id}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "aanbestedingsleidraad-vng-gt-agg-v1.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    other = f"/programmas/gt-test/aanbesteding/documenten/{done.public_id}/download"
    assert client.get(other).status_code == 404


def test_a_failed_version_is_generated_again_from_the_page(tender, personas):
    versions = requested(tender, personas)
    failed = versions[K.VOLUMES]
    DocumentVersion.objects.filter(pk=failed.pk).update(status=V.FAILED, error="OSError: vol")
    client = personas["project_team"].client()
    page = client.get(URL).content.decode()
    assert f"{URL}/{failed.public_id}/opnieuw" in page and "OSError: vol" in page
    response = client.post(f"{URL}/{failed.public_id}/opnieuw", follow=True)
    assert "Versie 1 van Bijlage volumes wordt opnieuw gemaakt." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == V.QUEUED
    # A version that did not fail is not made again.
    response = client.post(f"{URL}/{versions[K.LEIDRAAD].public_id}/opnieuw", follow=True)
    assert "Alleen een versie die is mislukt, kan opnieuw worden gemaakt." in (
        response.content.decode()
    )
