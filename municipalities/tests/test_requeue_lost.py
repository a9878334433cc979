"""Mandate versions whose task was lost (queued or being generated for longer than a task may
take) are queued again by the periodic task, and a real worker then renders them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from municipalities.models import MandateDocument
from municipalities.services.mandates import mandates_requeue_lost
from municipalities.tasks import requeue_lost_work_task

D = MandateDocument.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    if "celery_worker" not in request.fixturenames:
        settings.MEDIA_ROOT = str(tmp_path / "media")


def document(participation, version, status, age_minutes):
    return MandateDocument.objects.create(
        participation=participation,
        version=version,
        status=status,
        signatory_name="Burgemeester Aadorp",
        signatory_function="burgemeester",
        created_at=timezone.now() - timedelta(minutes=age_minutes),
    )


def test_only_lost_versions_are_queued_again(participation_a, django_capture_on_commit_callbacks):
    lost_queued = document(participation_a, 1, D.QUEUED, 45)
    lost_running = document(participation_a, 2, D.RUNNING, 45)
    document(participation_a, 3, D.QUEUED, 5)  # its task may still come
    document(participation_a, 4, D.DONE, 45)
    document(participation_a, 5, D.FAILED, 45)  # failed after its retries: a person decides
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = mandates_requeue_lost(older_than=timedelta(minutes=30))
    assert sorted(ids) == sorted([lost_queued.pk, lost_running.pk])
    assert len(callbacks) == 2


@pytest.mark.celery
def test_the_worker_renders_a_version_whose_task_was_lost(celery_worker, settings, participation_a):
    settings.REQUEUE_LOST_AFTER_MINUTES = 30
    lost = document(participation_a, 1, D.QUEUED, 45)  # created, but its task never sent
    assert requeue_lost_work_task() == 1

    def finished():
        lost.refresh_from_db()
        if lost.status == D.FAILED:
            pytest.fail(f"Rendering failed: {lost.error}\n{celery_worker.log()}")
        return lost.status == D.DONE

    celery_worker.wait_for(finished, timeout=60, what="the lost mandate version")
    assert lost.file.read().startswith(b"%PDF-")
    lost.file.close()
    assert requeue_lost_work_task() == 0  # nothing is lost any more
