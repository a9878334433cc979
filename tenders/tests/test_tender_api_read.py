# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The tender API's reads: published tenders are anyone's, a draft the project team's only
(404 for everyone else, like a reference that does not exist); the detail has the lots with
their figures and CPV codes, the timeline, criteria, requirements, the published documents
with their SHA-256 and the status steps; the period problems only for the team. The queries
do not grow with the lots and documents."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.models import CpvCode
from tenders.models import Tender, TenderEvent
from tenders.services.award import tender_cancel
from tenders.services.documents import document_render, documents_request
from tenders.tests.api_helpers import API, add_documents, add_lots, callers
from tenders.tests.documents_helpers import make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def draft(setup, personas):
    return make_tender(setup, personas)


def publish(tender: Tender) -> Tender:
    """Published straight into the database: publishing is the write tests' to show."""
    Tender.objects.filter(pk=tender.pk).update(status=Tender.Status.PUBLISHED)
    TenderEvent.objects.create(tender=tender, status=Tender.Status.PUBLISHED)
    tender.refresh_from_db()
    return tender


def test_the_list_shows_published_tenders_to_everyone_and_no_draft(
    draft, personas, project_team_viewer
):
    for name, client in callers(personas, project_team_viewer).items():
        response = client.get(API)
        assert response.status_code == 200, name
        assert response.json()["results"] == [], name
    publish(draft)
    for name, client in callers(personas, project_team_viewer).items():
        body = client.get(API).json()
        assert body["count"] == 1, name
        row = body["results"][0]
        assert row["reference"] == draft.reference and row["status"] == "published"
        assert row["url"].endswith(f"{API}/{draft.reference}")


def test_a_draft_is_the_project_teams_only(draft, personas, project_team_viewer):
    url = f"{API}/{draft.reference}"
    for name, client in callers(personas, project_team_viewer).items():
        response = client.get(url)
        if name.startswith("team"):
            assert response.status_code == 200, name
            assert response.json()["status"] == "draft"
            assert response.json()["periodProblems"] == []
            assert response.json()["documents"] == []  # nothing is published yet
        else:
            # The same answer as a reference that does not exist.
            assert response.status_code == 404, name
            assert response["Content-Type"] == "application/problem+json"
            assert client.get(f"{API}/VNG-BESTAAT-NIET").status_code == 404


def test_a_published_tender_is_anyones_with_all_its_parts(draft, personas, project_team_viewer):
    actor = personas["project_team"].user
    for version in documents_request(actor=actor, tender=draft, change_note=""):
        document_render(version_id=version.pk)
    publish(draft)
    url = f"{API}/{draft.reference}"
    for name, client in callers(personas, project_team_viewer).items():
        data = client.get(url).json()
        assert data["status"] == "published" and data["procedure"] == "open", name
        assert ("periodProblems" in data) == name.startswith("team"), name
    data = Client().get(url).json()
    lot1 = data["lots"][0]
    tender_lot = draft.lots.get(number=1)
    assert lot1["number"] == 1
    assert lot1["estimatedValue"] == f"{tender_lot.estimated_value:.2f}"
    assert lot1["maximumValue"] == f"{tender_lot.maximum_value:.2f}"
    assert lot1["optionValue"] == f"{tender_lot.option_value:.2f}"
    assert [c["code"] for c in lot1["cpvCodes"]] == [
        c.code for c in CpvCode.objects.order_by("code")[:2]
    ]
    assert lot1["awardedSuppliers"] == []
    assert data["timeline"]["bidDeadlineAt"].startswith("2027-04-12T")
    assert data["timeline"]["contractStart"] == "2028-01-03"
    assert [(c["kind"], c["weight"]) for c in data["awardCriteria"]] == [
        ("price", 40),
        ("quality", 35),
        ("sustainability", 25),
    ]
    assert [(r["kind"], r["lots"]) for r in data["requirements"]] == [
        ("tco_certified", []),
        ("sroi", [1]),
    ]
    assert [e["status"] for e in data["events"]] == ["published"]
    # Every published document, byte for byte what its SHA-256 says.
    assert len(data["documents"]) == 6
    for document in data["documents"]:
        body = b"".join(Client().get(document["downloadUrl"]).streaming_content)
        assert hashlib.sha256(body).hexdigest() == document["sha256"]


def test_the_team_sees_the_broken_periods_of_a_draft(draft, personas):
    Tender.objects.filter(pk=draft.pk).update(bid_deadline_at=None)
    data = personas["project_team"].client().get(f"{API}/{draft.reference}").json()
    problems = [p for p in data["periodProblems"] if p["field"] == "bidDeadlineAt"]
    assert problems and problems[0]["blocking"] is True
    assert problems[0]["message"]  # the Dutch message naming the rule
    assert data["timeline"]["bidDeadlineAt"] is None


def test_a_cancelled_tender_stays_public_with_its_steps(draft, personas):
    publish(draft)
    tender_cancel(actor=personas["project_team"].user, tender=draft, reason="Geen budget meer.")
    data = Client().get(f"{API}/{draft.reference}").json()
    assert data["status"] == "cancelled"
    assert [(e["status"], e["note"]) for e in data["events"]] == [
        ("published", ""),
        ("cancelled", "Geen budget meer."),
    ]
    assert Client().get(API).json()["count"] == 1


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["anonymous", "project_team"])
def test_the_detail_queries_do_not_grow_with_lots_and_documents(draft, personas, persona):
    publish(draft)
    client = personas[persona].client()
    url = f"{API}/{draft.reference}"
    cpv = list(CpvCode.objects.order_by("code")[:3])
    add_documents(draft, 1)
    client.get(url)  # warm up the session
    few = _count(client, url)
    add_lots(draft, 12, cpv)
    add_documents(draft, 4)
    TenderEvent.objects.create(tender=draft, status=Tender.Status.CLOSED)
    many = _count(client, url)
    assert few == many, f"{few} queries with few lots and documents, {many} with many"
    assert many <= 14
    assert len(client.get(url).json()["lots"]) == 14


def test_the_list_queries_do_not_grow_with_the_tenders(draft, personas):
    from tenders.models import Programme

    publish(draft)
    client = Client()
    client.get(API)
    few = _count(client, API)
    for i in range(5):
        programme = Programme.objects.create(
            slug=f"gt-{i}", name=f"GT {i}", status="published", contract_start_year=2028
        )
        Tender.objects.create(
            programme=programme,
            snapshot=draft.snapshot,
            reference=f"VNG-GT-{i}",
            title=f"GT {i}",
            status=Tender.Status.PUBLISHED,
        )
    assert _count(client, API) == few <= 3
    assert client.get(API).json()["count"] == 6


def test_the_openapi_schema_describes_the_tender_api_without_warnings(tmp_path):
    import json

    from django.core.management import call_command

    target = tmp_path / "openapi.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target), "--fail-on-warn")
    paths = json.loads(target.read_text())["paths"]
    assert {
        "/tenders",
        "/tenders/{reference}",
        "/tenders/{reference}/publication",
        "/tenders/{reference}/publication/confirm",
        "/tenders/{reference}/publication/cancel",
        "/tenders/{reference}/award-decision",
    } <= set(paths)
    assert paths["/tenders"]["get"]["operationId"] == "tenderList"
