"""Opening a supplier's response page changes nothing: a submitted response stays on the
questionnaire version it answered, however often the page is opened (a link on another site
can open it). Moving it to a newer version is an explicit action of the supplier, on a page
that first shows what changes: questions added and removed, and which answers are dropped."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.models import Answer, ConsultationResponse
from consultations.services import consultation as consultations
from consultations.services import responses as services
from consultations.tests.test_responses import COMPLETE, URL, _catalogue, consultation  # noqa: F401
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db
UPGRADE = f"{URL}/nieuwe-versie"


@pytest.fixture
def outdated(personas, consultation, project_team_user):  # noqa: F811 - the fixture above
    """Supplier X submitted to version 1; version 2 drops "visie" and adds "garantie"."""
    x = personas["supplier_x"].user
    response = services.response_get_or_create(actor=x, consultation=consultation)
    services.response_save(actor=x, response=response, answers=COMPLETE)
    services.response_submit(actor=x, response=response)
    draft = consultations.questionnaire_new_version(
        actor=project_team_user, consultation=consultation
    )
    consultations.question_remove(
        actor=project_team_user, question=draft.questions.get(key="visie")
    )
    consultations.question_add(
        actor=project_team_user,
        version=draft,
        section=draft.sections.get(),
        type="short_text",
        text="Garantietermijn?",
        key="garantie",
    )
    consultations.questionnaire_publish(actor=project_team_user, version=draft)
    response.refresh_from_db()
    return response


def _state(response) -> tuple:
    response.refresh_from_db()
    answers = sorted(
        Answer.objects.filter(response=response).values_list("question_key", flat=True)
    )
    return response.version.number, response.status, answers, AuditEvent.objects.count()


def test_opening_the_response_page_leaves_a_submitted_response_alone(personas, outdated):
    before = _state(outdated)
    client = personas["supplier_x"].client()
    for _ in range(2):
        page = client.get(URL)
        assert page.status_code == 200
    assert (
        _state(outdated)
        == before
        == (1, "submitted", ["naam", "refurb", "rol", "visie"], before[3])
    )
    html = page.content.decode()
    assert UPGRADE in html  # the way to the new version, as a link to the summary
    assert "Garantietermijn?" not in html  # the page still shows the version answered


def test_opening_the_page_for_the_first_time_creates_nothing(personas, consultation):  # noqa: F811
    count = ConsultationResponse.objects.count(), AuditEvent.objects.count()
    assert personas["supplier_y"].client().get(URL).status_code == 200
    assert (ConsultationResponse.objects.count(), AuditEvent.objects.count()) == count


def test_the_summary_shows_what_changes_and_changes_nothing(personas, outdated):
    before = _state(outdated)
    client = personas["supplier_x"].client()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(UPGRADE)
    assert page.status_code == 200
    assert not [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    html = page.content.decode()
    assert html.count("<h1") == 1
    summary = page.context["summary"]
    assert [q.key for q in summary.added] == ["garantie"]
    assert [q.key for q in summary.removed] == ["visie"]
    assert [c.question.key for c in summary.dropped] == ["visie"]  # answered, so this answer goes
    assert "Visie?" in html and "Garantietermijn?" in html and "Circulair" in html
    assert _state(outdated) == before


def test_moving_is_an_explicit_post_and_drops_only_what_the_summary_named(personas, outdated):
    client = personas["supplier_x"].client()
    moved = client.post(UPGRADE)
    assert moved.status_code == 302 and moved["Location"] == URL
    version, status, answers, _events = _state(outdated)
    assert (version, status, answers) == (2, "draft", ["naam", "refurb", "rol"])
    event = AuditEvent.objects.get(action="response.upgraded")
    assert event.data["dropped"] == ["visie"]
    # Up to date: the summary page has nothing to move.
    assert client.post(UPGRADE).status_code == 422


def test_saving_an_outdated_response_asks_to_move_first(personas, outdated):
    before = _state(outdated)
    response = personas["supplier_x"].client().post(URL, {**COMPLETE, "save": "1"})
    assert response.status_code == 422
    assert "nieuwe versie" in response.content.decode()
    assert _state(outdated) == before


def test_who_may_move(personas, outdated):
    from portal.models import Role
    from tests.factories import MembershipFactory, UserFactory

    viewer = UserFactory()
    MembershipFactory(user=viewer, organisation=outdated.organisation, role=Role.VIEWER)
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    before = _state(outdated)
    assert client.get(UPGRADE).status_code == 200  # reading the summary
    assert client.post(UPGRADE).status_code == 403
    assert personas["supplier_y"].client().post(UPGRADE).status_code == 422  # nothing to move
    assert personas["project_team"].client().post(UPGRADE).status_code == 404
    anonymous = Client().post(UPGRADE)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert _state(outdated) == before


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_summary_query_count_does_not_grow(personas, outdated, project_team_user):
    client = personas["supplier_x"].client()
    client.get(UPGRADE)  # warm up the session
    few = _count(client, UPGRADE)
    draft = consultations.questionnaire_new_version(
        actor=project_team_user, consultation=outdated.consultation
    )
    for key in ("rol", "refurb"):
        consultations.question_remove(
            actor=project_team_user, question=draft.questions.get(key=key)
        )
    for index in range(20):
        consultations.question_add(
            actor=project_team_user,
            version=draft,
            section=draft.sections.get(),
            type="short_text",
            text=f"Extra vraag {index}?",
            key=f"extra-{index}",
        )
    consultations.questionnaire_publish(actor=project_team_user, version=draft)
    many = _count(client, UPGRADE)
    summary = client.get(UPGRADE).context["summary"]
    assert len(summary.added) == 21 and len(summary.dropped) == 3
    assert few == many <= 16
