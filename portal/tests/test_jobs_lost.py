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
