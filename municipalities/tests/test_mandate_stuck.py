"""A mandate version whose task was lost (stuck) offers "Opnieuw proberen" to those who may
edit the registration; retrying queues it once. A version a worker is busy with does not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from municipalities.models import MandateDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(participation_a, editor_a):
    return MandateDocument.objects.create(
        participation=participation_a,
        version=1,
        status=MandateDocument.Status.RUNNING,
        signatory_name="J. de Burgemeester",
        signatory_function="burgemeester",
        created_by=editor_a,
        claimed_at=timezone.now(),
    )


def retry_url(document):
    return reverse(
        "municipalities:mandate-retry", args=[document.participation.public_id, document.public_id]
    )


def test_a_busy_version_offers_no_retry(personas, running):
    page = (
        personas["editor_a"]
        .client()
        .get(reverse("municipalities:mandate", args=[running.participation.public_id]))
    )
    assert retry_url(running) not in page.text
    assert "We maken het document zodra het kan." in page.text


def test_a_stuck_version_is_retried_once(personas, running, django_capture_on_commit_callbacks):
    MandateDocument.objects.filter(pk=running.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=7)
    )
    page_url = reverse("municipalities:mandate", args=[running.participation.public_id])
    assert retry_url(running) not in personas["viewer_a"].client().get(page_url).text
    client = personas["editor_a"].client()
    assert retry_url(running) in client.get(page_url).text
    assert "Opnieuw proberen" in client.get(page_url).text

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(retry_url(running)).status_code == 302
        assert client.post(retry_url(running)).status_code == 302  # a double click
    assert len(callbacks) == 1
    running.refresh_from_db()
    assert running.status == MandateDocument.Status.QUEUED
    assert retry_url(running) not in client.get(page_url).text
