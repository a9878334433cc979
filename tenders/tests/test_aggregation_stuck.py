"""An aggregation run whose task was lost (stuck) offers "Opnieuw proberen" on the dashboard to
the project team's editors; retrying fails the lost run and queues one new run. A run a worker
is busy with offers no retry, and a viewer never gets the button."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tenders.models import AggregationRun
from tenders.tests.test_aggregation import setup  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
BASE = "/programmas/gt-agg/aggregatie"


@pytest.fixture
def running(setup):  # noqa: F811 - the fixture imported above
    return AggregationRun.objects.create(
        programme=setup["programme"],
        reason="requested",
        status=AggregationRun.Status.RUNNING,
        started_at=timezone.now(),
    )


def retry_url(run) -> str:
    return f"{BASE}/runs/{run.public_id}/opnieuw"


def test_a_busy_run_offers_no_retry(personas, running):
    page = personas["project_team"].client().get(BASE).content.decode()
    assert retry_url(running) not in page


def test_a_queued_run_says_it_is_made_as_soon_as_it_can_be(personas, running):
    AggregationRun.objects.filter(pk=running.pk).update(status="queued", started_at=None)
    page = personas["project_team"].client().get(BASE).content.decode()
    assert "We maken de berekening zodra het kan." in page
    assert retry_url(running) not in page  # just queued: not lost yet


def test_a_stuck_run_is_retried_once(
    personas, project_team_viewer, client, running, django_capture_on_commit_callbacks
):
    AggregationRun.objects.filter(pk=running.pk).update(
        started_at=timezone.now() - timedelta(minutes=16)
    )
    client.force_login(project_team_viewer)
    assert retry_url(running) not in client.get(BASE).content.decode()

    team = personas["project_team"].client()
    assert retry_url(running) in team.get(BASE).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert team.post(retry_url(running)).status_code == 302
    running.refresh_from_db()
    assert running.status == AggregationRun.Status.FAILED
    queued = AggregationRun.objects.filter(programme=running.programme, status="queued")
    assert queued.count() == 1 and len(callbacks) == 1
    assert retry_url(running) not in team.get(BASE).content.decode()
