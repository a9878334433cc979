"""Which jobs count as lost when the kind tracks when a job was claimed: a queued job never
picked up, a running one claimed longer ago than its time limit; a busy one is left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps
from django.utils import timezone

from portal import jobs

TASK = "portal.example_render_task"


@pytest.fixture
def kind(db):
    with isolate_apps("portal"):

        class ClaimedJob(models.Model):
            status = models.CharField(max_length=10, default="queued")
            error = models.TextField(blank=True)
            requested_at = models.DateTimeField(default=timezone.now)
            claimed_at = models.DateTimeField(null=True)

            class Meta:
                app_label = "portal"
                db_table = "portal_test_claimed_job"
                ordering = ["pk"]

            def __str__(self) -> str:
                return f"job {self.pk}: {self.status}"

        with connection.schema_editor() as editor:
            editor.create_model(ClaimedJob)
        yield jobs.JobKind(
            ClaimedJob,
            task_name=TASK,
            requested_at_field="requested_at",
            claimed_at_field="claimed_at",
            lost_after=timedelta(minutes=6),
        )


def test_claim_records_when(kind):
    job = kind.model.objects.create()
    claimed, ok = jobs.claim(kind, pk=job.pk)
    assert ok and claimed.claimed_at is not None
    assert kind.model.objects.get(pk=job.pk).claimed_at == claimed.claimed_at


def test_lost_jobs(kind, django_capture_on_commit_callbacks):
    now = timezone.now()
    make = kind.model.objects.create
    never_picked_up = make(requested_at=now - timedelta(minutes=10))
    worker_died = make(
        status="running",
        requested_at=now - timedelta(hours=1),
        claimed_at=now - timedelta(minutes=7),
    )
    make(status="running", requested_at=now - timedelta(hours=1), claimed_at=now)  # busy: a retry
    make(requested_at=now - timedelta(minutes=1))  # its message may still come
    make(status="failed", requested_at=now - timedelta(hours=1))  # a person decides
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ids = jobs.requeue_lost(kind, older_than=timedelta(minutes=5))
    assert ids == [never_picked_up.pk, worker_died.pk]
    assert len(callbacks) == 2


def test_a_stuck_job_may_be_retried_once(kind, settings, django_capture_on_commit_callbacks):
    settings.REQUEUE_LOST_AFTER_MINUTES = 5
    now = timezone.now()
    make = kind.model.objects.create
    worker_died = make(
        status="running",
        requested_at=now - timedelta(hours=1),
        claimed_at=now - timedelta(minutes=7),
    )
    never_picked_up = make(requested_at=now - timedelta(minutes=10))
    for job in (worker_died, never_picked_up):
        assert jobs.is_lost(kind, job)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            retried, ok = jobs.retry(kind, pk=job.pk)
        assert ok and retried.status == "queued"
        assert len(callbacks) == 1
        # Queued again just now: no longer stuck, so a second click sends nothing, and the
        # sweep leaves it alone for the next five minutes.
        assert not jobs.is_lost(kind, retried)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert jobs.retry(kind, pk=job.pk)[1] is False
        assert callbacks == []
    assert jobs.requeue_lost(kind, older_than=timedelta(minutes=5)) == []


def test_a_fresh_running_job_is_not_stuck(kind, django_capture_on_commit_callbacks):
    now = timezone.now()
    busy = kind.model.objects.create(
        status="running", requested_at=now - timedelta(hours=1), claimed_at=now
    )
    waiting = kind.model.objects.create(requested_at=now - timedelta(minutes=1))
    for job in (busy, waiting):
        assert not jobs.is_lost(kind, job)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            same, ok = jobs.retry(kind, pk=job.pk)
        assert not ok and same.status == job.status
        assert callbacks == []
