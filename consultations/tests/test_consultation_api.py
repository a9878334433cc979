"""Consultation API: published consultations for everybody and drafts for the project team,
documents with their download URL and checksum, the published questionnaire for everybody
(draft versions for the team only), constant query counts of the lists, and the
new paths in the OpenAPI document."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Category
from catalog.services import catalog_load_reference
from consultations.services import consultation as consultations
from municipalities.tests.conftest import MINIMAL_PDF
from tenders.models import Programme

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
API = "/api/v1/consultations"


@pytest.fixture
def programme(db):
    return Programme.objects.create(
        slug="gt-api", name="GT API", status=Programme.Status.JOINING, contract_start_year=2028
    )


def make_consultation(programme, actor, slug, *, publish=True, days_open=30):
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title=f"Marktconsultatie {slug}",
        slug=slug,
        introduction="Wij vragen de markt.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=days_open),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    consultations.question_add(
        actor=actor, version=version, section=section, type="yes_no", text="Refurbished?"
    )
    consultations.questionnaire_publish(actor=actor, version=version)
    if publish:
        item = consultations.consultation_publish(actor=actor, consultation=item)
    return item


@pytest.fixture
def consultation(programme, project_team_user):
    """Published, with a document, a published version 1 (two sections, every kind of
    question detail) and a draft version 2."""
    catalog_load_reference()
    actor = project_team_user
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie werkplek",
        slug="mc-api",
        introduction="Wij vragen de markt.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    general = consultations.section_add(actor=actor, version=version, title="Algemeen")
    prices = consultations.section_add(actor=actor, version=version, title="Prijzen")
    consultations.question_add(
        actor=actor,
        version=version,
        section=general,
        type="single_choice",
        key="rol",
        text="Wat is uw rol?",
        help_text="Kies de rol die het best past.",
        options=["Fabrikant", "Reseller"],
    )
    consultations.question_add(
        actor=actor,
        version=version,
        section=general,
        type="long_text",
        key="visie",
        text="Uw visie?",
        max_length=500,
        required=False,
    )
    consultations.question_add(
        actor=actor,
        version=version,
        section=prices,
        type="number",
        key="levertijd",
        text="Levertijd?",
        unit="dagen",
    )
    consultations.question_add(
        actor=actor,
        version=version,
        section=prices,
        type="price_per_item",
        key="prijs",
        text="Prijs per stuk?",
        categories=list(Category.objects.filter(slug__in=["laptop", "desktop"])),
    )
    consultations.questionnaire_publish(actor=actor, version=version)
    consultations.document_upload(
        actor=actor,
        consultation=item,
        title="Concept programma van eisen",
        file=SimpleUploadedFile("pve.pdf", MINIMAL_PDF, "application/pdf"),
    )
    item = consultations.consultation_publish(actor=actor, consultation=item)
    consultations.questionnaire_new_version(actor=actor, consultation=item)
    return item


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


# --- Consultations ---------------------------------------------------------------------------


def test_published_consultations_for_everybody_drafts_for_the_project_team(
    personas, programme, project_team_user
):
    make_consultation(programme, project_team_user, "mc-open")
    make_consultation(programme, project_team_user, "mc-concept", publish=False)
    for persona in ("anonymous", "editor_a", "supplier_x"):
        rows = personas[persona].client().get(API).json()["results"]
        assert [row["slug"] for row in rows] == ["mc-open"], persona
    row = personas["anonymous"].client().get(API).json()["results"][0]
    assert row["programme"] == "gt-api"
    assert (row["status"], row["isOpen"]) == ("published", True)
    assert row["opensAt"] and row["closesAt"] and row["id"]
    team = personas["project_team"].client().get(API).json()["results"]
    assert {row["slug"]: row["status"] for row in team} == {
        "mc-open": "published",
        "mc-concept": "draft",
    }


def test_list_filters(personas, programme, project_team_user):
    make_consultation(programme, project_team_user, "mc-open")
    make_consultation(programme, project_team_user, "mc-concept", publish=False)
    client = personas["project_team"].client()
    drafts = client.get(f"{API}?status=draft").json()["results"]
    assert [row["slug"] for row in drafts] == ["mc-concept"]
    assert client.get(f"{API}?programme=elders").json()["results"] == []
    body = problem(client.get(f"{API}?status=verzonnen"), 400)
    assert [p["name"] for p in body["invalidParams"]] == ["status"]


def test_draft_consultation_is_404_outside_the_project_team(personas, programme, project_team_user):
    make_consultation(programme, project_team_user, "mc-concept", publish=False)
    for persona in ("anonymous", "admin_a", "supplier_x"):
        response = personas[persona].client().get(f"{API}/mc-concept")
        problem(response, 404)
    assert personas["project_team"].client().get(f"{API}/mc-concept").status_code == 200


def test_detail_has_period_status_and_documents(personas, consultation):
    response = personas["anonymous"].client().get(f"{API}/mc-api")
    assert response.status_code == 200
    assert response["API-Version"]
    data = response.json()
    assert (data["title"], data["introduction"]) == (
        "Marktconsultatie werkplek",
        "Wij vragen de markt.",
    )
    assert (data["status"], data["isOpen"], data["closedAt"]) == ("published", True, None)
    assert data["opensAt"] < data["closesAt"]
    [document] = data["documents"]
    assert document["title"] == "Concept programma van eisen"
    assert document["sha256"] == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert document["downloadUrl"].startswith("http://testserver/marktconsultaties/mc-api/")
    download = personas["anonymous"].client().get(document["downloadUrl"])
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == document["sha256"]


def test_unknown_consultation_is_a_problem(personas):
    body = problem(personas["supplier_x"].client().get(f"{API}/bestaat-niet"), 404)
    assert body["instance"] == f"{API}/bestaat-niet"


def test_writing_is_not_allowed(personas, consultation):
    client = personas["project_team"].client()
    problem(client.post(API, {}), 405)
    problem(client.delete(f"{API}/mc-api"), 405)


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(personas, programme, project_team_user):
    make_consultation(programme, project_team_user, "mc-0")
    clients = {p: personas[p].client() for p in ("anonymous", "supplier_x", "project_team")}
    few = {p: _list_queries(c, API) for p, c in clients.items()}
    for n in range(1, 7):
        make_consultation(programme, project_team_user, f"mc-{n}", publish=n % 2 == 0)
    many = {p: _list_queries(c, API) for p, c in clients.items()}
    assert few == many
    assert len(clients["project_team"].get(API).json()["results"]) == 7


# --- Questionnaire ---------------------------------------------------------------------------


def test_questionnaire_is_the_newest_published_version(personas, consultation):
    response = personas["supplier_x"].client().get(f"{API}/mc-api/questionnaire")
    assert response.status_code == 200
    data = response.json()
    assert (data["number"], data["status"]) == (1, "published")
    assert data["publishedAt"]
    assert [(s["key"], s["title"]) for s in data["sections"]] == [
        ("algemeen", "Algemeen"),
        ("prijzen", "Prijzen"),
    ]
    general, prices = data["sections"]
    assert general["questions"][0] == {
        "key": "rol",
        "type": "single_choice",
        "text": "Wat is uw rol?",
        "helpText": "Kies de rol die het best past.",
        "required": True,
        "options": ["Fabrikant", "Reseller"],
        "maxLength": None,
        "unit": "",
        "categories": [],
    }
    assert (general["questions"][1]["key"], general["questions"][1]["maxLength"]) == (
        "visie",
        500,
    )
    assert general["questions"][1]["required"] is False
    number, price = prices["questions"]
    assert (number["type"], number["unit"]) == ("number", "dagen")
    assert price["type"] == "price_per_item"
    assert {c["slug"] for c in price["categories"]} == {"laptop", "desktop"}
    assert all(c["name"] and c["unit"] for c in price["categories"])


@pytest.mark.parametrize("persona", ["anonymous", "admin_a", "viewer_a", "editor_b", "joint_body"])
def test_the_published_questionnaire_is_public_as_on_the_page(personas, consultation, persona):
    """The page shows the published questionnaire to everyone; so does the API (it answered
    403 to anonymous callers and 404 to municipalities). Drafts stay the project team's."""
    client = personas[persona].client()
    current = client.get(f"{API}/mc-api/questionnaire")
    assert current.status_code == 200, current.content
    assert current.json()["number"] == 1
    versions = client.get(f"{API}/mc-api/questionnaire/versions").json()["results"]
    assert [(v["number"], v["status"]) for v in versions] == [(1, "published")]
    assert client.get(f"{API}/mc-api/questionnaire/versions/1").status_code == 200
    problem(client.get(f"{API}/mc-api/questionnaire/versions/2"), 404)
    page = client.get("/marktconsultaties/mc-api")
    assert page.status_code == 200
    for section in current.json()["sections"]:
        for question in section["questions"]:
            assert question["text"] in page.content.decode()


def test_a_draft_consultations_questionnaire_is_not_public(personas, programme, project_team_user):
    consultations.consultation_create(
        actor=project_team_user,
        programme=programme,
        title="Concept",
        slug="mc-concept",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=5),
    )
    for persona in ("anonymous", "supplier_x", "admin_a"):
        client = personas[persona].client()
        problem(client.get(f"{API}/mc-concept/questionnaire"), 404)
        assert client.get("/marktconsultaties/mc-concept").status_code == 404


def test_draft_versions_for_the_project_team_only(personas, consultation):
    supplier = personas["supplier_y"].client()
    team = personas["project_team"].client()
    versions = supplier.get(f"{API}/mc-api/questionnaire/versions").json()["results"]
    assert [(v["number"], v["status"]) for v in versions] == [(1, "published")]
    versions = team.get(f"{API}/mc-api/questionnaire/versions").json()["results"]
    assert [(v["number"], v["status"]) for v in versions] == [(2, "draft"), (1, "published")]
    problem(supplier.get(f"{API}/mc-api/questionnaire/versions/2"), 404)
    draft = team.get(f"{API}/mc-api/questionnaire/versions/2")
    assert draft.status_code == 200
    assert (draft.json()["status"], draft.json()["publishedAt"]) == ("draft", None)
    assert len(draft.json()["sections"]) == 2  # copied from version 1
    # The newest *published* version, also for the project team.
    assert team.get(f"{API}/mc-api/questionnaire").json()["number"] == 1
    problem(team.get(f"{API}/mc-api/questionnaire/versions/9"), 404)


def test_no_published_questionnaire_is_404_with_a_reason(personas, programme, project_team_user):
    item = consultations.consultation_create(
        actor=project_team_user,
        programme=programme,
        title="Leeg",
        slug="mc-leeg",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=5),
    )
    assert item.versions.get().is_draft
    body = problem(personas["project_team"].client().get(f"{API}/mc-leeg/questionnaire"), 404)
    assert "vragenlijst" in body["detail"]


def test_version_list_query_count_does_not_grow(personas, consultation, project_team_user):
    client = personas["project_team"].client()
    url = f"{API}/mc-api/questionnaire/versions"
    few = _list_queries(client, url)
    for _ in range(3):
        draft = consultation.versions.get(status="draft")
        consultations.questionnaire_publish(actor=project_team_user, version=draft)
        consultations.questionnaire_new_version(actor=project_team_user, consultation=consultation)
    assert _list_queries(client, url) == few
    assert len(client.get(url).json()["results"]) == 5


# --- OpenAPI ---------------------------------------------------------------------------------


def test_openapi_document_has_the_consultation_paths(personas):
    response = (
        personas["anonymous"].client().get("/api/v1/openapi.json", HTTP_ACCEPT="application/json")
    )
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    expected = {
        "/consultations": {"get"},
        "/consultations/{consultation}": {"get"},
        "/consultations/{consultation}/questionnaire": {"get"},
        "/consultations/{consultation}/questionnaire/versions": {"get"},
        "/consultations/{consultation}/questionnaire/versions/{number}": {"get"},
        "/consultations/{consultation}/my-response": {"get", "put"},
        "/consultations/{consultation}/my-response/submit": {"post"},
        "/consultations/{consultation}/responses": {"get"},
        "/consultations/{consultation}/responses/{response_id}": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) & {"get", "put", "post", "patch", "delete"} == methods, path
    put = paths["/consultations/{consultation}/my-response"]["put"]
    assert {"200", "400", "403", "404", "409"} <= set(put["responses"])
    assert put["responses"]["409"]["content"]["application/problem+json"]
    components = schema["components"]["schemas"]
    for name in (
        "ConsultationStatusEnum",
        "QuestionnaireVersionStatusEnum",
        "QuestionTypeEnum",
        "ConsultationResponseStatusEnum",
    ):
        assert name in components, name
    assert set(components["QuestionTypeEnum"]["enum"]) >= {"yes_no", "price_per_item"}
