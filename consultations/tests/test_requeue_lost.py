"""Consultation reports whose task was lost are queued again by the periodic task; fresh,
finished and failed ones are left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Consultation, ConsultationReport
from consultations.services.report import reports_requeue_lost
from consultations.tasks import requeue_lost_work_task
from tenders.tests.conftest import open_consultation

pytestmark = pytest.mark.django_db
OLD = timezone.now() - timedelta(minutes=45)


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


def test_the_periodic_task_reports_what_it_queued(project_team_user, settings):
    settings.REQUEUE_LOST_AFTER_MINUTES = 30
    consultation = open_consultation(project_team_user, slug="mc-fresh", programme_slug="gt-fresh")
    ConsultationReport.objects.create(consultation=consultation, number=1)  # just requested
    assert requeue_lost_work_task() == {"reports": 0}
