"""Background jobs: one lifecycle for every row a Celery task works on (a mandate PDF, an
aggregation run, a report).

A job is a model with a ``status`` (queued, running, done, failed; a model may name the values
differently) and an ``error`` text. Its life:

1. A service creates the row (queued) and calls ``enqueue_on_commit``: the task is sent by
   name once the transaction commits, so that a worker never looks for a row that is not
   there yet, or that a rollback took away. Services never import their task module.
2. The task loads nothing itself: it calls the service by id through ``run_task``. The
   service ``claim``s the job (queued → running). A job that is done is not run again, so a
   message delivered twice (``acks_late``, a requeue) does the work once.
3. The service does its work outside the lock and finishes with ``mark_done``, under the lock
   again.
4. When the work raises, ``run_task`` records the failure with the reason (``mark_failed``)
   only when the attempt is final: an error that retrying will not cure, or the last retry.
   Otherwise Celery retries with backoff. A job that is done is never marked failed.
5. A person may ``retry`` a failed job, or one that is stuck (``is_lost``: the page would
   otherwise say "being made" until the sweep sends it again): → queued, and the task is sent
   again.
6. A periodic task (every minute) calls ``requeue_lost``: a job still queued a few minutes
   after it was requested was never picked up (the broker was down at the commit, or lost its
   data), and a job running longer after its claim than its task may take (``lost_after``)
   lost its worker; both are sent again. The job row itself is the outbox record.

What differs per model (status values, which timestamp a job is requested at, the task name)
is described once by a ``JobKind``. What the work is, and which fields each step sets besides
the status, stays with the model's own service.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

# The failure reason is shown to people and kept with the job; a traceback-sized message
# would only bloat the row.
ERROR_MAX_LENGTH = 2000


@dataclass(frozen=True)
class JobKind[M: models.Model]:
    """How one model takes part in the lifecycle."""

    model: type[M]
    # The Celery task that runs one job, called with the job's primary key.
    task_name: str
    # When the job was requested: ``requeue_lost`` compares it with the cutoff.
    requested_at_field: str
    queued: str = "queued"
    running: str = "running"
    done: str = "done"
    failed: str = "failed"
    # When the job was last claimed (set by ``claim``) or queued again by a person (``retry``),
    # and how long after that a running job counts as lost: the task's hard time limit plus its
    # longest retry countdown and a margin. Without them a job counts as lost by its request
    # time only.
    claimed_at_field: str | None = None
    lost_after: timedelta | None = None

    @property
    def unfinished(self) -> list[str]:
        return [self.queued, self.running]


def enqueue_on_commit(task_name: str, *args: Any, **options: Any) -> None:
    """Send the task ``task_name`` with ``args`` once the current transaction commits (at once
    outside a transaction); nothing is sent when it rolls back.

    Sent by name, so that a service does not import its task module (which imports the
    service). The project's task routes still apply, since Celery routes by name (PDFs go to
    the ``pdf`` queue); retries and time limits are the task's own, applied by the worker.
    ``options`` go to ``send_task`` (``countdown``, ``queue``, ...)."""
    # robust: a broker that is down must not turn a saved request into an error, nor stop the
    # other after-commit callbacks; the job stays queued and the periodic sweep sends it.
    transaction.on_commit(
        lambda: current_app.send_task(task_name, args=args, **options), robust=True
    )


def claim[M: models.Model](kind: JobKind[M], *, pk: int, **values: Any) -> tuple[M, bool]:
    """Mark the job running and commit, so that the running state is visible while the work
    goes on. Returns the job and whether it was claimed: a job that is done is returned as it
    is, and its work must not be done again. ``values`` are further fields to set (e.g. a
    start time)."""
    with transaction.atomic():
        job: Any = kind.model._default_manager.select_for_update().get(pk=pk)
        if job.status == kind.done:
            return job, False
        job.status = kind.running
        if kind.claimed_at_field and kind.claimed_at_field not in values:
            values = {**values, kind.claimed_at_field: timezone.now()}
        _set(job, values)
        job.save(update_fields=["status", *values])
    return job, True


def lock[M: models.Model](kind: JobKind[M], *, pk: int) -> M:
    """The job, locked until the end of the caller's transaction: to finish it after the work,
    where the caller checks first that no other run finished it meanwhile."""
    return kind.model._default_manager.select_for_update().get(pk=pk)


def mark_done[M: models.Model](
    kind: JobKind[M], job: M, *, update_fields: tuple[str, ...] = (), **values: Any
) -> None:
    """Mark the locked ``job`` done with ``values`` (e.g. the finish time); ``update_fields``
    names what the caller set on the job itself (a file, a hash), saved with it."""
    row: Any = job  # any model with a status field
    row.status = kind.done
    _set(job, values)
    job.save(update_fields=["status", *values, *update_fields])


def finish_with_file[M: models.Model](
    kind: JobKind[M], *, pk: int, name: Callable[[M], str], content: bytes, **values: Any
) -> tuple[M, bool]:
    """For a job that renders a document into its ``file`` (with a ``sha256``): inside the
    caller's transaction, lock the job and, unless another run finished it meanwhile, store
    ``content`` under ``name(job)`` with its SHA-256 and mark it done with ``values`` (e.g. the
    time it was rendered). Returns the job and whether this run finished it; the caller records
    its audit event only then."""
    job: Any = lock(kind, pk=pk)
    if job.status == kind.done:
        return job, False
    job.file.save(name(job), ContentFile(content), save=False)
    job.sha256 = hashlib.sha256(content).hexdigest()
    mark_done(kind, job, update_fields=("file", "sha256"), error="", **values)
    return job, True


def mark_failed[M: models.Model](
    kind: JobKind[M], *, pk: int, error: str, **values: Any
) -> M | None:
    """Record the failure and its reason. Never over a job that is done (a run that succeeded
    meanwhile wins); returns None then, or when the job is gone, else the failed job."""
    with transaction.atomic():
        job: Any = kind.model._default_manager.select_for_update().filter(pk=pk).first()
        if job is None or job.status == kind.done:
            return None
        job.status = kind.failed
        job.error = error[:ERROR_MAX_LENGTH]
        _set(job, values)
        job.save(update_fields=["status", "error", *values])
    return job


def retry[M: models.Model](kind: JobKind[M], *, pk: int) -> tuple[M, bool]:
    """Queue a failed or stuck (``is_lost``) job again and send its task after the caller's
    transaction commits. Returns the job and whether it was queued again; the caller decides
    whether anything else is an error. A job queued again counts as lost only
    ``REQUEUE_LOST_AFTER_MINUTES`` after this, so that a second click does not send it twice."""
    with transaction.atomic():
        job: Any = kind.model._default_manager.select_for_update().get(pk=pk)
        if job.status != kind.failed and not is_lost(kind, job):
            return job, False
        job.status = kind.queued
        job.error = ""
        values = {kind.claimed_at_field: timezone.now()} if kind.claimed_at_field else {}
        _set(job, values)
        job.save(update_fields=["status", "error", *values])
        enqueue_on_commit(kind.task_name, job.pk)
    return job, True


def lost_cutoff() -> timedelta:
    """How long a queued job waits for its task before it counts as lost (the settings)."""
    return timedelta(minutes=settings.REQUEUE_LOST_AFTER_MINUTES)


def is_lost(kind: JobKind, job: models.Model, *, older_than: timedelta | None = None) -> bool:
    """Whether ``job`` is stuck: its message was lost (``lost_filter``, by default with the
    settings' cutoff). Such a job may be retried by a person before the sweep sends it again."""
    if getattr(job, "status", None) not in kind.unfinished:
        return False  # done or failed: no query needed (pages ask this for every row)
    cutoff = lost_cutoff() if older_than is None else older_than
    return kind.model._default_manager.filter(
        lost_filter(kind, older_than=cutoff), pk=job.pk
    ).exists()


def lost_filter(kind: JobKind, *, older_than: timedelta) -> models.Q:
    """Jobs whose message was lost: queued ``older_than`` after they were requested or queued
    again by a person (never picked up: the broker was down at the commit, or lost its data),
    or running longer than ``kind.lost_after`` after they were last claimed (the worker died
    with the message)."""
    now = timezone.now()
    requested_before = models.Q(**{f"{kind.requested_at_field}__lt": now - older_than})
    if kind.claimed_at_field and kind.lost_after:
        claimed = kind.claimed_at_field
        never_claimed = models.Q(**{f"{claimed}__isnull": True})
        queued = models.Q(status=kind.queued) & (
            (never_claimed & requested_before) | models.Q(**{f"{claimed}__lt": now - older_than})
        )
        running = models.Q(status=kind.running) & (
            models.Q(**{f"{claimed}__lt": now - kind.lost_after})
            | (never_claimed & requested_before)
        )
    else:
        queued = models.Q(status=kind.queued) & requested_before
        running = models.Q(status=kind.running) & requested_before
    return queued | running


def requeue_lost(kind: JobKind, *, older_than: timedelta) -> list[int]:
    """Send the task again for every lost job (``lost_filter``). Failed jobs are left alone
    (a person decides), and so are recent ones (their task may still come). A job sent twice
    is done once (``claim``, ``finish_with_file``). Returns their primary keys."""
    ids = list(
        kind.model._default_manager.filter(lost_filter(kind, older_than=older_than))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        enqueue_on_commit(kind.task_name, pk)
    return ids


def sweep(requeue: Callable[..., list[int]]) -> list[int]:
    """For a periodic task: run a service's requeue of lost jobs in one transaction, with the
    cutoff from the settings (``REQUEUE_LOST_AFTER_MINUTES``). Returns the requeued keys."""
    with transaction.atomic():
        return requeue(older_than=lost_cutoff())


def run_task[T](
    task: Task,
    work: Callable[[], T],
    *,
    fail: Callable[..., object],
    final: tuple[type[BaseException], ...] = (),
) -> T:
    """Inside a bound task: do ``work``; when it raises, call ``fail(error=reason)`` if this
    attempt is final (an exception of a ``final`` type, or the last retry), then re-raise so
    that Celery retries or records the failure. Not final: the next attempt may succeed, and
    the job stays running meanwhile."""
    try:
        return work()
    except Exception as exc:
        last_retry = task.max_retries is not None and task.request.retries >= task.max_retries
        if isinstance(exc, final) or last_retry:
            fail(error=f"{exc.__class__.__name__}: {exc}")
        raise


def _set(job: models.Model, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(job, name, value)
