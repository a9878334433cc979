"""Clarification pages under load: the query count stays flat in the questions, and
simultaneous publications get different numbers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import ClarificationQuestion
from consultations.services import clarifications as services
from portal.models import Role
from tenders.tests.conftest import open_consultation
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SLUG = "mc-vragen"
SUPPLIER_URL = f"/marktconsultaties/{SLUG}/vragen"
MANAGE_URL = f"/marktconsultaties/{SLUG}/vragen/beheer"
PUBLIC_URL = f"/marktconsultaties/{SLUG}"
CONSULTATION_MANAGE_URL = f"/marktconsultaties/{SLUG}/beheer"
RESPONSE_URL = f"/marktconsultaties/{SLUG}/antwoorden"

ASKER_NAME = "Xaveria Vraagsteller"
SECRET = "Kan Leverancier X B.V. haar Vraagmerk-laptops aanbieden?"
REPHRASED = "Mogen refurbished laptops van één merk worden aangeboden?"
ANSWER = "Ja, mits ze aan de eisen voldoen."
ASKER_ONLY_NL = (
    "Niet beantwoord: deze vraag gaat alleen over commerciële gegevens van de vragende leverancier."
)


def answer_url(question) -> str:
    return f"/marktconsultaties/{SLUG}/vragen/{question.public_id}/beantwoorden"


def reject_url(question) -> str:
    return f"/marktconsultaties/{SLUG}/vragen/{question.public_id}/afwijzen"


@pytest.fixture
def consultation(project_team_user):
    return open_consultation(
        project_team_user, slug=SLUG, programme_slug="gt-vragen", question_key="r"
    )


@pytest.fixture
def asker(personas):
    user = personas["supplier_x"].user
    user.name = ASKER_NAME
    user.save(update_fields=["name"])
    return user


def ask(user, consultation, text=SECRET) -> ClarificationQuestion:
    return services.clarification_ask(actor=user, consultation=consultation, text=text)


def supplier_viewer(organisation):
    return MembershipFactory(
        organisation=organisation, role=Role.VIEWER, user=UserFactory(email="kijker@x.nl")
    ).user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Asking -----------------------------------------------------------------------------------


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
