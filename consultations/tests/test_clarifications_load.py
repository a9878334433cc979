"""Clarification questions under load: the pages' query counts do not grow with the questions,
and two publications at the same moment get different numbers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import ClarificationQuestion
from consultations.selectors import clarifications as clarification_selectors
from consultations.services import clarifications as services
from consultations.tests.test_clarifications import (
    MANAGE_URL,
    PUBLIC_URL,
    SUPPLIER_URL,
    ask,
    client_for,
)
from consultations.tests.test_clarifications import asker as asker
from consultations.tests.test_clarifications import consultation as consultation
from portal.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Query counts -----------------------------------------------------------------------------


def _fill(consultation, actor, project_team_user, count: int) -> None:
    for n in range(count):
        question = ask(actor, consultation, f"Vraag {n}?")
        if n % 3 == 0:
            services.clarification_publish(
                actor=project_team_user, question=question, public_question="Vraag?", answer="Ja."
            )
        elif n % 3 == 1:
            services.clarification_reject(
                actor=project_team_user,
                question=question,
                reason="out_of_scope" if n % 2 else "duplicate",
                public_question="Vraag?",
            )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [MANAGE_URL, SUPPLIER_URL, PUBLIC_URL])
def test_pages_query_count_does_not_grow_with_questions(
    personas, consultation, asker, project_team_user, url
):
    client = personas["project_team"].client() if url == MANAGE_URL else client_for(asker)
    other = personas["supplier_y"].user
    _fill(consultation, asker, project_team_user, 3)
    _fill(consultation, other, project_team_user, 2)
    few = _queries(client, url)
    _fill(consultation, asker, project_team_user, 12)
    _fill(consultation, other, project_team_user, 9)
    assert _queries(client, url) == few


def test_manage_page_is_paged_and_filtered_by_status(
    personas, consultation, asker, project_team_user, monkeypatch
):
    """The project team's list shows a page at a time (open questions first), the number per
    status over all pages in the filter, and one status when asked; an unknown one is
    ignored."""
    monkeypatch.setattr(clarification_selectors, "MANAGE_PAGE_SIZE", 4)
    _fill(consultation, asker, project_team_user, 9)  # 3 published, 3 rejected, 3 open
    client = personas["project_team"].client()
    first = client.get(MANAGE_URL)
    listing = first.context["listing"]
    assert listing.counts == {"open": 3, "published": 3, "rejected": 3}
    assert [q.status for q in first.context["questions"]] == ["open"] * 3 + ["published"]
    html = first.content.decode()
    assert "Pagina 1 van 3" in html and 'href="?pagina=2"' in html
    assert '<option value="open">Wacht op antwoord (3)</option>' in html
    last = client.get(f"{MANAGE_URL}?pagina=3").context["questions"]
    assert [q.status for q in last] == ["rejected"]
    published = client.get(f"{MANAGE_URL}?status=gepubliceerd")
    numbers = [q.number for q in published.context["questions"]]
    assert len(numbers) == 3 and numbers == sorted(numbers)
    assert {q.status for q in published.context["questions"]} == {"published"}
    assert 'value="gepubliceerd" selected' in published.content.decode()
    rejected = client.get(f"{MANAGE_URL}?status=niet-beantwoord&pagina=1")
    assert {q.status for q in rejected.context["questions"]} == {"rejected"}
    unknown = client.get(f"{MANAGE_URL}?status=alles")
    assert unknown.context["listing"].status == "" and len(unknown.context["questions"]) == 4


def test_published_questions_are_read_a_page_at_a_time(
    personas, consultation, asker, project_team_user, monkeypatch
):
    """The public page and the supplier's page list the published questions a page at a time;
    links to a question on another page (the supplier's own question, a reference to the
    question that already answered one) lead to that page."""
    monkeypatch.setattr(clarification_selectors, "PUBLISHED_PAGE_SIZE", 2)
    first = ask(asker, consultation, "Vraag een?")
    services.clarification_publish(
        actor=project_team_user, question=first, public_question="Vraag een?", answer="Ja."
    )
    for n in range(3):
        question = ask(personas["supplier_y"].user, consultation, f"Vraag {n}?")
        services.clarification_publish(
            actor=project_team_user, question=question, public_question="Vraag?", answer="Ja."
        )
    last = ask(asker, consultation, "Nog eens vraag een?")
    services.clarification_reject(
        actor=project_team_user,
        question=last,
        reason="already_answered",
        public_question="Nog eens vraag een?",
        answered_in=1,
    )
    first.refresh_from_db()
    last.refresh_from_db()
    assert (first.number, last.number) == (1, 5)
    for client, url in ((client_for(asker), SUPPLIER_URL), (Client(), PUBLIC_URL)):
        page_one = client.get(url)
        assert [q.number for q in page_one.context["published_clarifications"]] == [1, 2]
        html = page_one.content.decode()
        assert 'href="?pagina=2#vragen-en-antwoorden"' in html and "Pagina 1 van 3" in html
        page_three = client.get(f"{url}?pagina=3")
        assert [q.number for q in page_three.context["published_clarifications"]] == [5]
        assert 'href="?pagina=1#vraag-1"' in page_three.content.decode()
    own = client_for(asker).get(SUPPLIER_URL).content.decode()
    assert 'href="#vraag-1"' in own and 'href="?pagina=3#vraag-5"' in own


@pytest.mark.django_db(transaction=True)
def test_simultaneous_publications_get_different_numbers(personas, consultation, asker):
    """Two team members publish at the same moment: the consultation row lock makes the second
    wait for the first, so the numbers are 1 and 2 (the unique constraint would refuse a twin)."""
    import threading

    from django.db import connections

    editor = MembershipFactory(
        organisation=personas["project_team"].organisation,
        role=Role.EDITOR,
        user=UserFactory(email="tweede@vng.nl"),
    ).user
    questions = [ask(asker, consultation, f"Vraag {n}?") for n in range(2)]
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def publish(actor, question) -> None:
        try:
            barrier.wait()
            services.clarification_publish(
                actor=actor, question=question, public_question="Vraag?", answer="Ja."
            )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=publish, args=(actor, question))
        for actor, question in zip((personas["project_team"].user, editor), questions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(ClarificationQuestion.objects.values_list("number", flat=True))
    assert numbers == [1, 2]


def test_the_manage_list_sorts_the_ids_and_reads_only_the_page(
    personas, consultation, asker, project_team_user, monkeypatch
):
    """The database sorts the questions' ids alone (no join with who asked); only the page's
    questions are read with their organisation, and the number comes from the counts per
    status (no COUNT of its own)."""
    monkeypatch.setattr(clarification_selectors, "MANAGE_PAGE_SIZE", 4)
    _fill(consultation, asker, project_team_user, 9)
    client = personas["project_team"].client()
    client.get(MANAGE_URL)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"{MANAGE_URL}?pagina=2")
    assert len(page.context["questions"]) == 4
    questions = [
        q["sql"] for q in captured.captured_queries if "tenders_clarificationquestion" in q["sql"]
    ]
    sorted_ids = [sql for sql in questions if "ORDER BY" in sql and "CASE WHEN" in sql]
    assert len(sorted_ids) == 1 and "portal_organisation" not in sorted_ids[0]
    assert 'SELECT COUNT(*) AS "__count" FROM "tenders_clarificationquestion"' not in "".join(
        questions
    )
