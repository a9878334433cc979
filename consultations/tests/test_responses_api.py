"""Responses API: a supplier reads, saves and submits its own response only; viewers read;
answers travel as JSON types and are validated as on the page, with every problem at
``/answers/<question key>``; nothing is stored after the deadline (409); only the project team
lists and reads responses, and every read is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Category
from catalog.services import catalog_load_reference
from consultations.models import ConsultationResponse
from consultations.services import consultation as consultations
from consultations.services import responses as services
from portal.models import AuditEvent, Organisation, Role
from tenders.models import Programme
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
MINE = "/api/v1/consultations/mc-api/my-response"
SUBMIT = f"{MINE}/submit"
RESPONSES = "/api/v1/consultations/mc-api/responses"


@pytest.fixture(autouse=True)
def _catalogue(db):
    catalog_load_reference()


@pytest.fixture
def consultation(project_team_user):
    actor = project_team_user
    programme = Programme.objects.create(slug="gt-api", name="GT", contract_start_year=2028)
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie",
        slug="mc-api",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    categories = list(Category.objects.filter(slug__in=["laptop", "desktop"]))
    optional = {"required": False}
    for kwargs in [
        {"type": "short_text", "text": "Productnaam?", "key": "naam"},
        {"type": "long_text", "text": "Visie?", "key": "visie", "max_length": 20},
        {"type": "single_choice", "text": "Rol?", "key": "rol",
         "options": ["Fabrikant", "Reseller"]},
        {"type": "multiple_choice", "text": "Keurmerken?", "key": "keurmerk",
         "options": ["TCO", "EPEAT"], **optional},
        {"type": "yes_no", "text": "Refurbished?", "key": "refurb"},
        {"type": "number", "text": "Levertijd?", "key": "levertijd", "unit": "dagen", **optional},
        {"type": "date", "text": "Leverbaar vanaf?", "key": "vanaf", **optional},
        {"type": "file", "text": "Brochure?", "key": "brochure", **optional},
        {"type": "price_per_item", "text": "Prijs?", "key": "prijs", "categories": categories,
         **optional},
    ]:  # fmt: skip
        consultations.question_add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)


COMPLETE = {"naam": "Laptop 14", "visie": "Circulair", "rol": "Reseller", "refurb": True}


def put(client, answers, url=MINE):
    return client.put(url, {"answers": answers}, content_type="application/json")


def invalid(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


def problem(response, status) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def supplier_viewer(organisation):
    user = MembershipFactory(
        organisation=organisation, role=Role.VIEWER, user=UserFactory(email="kijker@lev.nl")
    ).user
    client = Client()
    client.force_login(user)
    return client


# --- The supplier's own response -------------------------------------------------------------


def test_before_the_first_save_there_is_no_response(personas, consultation):
    body = problem(english(personas["supplier_x"].client()).get(MINE), 404)
    assert body["detail"] == (
        "Your company has not started a response yet. Save your answers first (PUT)."
    )
    assert not ConsultationResponse.objects.exists()


def test_save_in_json_types_and_read_back(personas, consultation):
    client = personas["supplier_x"].client()
    answers = {
        **COMPLETE,
        "keurmerk": ["EPEAT", "TCO"],
        "levertijd": 12.5,
        "vanaf": "2035-03-01",
        "prijs": {"laptop": "1.234,50", "desktop": 899},
    }
    response = put(client, answers)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["version"], data["newestVersion"]) == ("draft", 1, 1)
    assert (data["supplier"], data["supplierName"]) == ("leverancier-x", "Leverancier X B.V.")
    assert data["consultation"] == "mc-api" and data["submittedAt"] is None
    values = {a["questionKey"]: a["value"] for a in data["answers"]}
    assert values == {
        "naam": "Laptop 14",
        "visie": "Circulair",
        "rol": "Reseller",
        "keurmerk": ["TCO", "EPEAT"],  # in the order of the options
        "refurb": True,
        "levertijd": "12.5",
        "vanaf": "2035-03-01",
        "prijs": {"laptop": "1234.50", "desktop": "899"},
    }
    # In the order of the questionnaire, and the same on a later read.
    assert [a["questionKey"] for a in data["answers"]][:3] == ["naam", "visie", "rol"]
    assert client.get(MINE).json() == data
    assert all(a["hasFile"] is False for a in data["answers"])
    stored = ConsultationResponse.objects.get()
    assert stored.organisation == personas["supplier_x"].organisation
    assert AuditEvent.objects.filter(action="response.saved", target_id=str(stored.public_id))


def test_put_replaces_the_answers(personas, consultation):
    client = personas["supplier_x"].client()
    assert put(client, {**COMPLETE, "levertijd": 5}).status_code == 200
    response = put(client, {"naam": "Laptop 15", "refurb": False, "visie": None})
    assert response.status_code == 200, response.content
    values = {a["questionKey"]: a["value"] for a in response.json()["answers"]}
    assert values == {"naam": "Laptop 15", "refurb": False}


def test_invalid_answers_are_reported_at_their_question_key(personas, consultation):
    client = english(personas["supplier_x"].client())
    response = put(
        client,
        {
            "naam": "Goed",
            "visie": "x" * 21,
            "rol": "Leverancier",
            "keurmerk": "TCO",
            "refurb": "misschien",
            "levertijd": "twaalf",
            "vanaf": "01-03-2035",
            "prijs": {"koelkast": "10"},
            "brochure": "brochure.pdf",
            "onbekend": "?",
        },
    )
    assert invalid(response) == {
        "/answers/visie": "Use at most 20 characters (you used 21).",
        "/answers/rol": "Choose one of the options.",
        "/answers/keurmerk": "Give this answer as a list of options.",
        "/answers/refurb": "Give this answer as true or false.",
        "/answers/levertijd": "Enter a number, for example 1250 or 12,5.",
        "/answers/vanaf": "Give this answer as a date in the form yyyy-mm-dd, for example "
        "2035-03-01.",
        "/answers/prijs": "Enter prices only for the categories asked.",
        "/answers/brochure": "Upload the PDF for this question separately: PUT "
        "my-response/files/brochure.",
        "/answers/onbekend": "This question is not part of the questionnaire.",
    }
    # Nothing is stored, not even the response the request would have started.
    assert not ConsultationResponse.objects.exists()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("naam", 42),
        ("vanaf", "2035-02-31"),
        ("levertijd", True),
        ("prijs", {"laptop": -1}),
        ("prijs", ["laptop"]),
    ],
)
def test_wrong_types_and_values_change_nothing(personas, consultation, key, value):
    client = personas["supplier_x"].client()
    assert put(client, COMPLETE).status_code == 200
    assert list(invalid(put(client, {**COMPLETE, "naam": "Anders", key: value}))) == [
        f"/answers/{key}"
    ]
    stored = ConsultationResponse.objects.get().answers.get(question_key="naam")
    assert stored.value == "Laptop 14"


@pytest.mark.parametrize("body", [{}, {"answers": ["naam"]}, ["answers"], {"antwoorden": {}}])
def test_a_body_without_an_answers_object_is_refused(personas, consultation, body):
    response = personas["supplier_x"].client().put(MINE, body, content_type="application/json")
    assert list(invalid(response)) == ["/answers"]
    assert not ConsultationResponse.objects.exists()


def test_submit_requires_the_required_answers(personas, consultation):
    client = english(personas["supplier_x"].client())
    assert put(client, {"naam": "Laptop 14"}).status_code == 200
    assert invalid(client.post(SUBMIT)) == {
        f"/answers/{key}": "Answer this question." for key in ("visie", "rol", "refurb")
    }
    assert ConsultationResponse.objects.get().status == "draft"
    assert put(client, COMPLETE).status_code == 200
    response = client.post(SUBMIT)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "submitted" and data["submittedAt"]
    assert ConsultationResponse.objects.get().status == "submitted"


def test_submit_without_a_response_is_404(personas, consultation):
    problem(personas["supplier_x"].client().post(SUBMIT), 404)
    assert not ConsultationResponse.objects.exists()


def test_after_the_deadline_nothing_is_stored(personas, consultation):
    client = english(personas["supplier_x"].client())
    assert put(client, {"naam": "Laptop 14"}).status_code == 200
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    for response in (put(client, COMPLETE), put(client, {"naam": 5}), client.post(SUBMIT)):
        body = problem(response, 409)
        assert body["detail"] == "This market consultation is closed."
        assert body["title"] == "Conflict"
    stored = ConsultationResponse.objects.get()
    assert stored.status == "draft"
    assert [a.value for a in stored.answers.all()] == ["Laptop 14"]
    # Still readable.
    assert client.get(MINE).status_code == 200


def test_a_consultation_that_has_not_opened_yet_is_409(personas, consultation):
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=3)
    )
    body = problem(put(english(personas["supplier_x"].client()), COMPLETE), 409)
    assert body["detail"] == "This market consultation is not open yet."
    assert not ConsultationResponse.objects.exists()


def test_the_deadline_message_is_dutch_by_default(personas, consultation):
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    body = problem(put(personas["supplier_x"].client(), COMPLETE), 409)
    assert body["detail"] == "Deze marktconsultatie is gesloten."


def test_viewer_of_the_supplier_reads_but_cannot_write(personas, consultation):
    assert put(personas["supplier_x"].client(), {"naam": "Laptop 14"}).status_code == 200
    viewer = supplier_viewer(personas["supplier_x"].organisation)
    read = viewer.get(MINE)
    assert read.status_code == 200
    assert read.json()["answers"][0]["value"] == "Laptop 14"
    problem(put(viewer, COMPLETE), 403)
    problem(viewer.post(SUBMIT), 403)
    assert ConsultationResponse.objects.get().answers.count() == 1


@pytest.mark.parametrize(
    "persona", ["admin_a", "viewer_a", "editor_b", "joint_body", "project_team"]
)
def test_non_suppliers_have_no_own_response(personas, consultation, persona):
    client = personas[persona].client()
    problem(client.get(MINE), 404)
    problem(put(client, COMPLETE), 404)
    problem(client.post(SUBMIT), 404)
    assert not ConsultationResponse.objects.exists()


def test_anonymous_is_refused(personas, consultation):
    client = personas["anonymous"].client()
    for response in (client.get(MINE), put(client, COMPLETE), client.post(SUBMIT)):
        assert response.status_code in (401, 403)
        assert response["Content-Type"] == PROBLEM


def test_a_draft_consultation_is_404_for_suppliers(personas, consultation):
    type(consultation).objects.filter(pk=consultation.pk).update(status="draft")
    problem(put(personas["supplier_x"].client(), COMPLETE), 404)
    problem(personas["supplier_x"].client().get(MINE), 404)


def test_supplier_y_never_sees_supplier_x(personas, consultation):
    x, y = personas["supplier_x"].client(), personas["supplier_y"].client()
    assert put(x, {**COMPLETE, "naam": "Geheim X"}).status_code == 200
    x_response = ConsultationResponse.objects.get()
    problem(y.get(MINE), 404)
    problem(y.get(f"{RESPONSES}/{x_response.public_id}"), 404)
    problem(y.get(RESPONSES), 404)
    problem(x.get(f"{RESPONSES}/{x_response.public_id}"), 404)  # X uses my-response
    # Y's own response is another one; X's answers stay as they were.
    own = put(y, {"naam": "Van Y"}).json()
    assert own["id"] != str(x_response.public_id) and own["supplier"] == "leverancier-y"
    assert [a["value"] for a in own["answers"]] == ["Van Y"]
    assert x.get(MINE).json()["answers"][0]["value"] == "Geheim X"


# --- The project team ------------------------------------------------------------------------


def make_response(consultation, name, *, submit=False):
    organisation = OrganisationFactory(name=name, kind=Organisation.Kind.SUPPLIER)
    user = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    response = services.response_get_or_create(actor=user, consultation=consultation)
    services.response_save(actor=user, response=response, answers={"naam": f"Laptop {name}"})
    if submit:
        services.response_save(actor=user, response=response, answers=COMPLETE)
        services.response_submit(actor=user, response=response)
    return response


def test_project_team_lists_every_response(personas, consultation):
    make_response(consultation, "Bèta Hardware", submit=True)
    make_response(consultation, "Alfa Computers")
    client = personas["project_team"].client()
    response = client.get(RESPONSES)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["supplierName"], r["status"], r["version"]) for r in rows] == [
        ("Alfa Computers", "draft", 1),
        ("Bèta Hardware", "submitted", 1),
    ]
    assert rows[0]["submittedAt"] is None and rows[1]["submittedAt"]
    assert "answers" not in rows[0]
    submitted = client.get(f"{RESPONSES}?status=submitted").json()["results"]
    assert [r["supplierName"] for r in submitted] == ["Bèta Hardware"]
    assert list(invalid(client.get(f"{RESPONSES}?status=klaar"))) == ["status"]
    # A list without answers is not a read of them.
    assert not AuditEvent.objects.filter(action="response.read").exists()


@pytest.mark.parametrize(
    "persona", ["admin_a", "viewer_a", "editor_b", "joint_body", "supplier_x", "supplier_y"]
)
def test_responses_are_404_outside_the_project_team(personas, consultation, persona):
    response = make_response(consultation, "Alfa Computers", submit=True)
    client = personas[persona].client()
    problem(client.get(RESPONSES), 404)
    problem(client.get(f"{RESPONSES}/{response.public_id}"), 404)
    assert not AuditEvent.objects.filter(action="response.read").exists()


def test_project_team_read_is_audited(personas, consultation):
    response = make_response(consultation, "Alfa Computers", submit=True)
    prices = {"laptop": "450", "desktop": "600,10"}
    user = response.organisation.memberships.get().user
    raw_prices = {str(Category.objects.get(slug=slug).pk): price for slug, price in prices.items()}
    services.response_save(actor=user, response=response, answers={"prijs": raw_prices})
    services.response_submit(actor=user, response=response)  # a change needs a new submit
    client = personas["project_team"].client()
    for _ in range(2):
        read = client.get(f"{RESPONSES}/{response.public_id}")
        assert read.status_code == 200
    data = read.json()
    assert (data["supplierName"], data["status"]) == ("Alfa Computers", "submitted")
    values = {a["questionKey"]: a["value"] for a in data["answers"]}
    assert values["naam"] == "Laptop 14"
    assert values["prijs"] == {"laptop": "450", "desktop": "600.10"}
    events = AuditEvent.objects.filter(action="response.read", target_id=str(response.public_id))
    assert events.count() == 2
    assert {e.actor for e in events} == {personas["project_team"].user}
    assert events.first().data["consultation"] == "mc-api"


def test_unknown_response_is_404_and_not_audited(personas, consultation):
    client = personas["project_team"].client()
    problem(client.get(f"{RESPONSES}/00000000-0000-0000-0000-000000000000"), 404)
    assert not AuditEvent.objects.filter(action="response.read").exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(personas, consultation):
    client = personas["project_team"].client()
    make_response(consultation, "Leverancier 0")
    few = _queries(client, RESPONSES)
    for n in range(1, 8):
        make_response(consultation, f"Leverancier {n}", submit=n % 2 == 0)
    assert _queries(client, RESPONSES) == few
    assert len(client.get(RESPONSES).json()["results"]) == 8


def test_response_detail_has_every_submission_as_it_was_sent(personas, consultation):
    response = make_response(consultation, "Alfa Computers", submit=True)
    user = response.organisation.memberships.get().user
    services.response_save(actor=user, response=response, answers={"naam": "Laptop 2"})
    services.response_submit(actor=user, response=response)
    data = personas["project_team"].client().get(f"{RESPONSES}/{response.public_id}").json()
    assert [(s["number"], s["version"]) for s in data["submissions"]] == [(1, 1), (2, 1)]
    assert data["submissions"][0]["answers"]["naam"] == COMPLETE["naam"]
    assert data["submissions"][1]["answers"]["naam"] == "Laptop 2"
    assert data["submissions"][0]["submittedAt"] < data["submissions"][1]["submittedAt"]
