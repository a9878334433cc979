"""The background-job lifecycle of ``portal.jobs``, on a model of its own (created for each
test in an isolated app registry, so that the core is tested without any app)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, models, transaction
from django.test.utils import isolate_apps
from django.utils import timezone

from portal import jobs

TASK = "portal.example_render_task"


@pytest.fixture
def kind(db):
    with isolate_apps("portal"):

        class ExampleJob(models.Model):
            status = models.CharField(max_length=10, default="queued")
            error = models.TextField(blank=True)
            requested_at = models.DateTimeField(default=timezone.now)
            finished_at = models.DateTimeField(null=True)

            class Meta:
                app_label = "portal"
                db_table = "portal_test_example_job"
                ordering = ["pk"]

            def __str__(self) -> str:
                return f"job {self.pk}: {self.status}"

        # Inside the test's transaction: PostgreSQL rolls the table back with the test.
        with connection.schema_editor() as editor:
            editor.create_model(ExampleJob)
        yield jobs.JobKind(ExampleJob, task_name=TASK, requested_at_field="requested_at")


@pytest.fixture
def sent(monkeypatch):
    """What ``send_task`` was asked to send: (name, args, options)."""
    calls: list[tuple[str, tuple, dict]] = []

    def send_task(name, args=None, **options):
        calls.append((name, tuple(args or ()), options))

    monkeypatch.setattr(jobs, "current_app", SimpleNamespace(send_task=send_task))
    return calls


def make(kind, status="queued", **fields):
    return kind.model.objects.create(status=status, **fields)


# --- enqueue_on_commit ----------------------------------------------------------------------


def test_enqueue_sends_by_name_after_commit(db, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        jobs.enqueue_on_commit(TASK, 7, countdown=5)
        assert sent == []  # not before the commit
    for callback in callbacks:
        callback()
    assert sent == [(TASK, (7,), {"countdown": 5})]


@pytest.mark.django_db(transaction=True)
def test_enqueue_sends_after_a_real_commit_and_nothing_after_a_rollback(sent):
    with transaction.atomic():
        jobs.enqueue_on_commit(TASK, 1)
        assert sent == []
    assert sent == [(TASK, (1,), {})]

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        jobs.enqueue_on_commit(TASK, 2)
        raise Boom
    assert sent == [(TASK, (1,), {})]


def test_enqueue_applies_the_task_routes_by_name():
    # The route of a document task comes from CELERY_TASK_ROUTES by its name alone, which is
    # all send_task has when the task module was never imported (the web process).
    from celery import current_app

    route = current_app.amqp.router.route({}, "portal.example_render_task", (1,), {}, None)
    assert route["queue"].name == "pdf"
    route = current_app.amqp.router.route({}, "portal.example_task", (1,), {}, None)
    assert route["queue"].name == "default"


# --- claim, done, failed --------------------------------------------------------------------


def test_claim_marks_the_job_running(kind):
    job = make(kind)
    claimed, ok = jobs.claim(kind, pk=job.pk, finished_at=None)
    assert ok and claimed.status == "running"
    job.refresh_from_db()
    assert job.status == "running"


def test_claiming_twice_is_idempotent_once_done(kind):
    job = make(kind)
    first, ok = jobs.claim(kind, pk=job.pk)
    assert ok
    with transaction.atomic():
        jobs.mark_done(kind, jobs.lock(kind, pk=job.pk), finished_at=timezone.now())

    again, ok = jobs.claim(kind, pk=job.pk, error="changed")
    assert not ok
    assert (again.status, again.error) == ("done", "")
    job.refresh_from_db()
    assert (job.status, job.error) == ("done", "")


def test_claiming_a_running_job_again_runs_it(kind):
    # A message delivered again after a worker died: the job was never finished.
    job = make(kind, status="running")
    _, ok = jobs.claim(kind, pk=job.pk)
    assert ok


def test_mark_done_saves_the_status_the_values_and_the_callers_fields(kind):
    job = make(kind, status="running")
    now = timezone.now()
    with transaction.atomic():
        locked = jobs.lock(kind, pk=job.pk)
        locked.error = "left from an earlier attempt"
        jobs.mark_done(kind, locked, update_fields=("error",), finished_at=now)
    job.refresh_from_db()
    assert (job.status, job.finished_at, job.error) == ("done", now, "left from an earlier attempt")


def test_mark_failed_records_the_reason_truncated(kind):
    job = make(kind, status="running")
    failed = jobs.mark_failed(kind, pk=job.pk, error="x" * 5000, finished_at=timezone.now())
    job.refresh_from_db()
    assert failed is not None and failed.pk == job.pk
    assert job.status == "failed" and len(job.error) == jobs.ERROR_MAX_LENGTH
    assert job.finished_at is not None


def test_mark_failed_never_overwrites_a_done_job(kind):
    job = make(kind, status="done")
    assert jobs.mark_failed(kind, pk=job.pk, error="late failure") is None
    job.refresh_from_db()
    assert (job.status, job.error, job.finished_at) == ("done", "", None)


def test_mark_failed_of_a_job_that_is_gone_does_nothing(kind):
    assert jobs.mark_failed(kind, pk=123456, error="boom") is None


# --- retry ----------------------------------------------------------------------------------


def test_retry_queues_a_failed_job_and_sends_its_task(
    kind, sent, django_capture_on_commit_callbacks
):
    job = make(kind, status="failed", error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        retried, ok = jobs.retry(kind, pk=job.pk)
    assert ok and (retried.status, retried.error) == ("queued", "")
    job.refresh_from_db()
    assert (job.status, job.error) == ("queued", "")
    assert sent == [(TASK, (job.pk,), {})]


@pytest.mark.parametrize("status", ["queued", "running", "done"])
def test_retry_only_from_failed(kind, sent, status, django_capture_on_commit_callbacks):
    job = make(kind, status=status, error="kept")
    with django_capture_on_commit_callbacks(execute=True):
        same, ok = jobs.retry(kind, pk=job.pk)
    assert not ok and same.status == status
    job.refresh_from_db()
    assert (job.status, job.error) == (status, "kept")
    assert sent == []


def test_a_kind_may_name_its_statuses(kind, sent, django_capture_on_commit_callbacks):
    renamed = jobs.JobKind(
        kind.model,
        task_name=TASK,
        requested_at_field="requested_at",
        queued="pending",
        running="rendering",
    )
    job = make(renamed, status="failed")
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.retry(renamed, pk=job.pk)[0].status == "pending"
    assert jobs.claim(renamed, pk=job.pk)[0].status == "rendering"


# --- requeue_lost ---------------------------------------------------------------------------


def test_requeue_finds_only_old_unfinished_jobs(kind, sent, django_capture_on_commit_callbacks):
    old = timezone.now() - timedelta(minutes=45)
    lost_queued = make(kind, "queued", requested_at=old)
    lost_running = make(kind, "running", requested_at=old)
    make(kind, "queued")  # recent: its task may still come
    make(kind, "done", requested_at=old)
    make(kind, "failed", requested_at=old)  # a person decides
    with django_capture_on_commit_callbacks(execute=True):
        ids = jobs.requeue_lost(kind, older_than=timedelta(minutes=30))
    assert ids == [lost_queued.pk, lost_running.pk]
    assert sent == [(TASK, (lost_queued.pk,), {}), (TASK, (lost_running.pk,), {})]


def test_requeue_sends_nothing_before_commit(kind, sent, django_capture_on_commit_callbacks):
    make(kind, requested_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert len(jobs.requeue_lost(kind, older_than=timedelta(minutes=30))) == 1
    assert len(callbacks) == 1 and sent == []


# --- run_task -------------------------------------------------------------------------------


def fake_task(*, retries: int, max_retries: int | None = 3):
    return SimpleNamespace(max_retries=max_retries, request=SimpleNamespace(retries=retries))


class Final(Exception):
    pass


class Failures(list):
    """Records the reasons ``run_task`` failed the job with."""

    def __call__(self, *, error: str) -> None:
        self.append(error)


def test_run_task_returns_the_result_of_the_work():
    failures = Failures()
    assert jobs.run_task(fake_task(retries=0), lambda: 42, fail=failures) == 42
    assert failures == []


def raising(exc: Exception):
    def work():
        raise exc

    return work


def test_run_task_reraises_without_failing_the_job_while_retries_remain():
    failures = Failures()
    with pytest.raises(RuntimeError):
        jobs.run_task(fake_task(retries=2), raising(RuntimeError("flaky")), fail=failures)
    assert failures == []


def test_run_task_fails_the_job_on_the_last_retry():
    failures = Failures()
    with pytest.raises(RuntimeError):
        jobs.run_task(fake_task(retries=3), raising(RuntimeError("broken")), fail=failures)
    assert failures == ["RuntimeError: broken"]


def test_run_task_fails_the_job_at_once_on_a_final_error():
    failures = Failures()
    with pytest.raises(Final):
        jobs.run_task(
            fake_task(retries=0),
            raising(Final("no use retrying")),
            fail=failures,
            final=(Final,),
        )
    assert failures == ["Final: no use retrying"]


def test_run_task_without_a_retry_limit_fails_only_on_a_final_error():
    failures = Failures()
    with pytest.raises(RuntimeError):
        jobs.run_task(
            fake_task(retries=99, max_retries=None),
            raising(RuntimeError("again")),
            fail=failures,
        )
    assert failures == []


def test_run_task_marks_a_real_job_failed(kind):
    job = make(kind, status="running")
    with pytest.raises(RuntimeError):
        jobs.run_task(
            fake_task(retries=3),
            raising(RuntimeError("out of paper")),
            fail=lambda error: jobs.mark_failed(kind, pk=job.pk, error=error),
        )
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "RuntimeError: out of paper")
