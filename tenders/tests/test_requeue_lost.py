"""Aggregation runs whose task was lost are queued again by the periodic task; fresh, finished
and failed ones are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tenders.models import AggregationRun
from tenders.services.aggregation import aggregation_requeue_lost
from tenders.tasks import requeue_lost_work_task

pytestmark = pytest.mark.django_db
OLD = timezone.now() - timedelta(minutes=45)


def test_lost_runs_are_queued_again(programme, django_capture_on_commit_callbacks):
    lost = AggregationRun.objects.create(programme=programme, reason="lost", requested_at=OLD)
    AggregationRun.objects.create(
        programme=programme, reason="done", status="done", requested_at=OLD
    )
    AggregationRun.objects.create(
        programme=programme, reason="failed", status="failed", requested_at=OLD
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert aggregation_requeue_lost(older_than=timedelta(minutes=30)) == [lost.pk]
    assert len(callbacks) == 1


def test_a_fresh_run_is_not_queued_twice(programme, django_capture_on_commit_callbacks):
    AggregationRun.objects.create(programme=programme, reason="fresh")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert aggregation_requeue_lost(older_than=timedelta(minutes=30)) == []
    assert callbacks == []


def test_the_periodic_task_reports_what_it_queued(
    programme, settings, django_capture_on_commit_callbacks
):
    from tenders.models import ProgrammeExport

    settings.REQUEUE_LOST_AFTER_MINUTES = 30
    AggregationRun.objects.create(programme=programme, reason="fresh")
    # An export whose message was lost, and a fresh one that may still be on its way.
    ProgrammeExport.objects.create(programme=programme, kind="demand", requested_at=OLD)
    ProgrammeExport.objects.create(programme=programme, kind="demand", status="failed")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert requeue_lost_work_task() == {
            "aggregation_runs": 0,
            "document_versions": 0,
            "programme_exports": 1,
        }
    assert len(callbacks) == 1


def test_a_run_running_past_its_time_limit_is_queued_again(
    programme, django_capture_on_commit_callbacks
):
    now = timezone.now()
    run = AggregationRun.objects.create(
        programme=programme, reason="busy", status="running", started_at=now - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert aggregation_requeue_lost(older_than=timedelta(minutes=5)) == []  # still busy
    AggregationRun.objects.filter(pk=run.pk).update(started_at=now - timedelta(minutes=16))
    with django_capture_on_commit_callbacks(execute=False):
        assert aggregation_requeue_lost(older_than=timedelta(minutes=5)) == [run.pk]


def test_requests_never_coalesce_onto_a_lost_run(programme, django_capture_on_commit_callbacks):
    from tenders.services.aggregation import aggregation_request

    stale = AggregationRun.objects.create(
        programme=programme, reason="stale", requested_at=timezone.now() - timedelta(minutes=16)
    )
    with django_capture_on_commit_callbacks(execute=False):
        run = aggregation_request(programme=programme, reason="demand.returned")
    assert run.pk != stale.pk and run.status == "queued"
    stale.refresh_from_db()
    assert stale.status == "failed" and stale.error
    # A fresh queued run is still coalesced onto.
    with django_capture_on_commit_callbacks(execute=False):
        assert aggregation_request(programme=programme, reason="again").pk == run.pk


def test_a_document_render_counts_as_lost_only_after_it_could_have_finished():
    """A version still rendering is lost (and sent again) only after the task's hard time
    limit, its longest retry countdown and a margin: never while a worker may still be on it."""
    from tenders.services.documents import DOCUMENT_JOB
    from tenders.tasks import document_render_task

    assert DOCUMENT_JOB.lost_after is not None
    longest = document_render_task.time_limit + document_render_task.retry_backoff_max
    assert DOCUMENT_JOB.lost_after >= timedelta(seconds=longest + 60)
    assert document_render_task.soft_time_limit < document_render_task.time_limit
