"""Consultation API, follow-up parts: clarification questions (public Q&A without the
questioner, a supplier's own questions, the project team's list, publish and reject), the
anonymised report (the published one public, the others the project team's; requested,
published and taken off through the services), the project team's review (404 for everyone
else, every read of answers audited), file answers with their download URL and their upload,
validation errors in ``invalidParams``, refusals as 409, constant query counts of the lists,
and the new paths in the OpenAPI document."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import (
    AnswerReview,
    ClarificationQuestion,
    Consultation,
    ConsultationReport,
    ConsultationResponse,
    TalkSlot,
)
from consultations.services import clarifications, responses, talks
from consultations.services import consultation as consultations
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import AuditEvent, Organisation, Role
from tenders.models import Programme
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
SLUG = "mc-parts"
API = f"/api/v1/consultations/{SLUG}"
SECRET = "Kan Leverancier X B.V. haar Vraagmerk-laptops aanbieden?"
REPHRASED = "Mogen laptops van één merk worden aangeboden?"
ANSWERS = {"rol": "Reseller", "visie": "Wij werken circulair.", "refurb": "ja"}
EVERYONE_ELSE = ["admin_a", "editor_a", "viewer_a", "editor_b", "joint_body", "supplier_x"]
R = ConsultationReport.Status


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def consultation(project_team_user):
    """Published and open; version 1 with a choice, an open text, a yes/no and a file
    question."""
    actor = project_team_user
    programme = Programme.objects.create(slug="gt-parts", name="GT", contract_start_year=2028)
    now = timezone.now()
    item = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie werkplek",
        slug=SLUG,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    for kwargs in [
        {"type": "single_choice", "text": "Wat is uw rol?", "key": "rol",
         "options": ["Fabrikant", "Reseller"]},
        {"type": "long_text", "text": "Uw visie?", "key": "visie", "max_length": 2000,
         "required": False},
        {"type": "yes_no", "text": "Refurbished?", "key": "refurb"},
        {"type": "file", "text": "Brochure?", "key": "brochure", "required": False},
    ]:  # fmt: skip
        consultations.question_add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=item)


def problem(response, status) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


def invalid(response) -> dict[str, str]:
    body = problem(response, 400)
    return {p["name"]: p["reason"] for p in body["invalidParams"]}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def member(organisation, role, email) -> Client:
    user = MembershipFactory(
        organisation=organisation, role=role, user=UserFactory(email=email)
    ).user
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team_viewer(project_team_viewer) -> Client:
    """A viewer of the project team: reads everything the team reads, changes nothing."""
    client = Client()
    client.force_login(project_team_viewer)
    return client


def ask(user, consultation, text=SECRET) -> ClarificationQuestion:
    return clarifications.clarification_ask(actor=user, consultation=consultation, text=text)


def new_supplier(name: str):
    organisation = OrganisationFactory(name=name, kind=Organisation.Kind.SUPPLIER)
    user = MembershipFactory(
        organisation=organisation,
        role=Role.ADMIN,
        user=UserFactory(email=f"{organisation.slug}@example.nl"),
    ).user
    return organisation, user


def respond(user, consultation, answers=None, submit=True) -> ConsultationResponse:
    response = responses.response_get_or_create(actor=user, consultation=consultation)
    responses.response_save(actor=user, response=response, answers=answers or ANSWERS)
    if submit:
        responses.response_submit(actor=user, response=response)
    response.refresh_from_db()
    return response


def close(consultation, actor) -> Consultation:
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    return consultations.consultation_close(
        actor=actor, consultation=Consultation.objects.get(pk=consultation.pk)
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


# --- Clarification questions: public Q&A ------------------------------------------------------


def test_published_questions_are_public_and_never_name_the_questioner(
    personas, consultation, project_team_user
):
    question = ask(personas["supplier_x"].user, consultation)
    ask(personas["supplier_x"].user, consultation, text="Nog open: levert u ook tablets?")
    clarifications.clarification_publish(
        actor=project_team_user, question=question, public_question=REPHRASED, answer="Ja."
    )
    for persona in ("anonymous", "editor_a", "supplier_y", "project_team"):
        response = personas[persona].client().get(f"{API}/clarifications")
        [row] = results(response)
        assert set(row) == {"number", "question", "answer", "publishedAt"}, persona
        assert (row["number"], row["question"], row["answer"]) == (1, REPHRASED, "Ja."), persona
        assert "Leverancier X" not in response.content.decode()
        assert "tablets" not in response.content.decode()


def test_published_questions_of_a_draft_consultation_are_404(personas, programme_draft):
    problem(
        personas["anonymous"].client().get("/api/v1/consultations/mc-concept/clarifications"), 404
    )
    problem(
        personas["supplier_x"].client().get("/api/v1/consultations/mc-concept/clarifications"), 404
    )


@pytest.fixture
def programme_draft(project_team_user):
    programme = Programme.objects.create(slug="gt-concept", name="GT", contract_start_year=2028)
    return consultations.consultation_create(
        actor=project_team_user,
        programme=programme,
        title="Concept",
        slug="mc-concept",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=5),
    )


# --- Clarification questions: a supplier's own ------------------------------------------------


def test_a_supplier_sees_only_its_own_questions(personas, consultation, project_team_user):
    x = personas["supplier_x"].user
    first = ask(x, consultation, text="Eerste vraag van X")
    second = ask(x, consultation, text="Tweede vraag van X")
    ask(personas["supplier_y"].user, consultation, text="Vraag van Y")
    clarifications.clarification_publish(
        actor=project_team_user, question=first, public_question=REPHRASED, answer="Ja."
    )
    clarifications.clarification_reject(
        actor=project_team_user, question=second, reason="Buiten de scope."
    )
    rows = results(personas["supplier_x"].client().get(f"{API}/my-clarifications"))
    by_text = {row["question"]: row for row in rows}
    assert set(by_text) == {"Eerste vraag van X", "Tweede vraag van X"}
    published, rejected = by_text["Eerste vraag van X"], by_text["Tweede vraag van X"]
    assert (published["status"], published["number"], published["publicQuestion"]) == (
        "published",
        1,
        REPHRASED,
    )
    assert (published["answer"], published["reason"]) == ("Ja.", None)
    assert (rejected["status"], rejected["answer"], rejected["reason"]) == (
        "rejected",
        None,
        "Buiten de scope.",
    )
    assert rejected["number"] is None and rejected["publicQuestion"] is None
    assert "supplier" not in published and "supplierName" not in published
    response = personas["supplier_y"].client().get(f"{API}/my-clarifications")
    [own] = results(response)
    assert (own["question"], own["status"]) == ("Vraag van Y", "open")
    assert "van X" not in response.content.decode()


@pytest.mark.parametrize("persona", ["admin_a", "viewer_a", "joint_body", "project_team"])
def test_own_questions_are_404_for_non_suppliers(personas, consultation, persona):
    client = personas[persona].client()
    problem(client.get(f"{API}/my-clarifications"), 404)
    problem(post(client, f"{API}/my-clarifications", {"question": "Mag dit?"}), 404)


def test_asking_a_question(personas, consultation):
    client = personas["supplier_x"].client()
    response = post(client, f"{API}/my-clarifications", {"question": "  Mag refurbished?  "})
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["question"], data["status"], data["number"]) == ("Mag refurbished?", "open", None)
    question = ClarificationQuestion.objects.get(public_id=data["id"])
    assert question.organisation == personas["supplier_x"].organisation
    assert AuditEvent.objects.filter(
        action="clarification.asked", target_id=str(question.public_id)
    ).exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, "Vul uw vraag in."),
        ({"question": "   "}, "Vul uw vraag in."),
        ({"question": "x" * 2001}, None),
        ({"question": ["geen", "tekst"]}, None),
    ],
)
def test_a_bad_question_is_400_and_stores_nothing(personas, consultation, body, reason):
    response = post(personas["supplier_x"].client(), f"{API}/my-clarifications", body)
    errors = invalid(response)
    assert list(errors) == ["question"]
    if reason:
        assert errors["question"] == reason
    assert not ClarificationQuestion.objects.exists()


def test_a_supplier_viewer_reads_but_cannot_ask(personas, consultation):
    ask(personas["supplier_x"].user, consultation)
    viewer = member(personas["supplier_x"].organisation, Role.VIEWER, "kijker@lev-x.nl")
    assert len(results(viewer.get(f"{API}/my-clarifications"))) == 1
    problem(post(viewer, f"{API}/my-clarifications", {"question": "Mag dit?"}), 403)
    assert ClarificationQuestion.objects.count() == 1


def test_asking_after_the_deadline_is_409(personas, consultation, project_team_user):
    close(consultation, project_team_user)
    body = problem(
        post(personas["supplier_x"].client(), f"{API}/my-clarifications", {"question": "Nog?"}),
        409,
    )
    assert body["detail"] == "Deze marktconsultatie is gesloten."
    assert not ClarificationQuestion.objects.exists()


def test_anonymous_cannot_ask(personas, consultation):
    response = post(personas["anonymous"].client(), f"{API}/my-clarifications", {"question": "?"})
    assert response.status_code in (401, 403)
    assert not ClarificationQuestion.objects.exists()


# --- Clarification questions: the project team ------------------------------------------------


def test_project_team_lists_every_question_with_the_supplier(
    personas, consultation, project_team_user
):
    published = ask(personas["supplier_y"].user, consultation, text="Vraag van Y")
    clarifications.clarification_publish(
        actor=project_team_user, question=published, public_question="", answer="Ja."
    )
    ask(personas["supplier_x"].user, consultation)
    client = personas["project_team"].client()
    rows = results(client.get(f"{API}/clarification-requests"))
    assert [(r["status"], r["supplier"], r["supplierName"]) for r in rows] == [
        ("open", "leverancier-x", "Leverancier X B.V."),
        ("published", "leverancier-y", "Leverancier Y B.V."),
    ]
    assert rows[0]["question"] == SECRET
    assert rows[1]["answeredBy"] == project_team_user.get_full_name()
    only_open = results(client.get(f"{API}/clarification-requests?status=open"))
    assert [r["supplier"] for r in only_open] == ["leverancier-x"]
    errors = invalid(client.get(f"{API}/clarification-requests?status=verzonnen"))
    assert list(errors) == ["status"]
    one = client.get(f"{API}/clarification-requests/{rows[0]['id']}")
    assert (one.status_code, one.json()["supplier"]) == (200, "leverancier-x")


@pytest.mark.parametrize("persona", EVERYONE_ELSE + ["supplier_y"])
def test_the_question_list_is_404_outside_the_project_team(personas, consultation, persona):
    question = ask(personas["supplier_x"].user, consultation)
    client = personas[persona].client()
    problem(client.get(f"{API}/clarification-requests"), 404)
    one = f"{API}/clarification-requests/{question.public_id}"
    problem(client.get(one), 404)
    problem(post(client, f"{one}/publish", {"answer": "Ja."}), 404)
    problem(post(client, f"{one}/reject", {"reason": "Nee."}), 404)
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.OPEN


def test_publishing_a_question(personas, consultation):
    question = ask(personas["supplier_x"].user, consultation)
    url = f"{API}/clarification-requests/{question.public_id}/publish"
    client = personas["project_team"].client()
    response = post(client, url, {"publicQuestion": REPHRASED, "answer": "Ja, mits TCO."})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["number"], data["publicQuestion"], data["answer"]) == (
        "published",
        1,
        REPHRASED,
        "Ja, mits TCO.",
    )
    assert data["publishedAt"]
    event = AuditEvent.objects.get(action="clarification.published")
    assert event.data["rephrased"] is True
    # Final: publishing or rejecting again is a conflict, and nothing changes.
    body = problem(post(client, url, {"answer": "Toch nee."}), 409)
    assert body["detail"] == "Deze vraag is al afgehandeld; u kunt haar niet meer wijzigen."
    problem(post(client, url.replace("/publish", "/reject"), {"reason": "Nee."}), 409)
    question.refresh_from_db()
    assert (question.status, question.answer) == ("published", "Ja, mits TCO.")


def test_publish_and_reject_validate_their_fields(personas, consultation):
    question = ask(personas["supplier_x"].user, consultation)
    one = f"{API}/clarification-requests/{question.public_id}"
    client = personas["project_team"].client()
    assert invalid(post(client, f"{one}/publish", {"publicQuestion": REPHRASED})) == {
        "answer": "Vul het antwoord in."
    }
    assert list(invalid(post(client, f"{one}/publish", {"answer": "x" * 10001}))) == ["answer"]
    assert list(
        invalid(post(client, f"{one}/publish", {"answer": "Ja.", "publicQuestion": "x" * 2001}))
    ) == ["publicQuestion"]
    assert invalid(post(client, f"{one}/reject", {"reason": " "})) == {
        "reason": "Leg uit waarom de vraag niet wordt beantwoord."
    }
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.OPEN


def test_rejecting_a_question(personas, consultation):
    question = ask(personas["supplier_x"].user, consultation)
    response = post(
        personas["project_team"].client(),
        f"{API}/clarification-requests/{question.public_id}/reject",
        {"reason": "Buiten de scope."},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reason"]) == (
        "rejected",
        "Buiten de scope.",
    )
    assert results(personas["anonymous"].client().get(f"{API}/clarifications")) == []


def test_a_project_team_viewer_reads_but_cannot_answer(personas, consultation, team_viewer):
    question = ask(personas["supplier_x"].user, consultation)
    viewer = team_viewer
    assert len(results(viewer.get(f"{API}/clarification-requests"))) == 1
    one = f"{API}/clarification-requests/{question.public_id}"
    problem(post(viewer, f"{one}/publish", {"answer": "Ja."}), 403)
    problem(post(viewer, f"{one}/reject", {"reason": "Nee."}), 403)
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.OPEN


def test_clarification_lists_have_a_constant_number_of_queries(
    personas, consultation, project_team_user
):
    x, y = personas["supplier_x"], personas["supplier_y"]
    ask(x.user, consultation)
    published = ask(y.user, consultation, text="Vraag 0")
    clarifications.clarification_publish(actor=project_team_user, question=published, answer="Ja.")
    urls = {
        "anonymous": f"{API}/clarifications",
        "supplier_x": f"{API}/my-clarifications",
        "project_team": f"{API}/clarification-requests",
    }
    clients = {persona: personas[persona].client() for persona in urls}
    few = {p: count_queries(clients[p], url) for p, url in urls.items()}
    for n in range(1, 6):
        _asker, user = new_supplier(f"Vrager {n} B.V.")
        ask(x.user, consultation, text=f"X vraagt {n}")
        question = ask(user, consultation, text=f"Vraag {n}")
        clarifications.clarification_publish(
            actor=project_team_user, question=question, answer="Ja."
        )
    many = {p: count_queries(clients[p], url) for p, url in urls.items()}
    assert few == many
    assert len(results(clients["project_team"].get(urls["project_team"]))) == 12
    assert len(results(clients["supplier_x"].get(urls["supplier_x"]))) == 6
    assert len(results(clients["anonymous"].get(urls["anonymous"]))) == 6


# --- The anonymised report --------------------------------------------------------------------


def make_report(consultation, number, status=R.DONE, published=False) -> ConsultationReport:
    report = ConsultationReport(
        consultation=consultation,
        number=number,
        status=status,
        published_at=timezone.now() if published else None,
        error="OSError: WeasyPrint gave up" if status == R.FAILED else "",
    )
    if status == R.DONE:
        report.sha256 = hashlib.sha256(MINIMAL_PDF).hexdigest()
        report.generated_at = timezone.now()
        report.file.save(f"verslag-{number}.pdf", ContentFile(MINIMAL_PDF), save=False)
    report.save()
    return report


def test_the_published_report_is_public_the_others_are_the_project_teams(personas, consultation):
    draft = make_report(consultation, 1)
    published = make_report(consultation, 2, published=True)
    make_report(consultation, 3, status=R.PENDING)
    team = results(personas["project_team"].client().get(f"{API}/reports"))
    assert [(r["number"], r["status"], bool(r["publishedAt"])) for r in team] == [
        (3, "pending", False),
        (2, "done", True),
        (1, "done", False),
    ]
    assert (team[0]["sha256"], team[0]["downloadUrl"], team[0]["generatedAt"]) == (
        None,
        None,
        None,
    )
    for persona in ("anonymous", "editor_a", "supplier_x", "supplier_y"):
        client = personas[persona].client()
        [row] = results(client.get(f"{API}/reports"))
        assert (row["id"], row["number"]) == (str(published.public_id), 2), persona
        assert row["sha256"] == hashlib.sha256(MINIMAL_PDF).hexdigest()
        problem(client.get(f"{API}/reports/{draft.public_id}"), 404)
        detail = client.get(f"{API}/reports/{published.public_id}")
        assert detail.status_code == 200
    download = personas["anonymous"].client().get(row["downloadUrl"])
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == row["sha256"]
    detail = personas["project_team"].client().get(f"{API}/reports/{draft.public_id}")
    assert detail.json()["downloadUrl"].endswith(f"/verslag/{draft.public_id}/download")


def test_requesting_a_report_needs_a_closed_consultation(personas, consultation):
    body = problem(post(personas["project_team"].client(), f"{API}/reports"), 409)
    assert body["detail"] == (
        "Het verslag kan worden gemaakt nadat de marktconsultatie is gesloten."
    )
    assert not ConsultationReport.objects.exists()


@pytest.fixture
def reviewed_world(personas, consultation, project_team_user):
    """Closed, with supplier X's submitted response (an open answer) and Y's draft."""
    x = respond(personas["supplier_x"].user, consultation)
    respond(personas["supplier_y"].user, consultation, {"rol": "Fabrikant"}, submit=False)
    item = close(consultation, project_team_user)
    return item, x


def test_a_report_is_refused_while_reviews_are_missing_then_accepted(
    personas, reviewed_world, project_team_user
):
    item, x = reviewed_world
    client = personas["project_team"].client()
    body = problem(post(client, f"{API}/reports"), 409)
    assert body["detail"] == (
        "1 open antwoord is nog niet beoordeeld. Beoordeel alle open antwoorden voordat u "
        "het verslag maakt."
    )
    assert not ConsultationReport.objects.exists()
    from consultations.services.review import answer_review

    answer_review(
        actor=project_team_user,
        answer=x.answers.get(question_key="visie"),
        include=True,
        redacted_text="Een leverancier werkt circulair.",
    )
    response = post(client, f"{API}/reports")
    assert response.status_code == 202, response.content
    data = response.json()
    assert (data["number"], data["status"], data["downloadUrl"]) == (1, "pending", None)
    assert response["Location"] == f"http://testserver{API}/reports/{data['id']}"
    assert client.get(response["Location"]).json() == data
    assert AuditEvent.objects.filter(action="consultation_report.requested").count() == 1


@pytest.mark.parametrize("persona", EVERYONE_ELSE + ["supplier_y"])
def test_report_actions_are_404_outside_the_project_team(personas, reviewed_world, persona):
    item, _x = reviewed_world
    report = make_report(item, 1)
    failed = make_report(item, 2, status=R.FAILED)
    client = personas[persona].client()
    problem(post(client, f"{API}/reports"), 404)
    problem(post(client, f"{API}/reports/{report.public_id}/publish"), 404)
    problem(post(client, f"{API}/reports/{failed.public_id}/retry"), 404)
    report.refresh_from_db()
    failed.refresh_from_db()
    assert report.published_at is None and failed.status == R.FAILED
    assert ConsultationReport.objects.count() == 2


def test_a_project_team_viewer_reads_reports_but_cannot_change_them(
    personas, reviewed_world, team_viewer
):
    item, _x = reviewed_world
    report = make_report(item, 1)
    viewer = team_viewer
    assert len(results(viewer.get(f"{API}/reports"))) == 1
    problem(post(viewer, f"{API}/reports"), 403)
    problem(post(viewer, f"{API}/reports/{report.public_id}/publish"), 403)
    failed = make_report(item, 2, status=R.FAILED)
    problem(post(viewer, f"{API}/reports/{failed.public_id}/retry"), 403)
    report.refresh_from_db()
    failed.refresh_from_db()
    assert report.published_at is None and failed.status == R.FAILED


def test_publishing_and_taking_off_a_report(personas, consultation):
    old = make_report(consultation, 1, published=True)
    new = make_report(consultation, 2)
    pending = make_report(consultation, 3, status=R.PENDING)
    client = personas["project_team"].client()
    response = post(client, f"{API}/reports/{new.public_id}/publish")
    assert response.status_code == 200, response.content
    assert response.json()["publishedAt"]
    [public] = results(personas["anonymous"].client().get(f"{API}/reports"))
    assert public["number"] == 2
    old.refresh_from_db()
    assert old.published_at is None
    body = problem(post(client, f"{API}/reports/{pending.public_id}/publish"), 409)
    assert body["detail"] == "Alleen een verslag dat klaar is, kan worden gepubliceerd."
    response = post(client, f"{API}/reports/{new.public_id}/unpublish")
    assert (response.status_code, response.json()["publishedAt"]) == (200, None)
    assert results(personas["anonymous"].client().get(f"{API}/reports")) == []
    body = problem(post(client, f"{API}/reports/{new.public_id}/unpublish"), 409)
    assert body["detail"] == "Dit verslag is niet gepubliceerd."
    assert AuditEvent.objects.filter(action="consultation_report.unpublished").count() == 1


def review_x(x, actor):
    from consultations.services.review import answer_review

    answer_review(
        actor=actor,
        answer=x.answers.get(question_key="visie"),
        include=True,
        redacted_text="Een leverancier werkt circulair.",
    )


def test_a_later_version_needs_a_change_note(personas, reviewed_world, project_team_user):
    item, x = reviewed_world
    review_x(x, project_team_user)
    client = personas["project_team"].client()
    first = post(client, f"{API}/reports")
    assert first.status_code == 202, first.content
    assert (first.json()["number"], first.json()["changeNote"]) == (1, "")

    for body in ({}, {"changeNote": "  "}):
        assert invalid(post(client, f"{API}/reports", body)) == {
            "changeNote": "Geef aan wat er in deze versie anders is."
        }
    assert set(invalid(post(client, f"{API}/reports", {"changeNote": "x" * 201}))) == {"changeNote"}
    assert ConsultationReport.objects.count() == 1

    second = post(client, f"{API}/reports", {"changeNote": " Antwoord ingekort. "})
    assert second.status_code == 202, second.content
    data = second.json()
    assert (data["number"], data["changeNote"]) == (2, "Antwoord ingekort.")
    assert client.get(second["Location"]).json()["changeNote"] == "Antwoord ingekort."
    assert ConsultationReport.objects.get(number=2).change_note == "Antwoord ingekort."


def test_retrying_a_failed_report(personas, consultation, django_capture_on_commit_callbacks):
    failed = make_report(consultation, 1, status=R.FAILED)
    done = make_report(consultation, 2)
    client = personas["project_team"].client()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, f"{API}/reports/{failed.public_id}/retry")
    assert response.status_code == 202, response.content
    assert len(callbacks) == 1  # the render task
    data = response.json()
    assert (data["id"], data["number"], data["status"]) == (str(failed.public_id), 1, "pending")
    assert response["Location"] == f"http://testserver{API}/reports/{failed.public_id}"
    failed.refresh_from_db()
    assert (failed.status, failed.error) == (R.PENDING, "")
    assert AuditEvent.objects.filter(action="consultation_report.retried").count() == 1

    # Now pending, and the other one done: neither is retried.
    for report in (failed, done):
        body = problem(post(client, f"{API}/reports/{report.public_id}/retry"), 409)
        assert body["detail"] == "Alleen een versie die is mislukt, kan opnieuw worden gemaakt."
    done.refresh_from_db()
    assert done.status == R.DONE
    assert AuditEvent.objects.filter(action="consultation_report.retried").count() == 1


def test_report_list_has_a_constant_number_of_queries(personas, consultation):
    make_report(consultation, 1, published=True)
    clients = {p: personas[p].client() for p in ("anonymous", "project_team")}
    few = {p: count_queries(c, f"{API}/reports") for p, c in clients.items()}
    for number in range(2, 8):
        make_report(consultation, number, status=R.DONE if number % 2 else R.FAILED)
    many = {p: count_queries(c, f"{API}/reports") for p, c in clients.items()}
    assert few == many
    assert len(results(clients["project_team"].get(f"{API}/reports"))) == 7


# --- The review -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE_ELSE + ["supplier_y", "anonymous"])
def test_the_review_is_the_project_teams_alone(personas, reviewed_world, persona):
    _item, x = reviewed_world
    client = personas[persona].client()
    status = 403 if persona == "anonymous" else 404
    for url in (
        f"{API}/review/questions",
        f"{API}/review/questions/visie",
        f"{API}/review/answers/{x.public_id}/visie",
    ):
        problem(client.get(url), status)
    response = client.put(
        f"{API}/review/answers/{x.public_id}/visie",
        {"include": False},
        content_type="application/json",
    )
    problem(response, status)
    assert not AnswerReview.objects.exists()
    assert not AuditEvent.objects.filter(action="review.answers_read").exists()


def test_review_questions_count_submitted_answers(personas, consultation, project_team_user):
    respond(personas["supplier_x"].user, consultation)
    respond(personas["supplier_y"].user, consultation, {**ANSWERS, "rol": "Fabrikant"})
    _org, z = new_supplier("Leverancier Z B.V.")
    respond(z, consultation, {"rol": "Fabrikant", "visie": "Concept"}, submit=False)
    rows = results(personas["project_team"].client().get(f"{API}/review/questions"))
    by_key = {row["key"]: row for row in rows}
    assert [row["key"] for row in rows] == ["rol", "visie", "refurb", "brochure"]
    rol = by_key["rol"]
    assert (rol["type"], rol["text"], rol["versions"], rol["inNewest"]) == (
        "single_choice",
        "Wat is uw rol?",
        [1],
        True,
    )
    assert rol["answered"] == 2
    assert rol["counts"] == [
        {"label": "Fabrikant", "count": 1, "share": 50},
        {"label": "Reseller", "count": 1, "share": 50},
    ]
    assert (by_key["visie"]["openTotal"], by_key["visie"]["openReviewed"]) == (2, 0)
    assert by_key["visie"]["counts"] == []
    assert not AuditEvent.objects.filter(action="review.answers_read").exists()


def test_a_question_shows_every_submitted_answer_and_the_read_is_audited(
    personas, consultation, project_team_user
):
    x = respond(personas["supplier_x"].user, consultation)
    respond(personas["supplier_y"].user, consultation, {"rol": "Fabrikant", "refurb": "nee"})
    _org, z = new_supplier("Leverancier Z B.V.")
    respond(z, consultation, {**ANSWERS, "visie": "Geheim concept"}, submit=False)
    client = personas["project_team"].client()
    response = client.get(f"{API}/review/questions/visie")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["key"], data["type"], data["answered"]) == ("visie", "long_text", 1)
    assert [
        (a["supplierName"], a["version"], a["asked"], a["value"], a["review"])
        for a in data["answers"]
    ] == [
        ("Leverancier X B.V.", 1, True, "Wij werken circulair.", None),
        ("Leverancier Y B.V.", 1, True, None, None),
    ]
    assert data["answers"][0]["responseId"] == str(x.public_id)
    assert "Geheim concept" not in response.content.decode()
    event = AuditEvent.objects.get(action="review.answers_read")
    assert event.actor == project_team_user
    assert (event.data["view"], event.data["question"], event.data["consultation"]) == (
        "question",
        "visie",
        SLUG,
    )
    refurb = client.get(f"{API}/review/questions/refurb").json()
    assert [a["value"] for a in refurb["answers"]] == [True, False]
    assert refurb["counts"] == [
        {"label": "Ja", "count": 1, "share": 50},
        {"label": "Nee", "count": 1, "share": 50},
    ]
    problem(client.get(f"{API}/review/questions/bestaat-niet"), 404)
    assert AuditEvent.objects.filter(action="review.answers_read").count() == 2


def test_reviewing_an_open_answer(personas, reviewed_world, project_team_user):
    item, x = reviewed_world
    url = f"{API}/review/answers/{x.public_id}/visie"
    client = personas["project_team"].client()
    response = client.get(url)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["supplierName"], data["questionKey"], data["text"], data["review"]) == (
        "Leverancier X B.V.",
        "visie",
        "Wij werken circulair.",
        None,
    )
    event = AuditEvent.objects.get(action="review.answers_read")
    assert (event.data["view"], event.target_id, event.organisation) == (
        "answer",
        str(x.public_id),
        personas["supplier_x"].organisation,
    )

    def put(body):
        return client.put(url, body, content_type="application/json")

    assert list(invalid(put({"redactedText": "Zonder keuze"}))) == ["include"]
    assert invalid(
        put({"include": True, "redactedText": "Leverancier X B.V. werkt circulair."})
    ) == {
        "redactedText": "Verwijder de naam van de leverancier uit de tekst (gevonden: "
        "“Leverancier X B.V.”)."
    }
    assert list(invalid(put({"include": True, "redactedText": "  "}))) == ["redactedText"]
    assert not AnswerReview.objects.exists()
    response = put({"include": True, "redactedText": "Een leverancier werkt circulair."})
    assert response.status_code == 200, response.content
    assert (response.json()["include"], response.json()["redactedText"]) == (
        True,
        "Een leverancier werkt circulair.",
    )
    review = AnswerReview.objects.get()
    assert (review.include, review.reviewed_by) == (True, project_team_user)
    assert AuditEvent.objects.filter(action="answer.reviewed").count() == 1
    assert client.get(url).json()["review"]["redactedText"] == "Een leverancier werkt circulair."
    assert (
        client.get(f"{API}/review/questions/visie").json()["answers"][0]["review"]["include"]
        is True
    )


def test_a_review_before_closing_is_409(personas, consultation):
    x = respond(personas["supplier_x"].user, consultation)
    response = (
        personas["project_team"]
        .client()
        .put(
            f"{API}/review/answers/{x.public_id}/visie",
            {"include": False},
            content_type="application/json",
        )
    )
    body = problem(response, 409)
    assert (
        body["detail"] == "U kunt de antwoorden beoordelen zodra de marktconsultatie gesloten is."
    )
    assert not AnswerReview.objects.exists()


def test_only_open_answers_of_submitted_responses_are_reviewed(
    personas, reviewed_world, team_viewer
):
    item, x = reviewed_world
    draft = ConsultationResponse.objects.get(organisation=personas["supplier_y"].organisation)
    client = personas["project_team"].client()
    problem(client.get(f"{API}/review/answers/{draft.public_id}/rol"), 404)
    problem(client.get(f"{API}/review/answers/{x.public_id}/rol"), 404)  # not open text
    viewer = team_viewer
    assert viewer.get(f"{API}/review/answers/{x.public_id}/visie").status_code == 200
    response = viewer.put(
        f"{API}/review/answers/{x.public_id}/visie",
        {"include": False},
        content_type="application/json",
    )
    problem(response, 403)
    assert not AnswerReview.objects.exists()


def test_review_lists_have_a_constant_number_of_queries(personas, consultation):
    respond(personas["supplier_x"].user, consultation)
    client = personas["project_team"].client()
    urls = [f"{API}/review/questions", f"{API}/review/questions/visie"]
    few = [count_queries(client, url) for url in urls]
    for n in range(4):
        _org, user = new_supplier(f"Leverancier {n} B.V.")
        respond(user, consultation)
    assert [count_queries(client, url) for url in urls] == few
    assert len(client.get(urls[1]).json()["answers"]) == 5


# --- File answers -----------------------------------------------------------------------------


def pdf(name="brochure.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, "application/pdf")


def upload(client, key="brochure", file=None, fields=None):
    """A multipart PUT, as a browser or an HTTP library sends an upload."""
    body = encode_multipart(BOUNDARY, fields if fields is not None else {"file": file or pdf()})
    return client.put(f"{API}/my-response/files/{key}", body, content_type=MULTIPART_CONTENT)


def test_uploading_a_file_answer_and_its_download_url(personas, consultation, project_team_user):
    x = personas["supplier_x"].client()
    response = upload(x)
    assert response.status_code == 200, response.content
    [answer] = [a for a in response.json()["answers"] if a["questionKey"] == "brochure"]
    assert answer["hasFile"] is True
    assert answer["value"]["sha256"] == hashlib.sha256(MINIMAL_PDF).hexdigest()
    own = ConsultationResponse.objects.get(organisation=personas["supplier_x"].organisation)
    assert answer["downloadUrl"] == (
        f"http://testserver/marktconsultaties/{SLUG}/antwoorden/{own.public_id}/bestanden/brochure"
    )
    download = x.get(answer["downloadUrl"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == MINIMAL_PDF
    assert personas["supplier_y"].client().get(answer["downloadUrl"]).status_code == 404
    # Other answers have no download.
    responses.response_save(
        actor=personas["supplier_x"].user, response=own, answers={"rol": "Reseller", "refurb": "ja"}
    )
    mine = x.get(f"{API}/my-response").json()
    assert {a["questionKey"]: a["downloadUrl"] is None for a in mine["answers"]} == {
        "rol": True,
        "refurb": True,
        "brochure": False,
    }
    # The project team's reading of the response links to the same (audited) download.
    team = personas["project_team"].client()
    detail = team.get(f"/api/v1/consultations/{SLUG}/responses/{own.public_id}").json()
    [file_answer] = [a for a in detail["answers"] if a["questionKey"] == "brochure"]
    assert file_answer["downloadUrl"] == answer["downloadUrl"]
    assert team.get(file_answer["downloadUrl"]).status_code == 200
    assert AuditEvent.objects.filter(action="response.file_read").count() == 1
    # The review shows the file with the same link.
    responses.response_submit(actor=personas["supplier_x"].user, response=own)
    row = team.get(f"{API}/review/questions/brochure").json()["answers"][0]
    assert (row["hasFile"], row["downloadUrl"]) == (True, answer["downloadUrl"])


def test_a_bad_upload_is_400_at_file_and_stores_nothing(personas, consultation):
    x = personas["supplier_x"].client()
    errors = invalid(upload(x, file=pdf("brochure.pdf", b"geen pdf")))
    assert list(errors) == ["file"]
    assert invalid(upload(x, key="rol")) == {"file": "Deze vraag heeft geen bestand als antwoord."}
    assert invalid(upload(x, key="bestaat-niet")) == {
        "file": "Deze vraag hoort niet bij de vragenlijst."
    }
    assert invalid(upload(x, fields={"bestand": "brochure.pdf"})) == {
        "file": "Kies een pdf-bestand."
    }
    assert not ConsultationResponse.objects.filter(answers__question_key="brochure").exists()


def test_removing_a_file_answer(personas, consultation):
    x = personas["supplier_x"].client()
    assert upload(x).status_code == 200
    response = x.delete(f"{API}/my-response/files/brochure")
    assert response.status_code == 204
    mine = x.get(f"{API}/my-response").json()
    assert [a["questionKey"] for a in mine["answers"]] == []
    assert x.delete(f"{API}/my-response/files/brochure").status_code == 204  # nothing left
    problem(personas["supplier_y"].client().delete(f"{API}/my-response/files/brochure"), 404)


def test_file_uploads_follow_the_roles_and_the_deadline(personas, consultation, project_team_user):
    viewer = member(personas["supplier_x"].organisation, Role.VIEWER, "kijker@lev-x.nl")
    problem(upload(viewer), 403)
    problem(viewer.delete(f"{API}/my-response/files/brochure"), 403)
    for persona in ("admin_a", "project_team"):
        problem(upload(personas[persona].client()), 404)
    close(consultation, project_team_user)
    body = problem(upload(personas["supplier_x"].client()), 409)
    assert body["detail"] == "Deze marktconsultatie is gesloten."
    assert not ConsultationResponse.objects.exists()


# --- Talks ------------------------------------------------------------------------------------

TALK = timedelta(minutes=45)


def slot(consultation, hours: int, location="VNG, Den Haag") -> TalkSlot:
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours)
    return TalkSlot.objects.create(
        consultation=consultation, starts_at=start, ends_at=start + TALK, location=location
    )


@pytest.fixture
def slots(personas, consultation):
    """Two free talks, a talk booked by X, one booked by Y and a free one in the past."""
    made = {
        "free_1": slot(consultation, 24),
        "free_2": slot(consultation, 48),
        "x": slot(consultation, 72),
        "y": slot(consultation, 96),
        "past": slot(consultation, -48),
    }
    talks.slot_book(actor=personas["supplier_x"].user, slot=made["x"])
    talks.slot_book(actor=personas["supplier_y"].user, slot=made["y"])
    return made


def ids(rows) -> list[str]:
    return [row["id"] for row in rows]


def test_a_supplier_sees_the_free_talks_and_its_own_booking(personas, slots):
    rows = results(personas["supplier_x"].client().get(f"{API}/talk-slots"))
    expected = [slots[k] for k in ("free_1", "free_2", "x")]
    assert ids(rows) == [str(s.public_id) for s in expected]
    own = rows[2]
    assert (own["isBooked"], own["supplier"], own["supplierName"]) == (
        True,
        "leverancier-x",
        "Leverancier X B.V.",
    )
    assert (rows[0]["isBooked"], rows[0]["supplier"], rows[0]["location"]) == (
        False,
        None,
        "VNG, Den Haag",
    )
    response = personas["supplier_y"].client().get(f"{API}/talk-slots")
    assert ids(results(response)) == [str(slots[k].public_id) for k in ("free_1", "free_2", "y")]
    assert "leverancier-x" not in response.content.decode()


def test_the_project_team_sees_every_talk_with_its_supplier(personas, slots):
    rows = results(personas["project_team"].client().get(f"{API}/talk-slots"))
    assert [(row["id"], row["supplier"]) for row in rows] == [
        (str(slots["past"].public_id), None),
        (str(slots["free_1"].public_id), None),
        (str(slots["free_2"].public_id), None),
        (str(slots["x"].public_id), "leverancier-x"),
        (str(slots["y"].public_id), "leverancier-y"),
    ]
    assert rows[3]["bookedAt"]


@pytest.mark.parametrize("persona", ["admin_a", "viewer_a", "editor_b", "joint_body"])
def test_talks_are_404_for_municipalities(personas, slots, persona):
    client = personas[persona].client()
    problem(client.get(f"{API}/talk-slots"), 404)
    problem(post(client, f"{API}/talk-slots/{slots['free_1'].public_id}/book"), 404)
    problem(post(client, f"{API}/talk-slots/{slots['x'].public_id}/cancel"), 404)
    assert (
        TalkSlot.objects.get(pk=slots["x"].pk).organisation == personas["supplier_x"].organisation
    )


def test_minutes_are_linked_for_the_team_and_the_booking_supplier(personas, slots):
    booked = slots["x"]
    TalkSlot.objects.filter(pk=booked.pk).update(
        starts_at=booked.starts_at - timedelta(days=4), ends_at=booked.ends_at - timedelta(days=4)
    )
    talks.minutes_attach(
        actor=personas["project_team"].user,
        slot=TalkSlot.objects.get(pk=booked.pk),
        file=pdf("verslag.pdf"),
    )
    x = personas["supplier_x"].client()
    [own] = [row for row in results(x.get(f"{API}/talk-slots")) if row["isBooked"]]
    assert own["minutesSha256"] == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert own["minutesUrl"].endswith(f"/gesprekken/{booked.public_id}/verslag/download")
    assert x.get(own["minutesUrl"]).status_code == 200
    team = results(personas["project_team"].client().get(f"{API}/talk-slots"))
    assert [row["minutesUrl"] for row in team if row["id"] == own["id"]] == [own["minutesUrl"]]
    assert all(row["minutesUrl"] is None for row in team if row["id"] != own["id"])
    # Supplier Y sees neither the talk nor its minutes.
    y = personas["supplier_y"].client()
    assert own["id"] not in ids(results(y.get(f"{API}/talk-slots")))
    assert y.get(own["minutesUrl"]).status_code == 404


def test_booking_and_cancelling_a_talk(personas, consultation):
    free_1, free_2 = slot(consultation, 24), slot(consultation, 48)
    x = personas["supplier_x"].client()
    response = post(x, f"{API}/talk-slots/{free_1.public_id}/book")
    assert response.status_code == 200, response.content
    assert (response.json()["isBooked"], response.json()["supplier"]) == (True, "leverancier-x")
    assert AuditEvent.objects.filter(action="talk.booked").count() == 1
    body = problem(post(x, f"{API}/talk-slots/{free_2.public_id}/book"), 409)
    assert body["detail"] == "Uw organisatie heeft al een gesprek geboekt."
    body = problem(post(x, f"{API}/talk-slots/{free_1.public_id}/book"), 409)
    assert body["detail"] == "U heeft dit gesprek al geboekt."
    # For supplier Y, X's booking does not exist.
    y = personas["supplier_y"].client()
    problem(post(y, f"{API}/talk-slots/{free_1.public_id}/book"), 404)
    problem(post(y, f"{API}/talk-slots/{free_1.public_id}/cancel"), 404)
    response = post(x, f"{API}/talk-slots/{free_1.public_id}/cancel")
    assert (response.status_code, response.json()["isBooked"]) == (200, False)
    assert TalkSlot.objects.get(pk=free_1.pk).organisation is None
    # A free talk is nobody's booking: the supplier may not cancel it.
    problem(post(x, f"{API}/talk-slots/{free_1.public_id}/cancel"), 403)


def test_only_editors_of_a_supplier_book_and_the_team_cancels(personas, consultation, team_viewer):
    free = slot(consultation, 24)
    viewer = member(personas["supplier_x"].organisation, Role.VIEWER, "kijker@lev-x.nl")
    assert len(results(viewer.get(f"{API}/talk-slots"))) == 1
    problem(post(viewer, f"{API}/talk-slots/{free.public_id}/book"), 403)
    team = personas["project_team"].client()
    problem(post(team, f"{API}/talk-slots/{free.public_id}/book"), 403)
    assert TalkSlot.objects.get(pk=free.pk).organisation is None
    talks.slot_book(actor=personas["supplier_y"].user, slot=free)
    problem(post(viewer, f"{API}/talk-slots/{free.public_id}/cancel"), 404)
    problem(post(team_viewer, f"{API}/talk-slots/{free.public_id}/cancel"), 403)
    response = post(team, f"{API}/talk-slots/{free.public_id}/cancel")
    assert (response.status_code, response.json()["supplier"]) == (200, None)
    event = AuditEvent.objects.get(action="talk.cancelled")
    assert event.data["by"] == "project_team"


def test_talk_lists_have_a_constant_number_of_queries(personas, slots, consultation):
    clients = {p: personas[p].client() for p in ("supplier_x", "project_team")}
    url = f"{API}/talk-slots"
    few = {p: count_queries(c, url) for p, c in clients.items()}
    for n in range(5):
        extra = slot(consultation, 120 + n)
        _org, user = new_supplier(f"Leverancier {n} B.V.")
        if n % 2:
            talks.slot_book(actor=user, slot=extra)
    many = {p: count_queries(c, url) for p, c in clients.items()}
    assert few == many
    assert len(results(clients["project_team"].get(url))) == 10
    assert len(results(clients["supplier_x"].get(url))) == 6


# --- OpenAPI ----------------------------------------------------------------------------------


def test_openapi_document_has_the_new_paths(personas):
    response = (
        personas["anonymous"].client().get("/api/v1/openapi.json", HTTP_ACCEPT="application/json")
    )
    assert response.status_code == 200
    schema = json.loads(response.content)
    base = "/consultations/{consultation}"
    expected = {
        f"{base}/clarifications": {"get"},
        f"{base}/my-clarifications": {"get", "post"},
        f"{base}/clarification-requests": {"get"},
        f"{base}/clarification-requests/{{clarification}}": {"get"},
        f"{base}/clarification-requests/{{clarification}}/publish": {"post"},
        f"{base}/clarification-requests/{{clarification}}/reject": {"post"},
        f"{base}/reports": {"get", "post"},
        f"{base}/reports/{{report}}": {"get"},
        f"{base}/reports/{{report}}/retry": {"post"},
        f"{base}/reports/{{report}}/publish": {"post"},
        f"{base}/reports/{{report}}/unpublish": {"post"},
        f"{base}/review/questions": {"get"},
        f"{base}/review/questions/{{question_key}}": {"get"},
        f"{base}/review/answers/{{submitted_response}}/{{question_key}}": {"get", "put"},
        f"{base}/my-response/files/{{file_question}}": {"put", "delete"},
        f"{base}/talk-slots": {"get"},
        f"{base}/talk-slots/{{slot}}/book": {"post"},
        f"{base}/talk-slots/{{slot}}/cancel": {"post"},
    }
    paths = schema["paths"]
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) & {"get", "put", "post", "patch", "delete"} == methods, path
    create = paths[f"{base}/reports"]["post"]
    assert {"202", "400", "403", "404", "409"} <= set(create["responses"])
    assert create["responses"]["409"]["content"]["application/problem+json"]
    create_body = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    retry = paths[f"{base}/reports/{{report}}/retry"]["post"]
    assert {"202", "403", "404", "409"} <= set(retry["responses"])
    upload_body = paths[f"{base}/my-response/files/{{file_question}}"]["put"]["requestBody"]
    assert "multipart/form-data" in upload_body["content"]
    components = schema["components"]["schemas"]
    assert components["ClarificationStatusEnum"]["enum"] == ["open", "published", "rejected"]
    assert set(components["ConsultationReportStatusEnum"]["enum"]) == {
        "pending",
        "rendering",
        "done",
        "failed",
    }
    assert "downloadUrl" in components["Answer"]["properties"]
    assert "changeNote" in components[create_body.rsplit("/", 1)[1]]["properties"]
    assert "changeNote" in components["ConsultationReport"]["properties"]
