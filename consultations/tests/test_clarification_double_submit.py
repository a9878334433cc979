"""A double-clicked question is asked once, and the supplier is told it was already sent."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from consultations.models import ClarificationQuestion
from tenders.tests.conftest import open_consultation

pytestmark = pytest.mark.django_db

SLUG = "mc-dubbel"
URL = f"/marktconsultaties/{SLUG}/vragen"
QUESTION = "Mogen refurbished laptops worden aangeboden?"


@pytest.fixture
def asker(personas, project_team_user):
    open_consultation(project_team_user, slug=SLUG, programme_slug="gt-dubbel", question_key="r")
    client = Client()
    client.force_login(personas["supplier_x"].user)
    return client


def key_in(page) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', page.content.decode())
    assert match, "the form carries no idempotency key"
    return match.group(1)


def test_a_double_clicked_question_is_asked_once(asker, django_capture_on_commit_callbacks):
    data = {"question": QUESTION, "idempotency_key": key_in(asker.get(URL))}
    with django_capture_on_commit_callbacks(execute=True) as first_callbacks:
        first = asker.post(URL, data)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = asker.post(URL, data, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert ClarificationQuestion.objects.filter(question=QUESTION).count() == 1
    assert "Dit was al gedaan" in second.content.decode()
    # The team is told about the question once, not once per click: the repeat was rolled
    # back with everything it would have sent after commit.
    assert first_callbacks
    assert not second_callbacks


def test_the_same_text_in_a_new_form_is_a_new_question(asker):
    """Only the same submission is recognised: asking again on purpose still works."""
    asker.post(URL, {"question": QUESTION, "idempotency_key": key_in(asker.get(URL))})
    asker.post(URL, {"question": QUESTION, "idempotency_key": key_in(asker.get(URL))})
    assert ClarificationQuestion.objects.filter(question=QUESTION).count() == 2
