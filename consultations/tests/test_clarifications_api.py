"""Consultation API, clarification questions: the public Q&A without the questioner, a
supplier's own questions (asked, validated, refused after the deadline), the project
team's list with the supplier, publish and reject (final, validated, not by a viewer),
404 outside the project team, and constant query counts of the lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import ClarificationQuestion
from consultations.services import clarifications
from consultations.services import consultation as consultations
from consultations.tests.parts_api_helpers import (
    API,
    EVERYONE_ELSE,
    close,
    count_queries,
    invalid,
    member,
    new_supplier,
    post,
    problem,
    results,
)
from consultations.tests.parts_api_helpers import _media_root as _media_root
from consultations.tests.parts_api_helpers import consultation as consultation
from consultations.tests.parts_api_helpers import team_viewer as team_viewer
from portal.models import AuditEvent, Role
from tenders.models import Programme

pytestmark = pytest.mark.django_db

SECRET = "Kan Leverancier X B.V. haar Vraagmerk-laptops aanbieden?"
REPHRASED = "Mogen laptops van één merk worden aangeboden?"


def ask(user, consultation, text=SECRET) -> ClarificationQuestion:
    return clarifications.clarification_ask(actor=user, consultation=consultation, text=text)


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
        assert set(row) == {
            "number", "question", "answer", "answered", "reference", "publishedAt",
        }, persona  # fmt: skip
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
        actor=project_team_user, question=second, reason="asker_only"
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
        "Niet beantwoord: deze vraag gaat alleen over commerciële gegevens van de vragende "
        "leverancier.",
    )
    assert rejected["rejectionReason"] == "asker_only" and rejected["answeredIn"] is None
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
        actor=project_team_user, question=published, public_question="Vraag?", answer="Ja."
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
    problem(post(client, url.replace("/publish", "/reject"), {"reason": "duplicate"}), 409)
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
    for reason in ("", " ", "Buiten de scope."):  # a fixed reason, never free text
        assert invalid(post(client, f"{one}/reject", {"reason": reason})) == {
            "reason": "Kies waarom de vraag niet wordt beantwoord."
        }
    assert invalid(post(client, f"{one}/reject", {"reason": "out_of_scope"})) == {
        "publicQuestion": "Schrijf de vraag zoals die wordt gepubliceerd, in neutrale woorden."
    }
    assert invalid(
        post(client, f"{one}/reject", {"reason": "already_answered", "publicQuestion": "Mag?"})
    ) == {"answeredIn": "Kies de gepubliceerde vraag waarin het antwoord al staat."}
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.OPEN


def test_rejecting_a_question(personas, consultation):
    question = ask(personas["supplier_x"].user, consultation)
    response = post(
        personas["project_team"].client(),
        f"{API}/clarification-requests/{question.public_id}/reject",
        {"reason": "out_of_scope", "publicQuestion": "Mogen printers worden aangeboden?"},
    )
    assert response.status_code == 200, response.content
    outside = "Niet beantwoord: deze vraag valt buiten het onderwerp van de marktconsultatie."
    assert (response.json()["status"], response.json()["reason"]) == ("rejected", outside)
    # Outside the subject matters to all: published with the reason, never the asker's words.
    [row] = results(personas["anonymous"].client().get(f"{API}/clarifications"))
    assert (row["number"], row["question"], row["answer"], row["answered"]) == (
        1,
        "Mogen printers worden aangeboden?",
        outside,
        False,
    )


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
    clarifications.clarification_publish(
        actor=project_team_user, question=published, public_question="Vraag?", answer="Ja."
    )
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
            actor=project_team_user, question=question, public_question="Vraag?", answer="Ja."
        )
    many = {p: count_queries(clients[p], url) for p, url in urls.items()}
    assert few == many
    assert len(results(clients["project_team"].get(urls["project_team"]))) == 12
    assert len(results(clients["supplier_x"].get(urls["supplier_x"]))) == 6
    assert len(results(clients["anonymous"].get(urls["anonymous"]))) == 6
