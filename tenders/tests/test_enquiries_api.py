# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The nota van inlichtingen through the API: the published questions for anyone without the
asker, a supplier's own unpublished questions for its members, everything for the project team;
asking (suppliers), answering and merging (the team's editors) and the rounds with four eyes.
The services' refusals are problem+json with their Dutch messages, nothing changed."""

from __future__ import annotations

from datetime import datetime

import pytest

from tenders.models import Enquiry, EnquiryRound, Tender
from tenders.services.enquiries import (
    enquiry_answer,
    enquiry_ask,
    enquiry_round_decide,
    enquiry_round_request,
)
from tenders.tests.api_helpers import API, callers, second_member_client
from tenders.tests.change_helpers import published, second_member
from tenders.tests.documents_helpers import AMSTERDAM, make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
ASKED_X = "Leverancier X vraagt: mogen de laptops 8 GB geheugen hebben?"
ASKED_Y = "Leverancier Y vraagt: is een docking station inbegrepen?"
PUBLIC = "Mogen de laptops 8 GB geheugen hebben?"
ANSWER = "Nee, het minimum is 16 GB (eis 3.2)."


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def tender(setup, personas):
    return published(setup, personas)


def ask(personas, tender, persona="supplier_x", question=ASKED_X) -> Enquiry:
    return enquiry_ask(
        actor=personas[persona].user,
        organisation=personas[persona].organisation,
        tender=tender,
        question=question,
        lot_number=1,
        section="3.2",
    )


def with_published_round(personas, tender) -> tuple[Enquiry, Enquiry, Enquiry]:
    """Supplier X's question published in round 1; a second question of X and one of Y open."""
    answered = ask(personas, tender)
    enquiry_answer(
        actor=personas["project_team"].user, enquiry=answered, public_question=PUBLIC, answer=ANSWER
    )
    asked = enquiry_round_request(actor=personas["project_team"].user, tender=tender)
    enquiry_round_decide(actor=second_member(personas), round=asked, confirm=True)
    return (
        answered,
        ask(personas, tender, question="Nog een vraag van X"),
        ask(personas, tender, persona="supplier_y", question=ASKED_Y),
    )


def results(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def invalid(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    found: dict[str, list[str]] = {}
    for param in response.json()["invalidParams"]:
        found.setdefault(param["name"], []).append(param["reason"])
    return found


def conflict(response, text: str) -> None:
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == PROBLEM
    assert text in response.json()["detail"], response.json()["detail"]


def test_each_caller_sees_the_questions_it_may(tender, personas, project_team_viewer):
    published_one, own_open, other_open = with_published_round(personas, tender)
    url = f"{API}/{tender.reference}/enquiries"
    clients = callers(personas, project_team_viewer)

    public = {
        "id": str(published_one.public_id),
        "number": 1,
        "status": "published",
        "roundNumber": 1,
        "lotNumber": 1,
        "section": "3.2",
        "question": PUBLIC,
        "answer": ANSWER,
        "changesDocument": None,
    }
    for name in ("anonymous", "municipality"):
        [row] = results(clients[name], url)
        assert {k: row[k] for k in public} == public
        assert row["publishedAt"] and "organisation" not in row and "askedQuestion" not in row
        assert "Leverancier" not in str(row)

    rows = results(clients["supplier"], url)
    assert [(r["id"], r["status"]) for r in rows] == [
        (str(published_one.public_id), "published"),
        (str(own_open.public_id), "open"),
    ]
    assert rows[1]["question"] == "Nog een vraag van X" and rows[1]["answer"] is None
    assert rows[1]["number"] is None and "organisation" not in rows[1]
    assert ASKED_Y not in str(rows)

    team = results(clients["team_viewer"], url)
    assert [r["id"] for r in team] == [
        str(e.public_id) for e in (published_one, own_open, other_open)
    ]
    assert [r["organisation"]["name"] for r in team] == [
        personas["supplier_x"].organisation.name,
        personas["supplier_x"].organisation.name,
        personas["supplier_y"].organisation.name,
    ]
    assert team[0]["askedQuestion"] == ASKED_X and team[0]["publicQuestion"] == PUBLIC

    # One question: the other supplier's open question is not there for X (404, as unknown).
    detail = f"{url}/{other_open.public_id}"
    assert clients["supplier"].get(detail).status_code == 404
    assert clients["anonymous"].get(detail).status_code == 404
    assert clients["team_viewer"].get(detail).json()["question"] == ASKED_Y
    assert clients["anonymous"].get(f"{url}/{published_one.public_id}").json()["number"] == 1


def test_a_draft_tenders_questions_are_the_teams_only(setup, personas, project_team_viewer):
    draft = make_tender(setup, personas)
    clients = callers(personas, project_team_viewer)
    for path in ("enquiries", "enquiry-rounds"):
        url = f"{API}/{draft.reference}/{path}"
        for name in ("anonymous", "municipality", "supplier"):
            assert clients[name].get(url).status_code == 404, (name, path)
        assert results(clients["team_viewer"], url) == []
    response = clients["supplier"].post(
        f"{API}/{draft.reference}/enquiries", {"question": "?"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_a_supplier_asks_through_the_api(tender, personas, project_team_viewer):
    clients = callers(personas, project_team_viewer)
    url = f"{API}/{tender.reference}/enquiries"
    body = {"question": "Is een docking station inbegrepen?", "lotNumber": 2, "section": "4.1"}
    response = clients["supplier"].post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    enquiry = Enquiry.objects.get()
    assert response["Location"].endswith(f"{url}/{enquiry.public_id}")
    assert response.json()["status"] == "open" and response.json()["lotNumber"] == 2
    assert enquiry.organisation == personas["supplier_x"].organisation

    # Bad input: next to the field, in Dutch, nothing stored.
    bad = clients["supplier"].post(url, {"question": "  "}, content_type="application/json")
    assert invalid(bad) == {"question": ["Vul uw vraag in."]}
    bad = clients["supplier"].post(
        url, {"question": "Vraag", "lotNumber": 9}, content_type="application/json"
    )
    assert invalid(bad) == {"lotNumber": ["Kies een van de percelen van de aanbesteding."]}
    assert "question" in invalid(clients["supplier"].post(url, {}, content_type="application/json"))

    # Only a supplier's member asks.
    for name in ("anonymous", "municipality", "team_viewer", "team_editor"):
        refused = clients[name].post(url, body, content_type="application/json")
        assert refused.status_code == 403, name
        assert refused["Content-Type"] == PROBLEM

    # After the deadline for questions: refused as the service refuses it.
    Tender.objects.filter(pk=tender.pk).update(
        question_deadline_at=datetime(2026, 1, 5, 17, tzinfo=AMSTERDAM)
    )
    conflict(
        clients["supplier"].post(url, body, content_type="application/json"),
        "De uiterste datum voor vragen is verstreken (maandag 5 januari 2026, 17:00 uur "
        "(Nederlandse tijd))",
    )
    assert Enquiry.objects.count() == 1


def test_the_team_answers_and_merges(tender, personas, project_team_viewer):
    clients = callers(personas, project_team_viewer)
    enquiry = ask(personas, tender)
    duplicate = ask(personas, tender, persona="supplier_y", question=ASKED_Y)
    url = f"{API}/{tender.reference}/enquiries/{enquiry.public_id}"
    body = {"publicQuestion": PUBLIC, "answer": ANSWER, "changesDocument": "leidraad"}

    for name, code in (
        ("anonymous", 403),
        ("municipality", 404),
        ("supplier", 404),
        ("team_viewer", 403),
    ):
        refused = clients[name].post(f"{url}/answer", body, content_type="application/json")
        assert refused.status_code == code, name
    enquiry.refresh_from_db()
    assert enquiry.status == "open"

    bad = clients["team_editor"].post(
        f"{url}/answer",
        {"publicQuestion": "Leverancier X vraagt om 8 GB", "answer": "", "changesDocument": "nvi"},
        content_type="application/json",
    )
    assert set(invalid(bad)) == {"changesDocument"}  # the body first: not a document of the set
    asker = personas["supplier_x"].organisation.name
    bad = clients["team_editor"].post(
        f"{url}/answer",
        {"publicQuestion": f"{asker} vraagt om 8 GB", "answer": ""},
        content_type="application/json",
    )
    assert invalid(bad) == {
        "publicQuestion": [
            f"De publieke formulering noemt de leverancier die de vraag stelde (de naam "
            f"‘{asker}’): formuleer de vraag neutraal."
        ],
        "answer": ["Vul het antwoord in."],
    }

    response = clients["team_editor"].post(f"{url}/answer", body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["answer"], data["changesDocument"]) == (
        "answered",
        ANSWER,
        "leidraad",
    )
    enquiry.refresh_from_db()
    assert enquiry.changes_document.kind == "leidraad"

    merge = f"{API}/{tender.reference}/enquiries/{duplicate.public_id}/merge"
    unknown = clients["team_editor"].post(
        merge, {"into": "00000000-0000-4000-8000-000000000000"}, content_type="application/json"
    )
    assert set(invalid(unknown)) == {"into"}
    itself = clients["team_editor"].post(
        merge, {"into": str(duplicate.public_id)}, content_type="application/json"
    )
    assert invalid(itself) == {
        "into": ["Kies een andere, niet samengevoegde vraag over dezelfde aanbesteding."]
    }
    assert (
        clients["team_viewer"]
        .post(merge, {"into": str(enquiry.public_id)}, content_type="application/json")
        .status_code
        == 403
    )
    merged = clients["team_editor"].post(
        merge, {"into": str(enquiry.public_id)}, content_type="application/json"
    )
    assert merged.status_code == 200, merged.content
    assert merged.json()["status"] == "merged"
    assert merged.json()["mergedInto"] == str(enquiry.public_id)
    conflict(
        clients["team_editor"].post(
            f"{API}/{tender.reference}/enquiries/{duplicate.public_id}/answer",
            body,
            content_type="application/json",
        ),
        "Deze vraag is samengevoegd met een andere vraag.",
    )


def test_rounds_are_published_with_four_eyes(tender, personas, project_team_viewer):
    clients = callers(personas, project_team_viewer)
    enquiry = ask(personas, tender)
    enquiry_answer(
        actor=personas["project_team"].user, enquiry=enquiry, public_question=PUBLIC, answer=ANSWER
    )
    url = f"{API}/{tender.reference}/enquiry-rounds"
    for name, code in (("anonymous", 403), ("supplier", 404), ("team_viewer", 403)):
        assert clients[name].post(url).status_code == code, name

    response = clients["team_editor"].post(url)
    assert response.status_code == 201, response.content
    asked = response.json()
    assert (asked["status"], asked["number"], asked["questionCount"]) == ("pending", None, 1)
    assert response["Location"].endswith(f"{url}/{asked['id']}")
    assert results(clients["anonymous"], url) == []
    assert [r["id"] for r in results(clients["team_viewer"], url)] == [asked["id"]]
    assert clients["anonymous"].get(f"{url}/{asked['id']}").status_code == 404

    confirm = f"{url}/{asked['id']}/confirm"
    conflict(
        clients["team_editor"].post(confirm),
        "Een tweede lid van het projectteam bevestigt de nota van inlichtingen",
    )
    assert clients["supplier"].post(confirm).status_code == 404
    assert clients["team_viewer"].post(confirm).status_code == 403
    confirmer = second_member_client(personas)
    done = confirmer.post(confirm)
    assert done.status_code == 200, done.content
    data = done.json()
    assert (data["status"], data["number"]) == ("published", 1)
    assert data["notice"]["version"] == 1 and data["notice"]["kind"] == "nvi"
    assert data["notice"]["status"] == "queued" and data["notice"]["downloadUrl"] is None
    assert data["changedDocuments"] == []
    conflict(confirmer.post(confirm), "al besloten")

    [public] = results(clients["anonymous"], url)
    assert public["id"] == asked["id"] and public["publishedAt"]
    one = clients["anonymous"].get(f"{url}/{asked['id']}")
    assert one.status_code == 200 and one.json() == public
    assert (
        clients["anonymous"].get(f"{url}/00000000-0000-4000-8000-000000000000").status_code == 404
    )
    assert [
        r["status"] for r in results(clients["anonymous"], f"{API}/{tender.reference}/enquiries")
    ] == ["published"]

    # A second round: cancelled by any editor, a draft again.
    second = ask(personas, tender, question="Nog een vraag")
    enquiry_answer(
        actor=personas["project_team"].user, enquiry=second, public_question="Vraag 2", answer="Ja."
    )
    pending = clients["team_editor"].post(url).json()
    assert clients["team_viewer"].post(f"{url}/{pending['id']}/cancel").status_code == 403
    assert clients["supplier"].post(f"{url}/{pending['id']}/cancel").status_code == 404
    cancelled = clients["team_editor"].post(f"{url}/{pending['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "draft"
    assert EnquiryRound.objects.get(public_id=pending["id"]).status == "draft"


def test_a_round_is_refused_with_the_services_message(tender, personas):
    enquiry = ask(personas, tender)
    document = tender.documents.get(kind="leidraad")
    enquiry_answer(
        actor=personas["project_team"].user,
        enquiry=enquiry,
        public_question=PUBLIC,
        answer=ANSWER,
        changes_document=document,
    )
    response = personas["project_team"].client().post(f"{API}/{tender.reference}/enquiry-rounds")
    conflict(response, "Een antwoord wijzigt “Aanbestedingsleidraad”")
    assert not EnquiryRound.objects.exclude(status="draft").exists()


def test_the_schema_does_not_promise_what_only_the_team_gets():
    from drf_spectacular.generators import SchemaGenerator

    from tenders.api.serializers_enquiries import EnquirySerializer
    from tenders.api.serializers_tender import OPTIONAL_FIELDS

    assert set(OPTIONAL_FIELDS["Enquiry"]) == set(EnquirySerializer.TEAM_ONLY)
    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    required = set(schemas["Enquiry"]["required"])
    assert required and not required & set(EnquirySerializer.TEAM_ONLY)
    assert "periodProblems" not in schemas["TenderDetail"]["required"]
