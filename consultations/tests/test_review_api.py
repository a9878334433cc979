"""Consultation API, the project team's review: 404 for everyone else, the questions with
the counts of the submitted answers, every submitted answer of a question (every read
audited), the review of an open answer (validated, only after closing, of submitted open
answers, not by a viewer), and constant query counts."""

from __future__ import annotations

import pytest

from consultations.models import AnswerReview, ConsultationResponse
from consultations.tests.parts_api_helpers import (
    ANSWERS,
    API,
    EVERYONE_ELSE,
    SLUG,
    count_queries,
    invalid,
    new_supplier,
    problem,
    respond,
    results,
)
from consultations.tests.parts_api_helpers import _media_root as _media_root
from consultations.tests.parts_api_helpers import consultation as consultation
from consultations.tests.parts_api_helpers import reviewed_world as reviewed_world
from consultations.tests.parts_api_helpers import team_viewer as team_viewer
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


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
