"""Clarification questions under load: the pages' query counts do not grow with the questions,
and two publications at the same moment get different numbers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import ClarificationQuestion
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
