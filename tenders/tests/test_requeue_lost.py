"""Aggregation runs and consultation reports whose task was lost are queued again by the
periodic task; fresh, finished and failed ones are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tenders.aggregation import aggregation_requeue_lost
from tenders.models import AggregationRun, Consultation, ConsultationReport
from tenders.services_report import reports_requeue_lost
from tenders.tasks import requeue_lost_work_task
from tenders.tests.conftest import open_consultation

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


def test_lost_reports_are_queued_again(project_team_user, django_capture_on_commit_callbacks):
    consultation = open_consultation(project_team_user, slug="mc-lost", programme_slug="gt-lost")
    Consultation.objects.filter(pk=consultation.pk).update(status="closed")
    S = ConsultationReport.Status
    made = {
        status: ConsultationReport.objects.create(
            consultation=consultation, number=n, status=status, requested_at=OLD
        )
        for n, status in enumerate([S.PENDING, S.RENDERING, S.FAILED], start=1)
    }
    ConsultationReport.objects.create(consultation=consultation, number=4)  # just requested
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = reports_requeue_lost(older_than=timedelta(minutes=30))
    assert sorted(ids) == sorted([made[S.PENDING].pk, made[S.RENDERING].pk])
    assert len(callbacks) == 2


def test_the_periodic_task_reports_what_it_queued(programme, settings):
    settings.REQUEUE_LOST_AFTER_MINUTES = 30
    AggregationRun.objects.create(programme=programme, reason="fresh")
    assert requeue_lost_work_task() == {"aggregation_runs": 0, "reports": 0}
