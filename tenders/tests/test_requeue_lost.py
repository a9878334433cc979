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


def test_the_periodic_task_reports_what_it_queued(programme, settings):
    settings.REQUEUE_LOST_AFTER_MINUTES = 30
    AggregationRun.objects.create(programme=programme, reason="fresh")
    assert requeue_lost_work_task() == {"aggregation_runs": 0}
