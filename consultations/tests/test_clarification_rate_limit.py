"""Questions a supplier asks mail the project team: limited per user per hour, with real
values. Over the limit the form says so, keeps the text, and nothing is stored or sent."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from consultations.models import ClarificationQuestion
from tenders.tests.conftest import open_consultation

pytestmark = pytest.mark.django_db

SLUG = "mc-limiet"
URL = f"/marktconsultaties/{SLUG}/vragen"


@pytest.fixture
def asker(personas, project_team_user):
    open_consultation(project_team_user, slug=SLUG, programme_slug="gt-limiet", question_key="r")
    client = Client()
    client.force_login(personas["supplier_x"].user)
    return client


def _ask(client, text, capture):
    page = client.get(URL)
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', page.content.decode())
    with capture(execute=True):
        return client.post(URL, {"question": text, "idempotency_key": key.group(1)})


def test_questions_are_limited_per_user(
    settings, asker, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ATTEMPT_LIMITS = {**django_settings.ATTEMPT_LIMITS, "mail_user": (2, 3600, 0)}
    for n in range(2):
        response = _ask(asker, f"Vraag nummer {n}?", django_capture_on_commit_callbacks)
        assert response.status_code == 302
    sent = len(mailoutbox)
    assert sent == 2
    response = _ask(asker, "Een derde vraag?", django_capture_on_commit_callbacks)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Er is niets verstuurd" in page
    assert "Een derde vraag?" in page
    assert not ClarificationQuestion.objects.filter(question="Een derde vraag?").exists()
    assert len(mailoutbox) == sent
