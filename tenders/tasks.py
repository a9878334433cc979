"""Celery tasks of the tenders app: thin, idempotent (the Reminder constraint), retried. The
lifecycle of a job (claim, done, failed, requeue) is in ``portal.jobs``."""

from functools import partial

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from portal import jobs
from portal.jobs import run_task
from tenders.services.aggregation import (
    AGGREGATION_JOB,
    aggregation_mark_failed,
    aggregation_requeue_lost,
    aggregation_run,
)
from tenders.services.award import tenders_close_due
from tenders.services.demand_reminders import demand_reminders_send
from tenders.services.documents import (
    DOCUMENT_JOB,
    document_mark_failed,
    document_render_outcome,
    documents_requeue_lost,
)
from tenders.services.exports import (
    EXPORT_JOB,
    export_make,
    export_mark_failed,
    exports_requeue_lost,
)
from tenders.services.programme import reminders_send


@shared_task(
    name="tenders.reminders_send_task",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=3,
    soft_time_limit=240,
    time_limit=300,
)
def reminders_send_task() -> int:
    """Hourly: the reminders before the joining deadline and before the demand deadline."""
    return reminders_send() + demand_reminders_send()


@shared_task(
    bind=True,
    name=AGGREGATION_JOB.task_name,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def aggregation_run_task(self, run_id: int) -> str:
    # Unlike a render, every error is retried (running out of time too); the run is marked
    # failed after the last attempt.
    snapshot = run_task(
        self,
        partial(aggregation_run, run_id=run_id),
        fail=partial(aggregation_mark_failed, run_id=run_id),
    )
    return str(snapshot.public_id) if snapshot else ""


@shared_task(
    name="tenders.requeue_lost_work_task", acks_late=True, soft_time_limit=100, time_limit=120
)
def requeue_lost_work_task() -> dict[str, int]:
    """Periodic: queue again the aggregation runs, document versions and exports whose task
    was lost."""
    return {
        "aggregation_runs": len(jobs.sweep(aggregation_requeue_lost)),
        "document_versions": len(jobs.sweep(documents_requeue_lost)),
        "programme_exports": len(jobs.sweep(exports_requeue_lost)),
    }


@shared_task(
    bind=True,
    name=EXPORT_JOB.task_name,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(SoftTimeLimitExceeded,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    # About 10 s at ten times the Netherlands on a two-core machine; EXPORT_JOB.lost_after
    # follows these limits.
    soft_time_limit=300,
    time_limit=360,
)
def programme_export_make_task(self, export_id: int) -> str:
    """One export of a programme (demand or aggregation workbook). Returns its SHA-256."""
    export = run_task(
        self,
        partial(export_make, export_id=export_id),
        fail=partial(export_mark_failed, export_id=export_id),
        # Out of time: making the same workbook again will not be faster.
        final=(SoftTimeLimitExceeded,),
    )
    return export.sha256


@shared_task(
    bind=True,
    name=DOCUMENT_JOB.task_name,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(SoftTimeLimitExceeded,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    # At ten times the national scale (3,420 authorities) the annex of authorities is about
    # 230 pages: 80-150 s on a busy two-core machine, and more when the machine is busier.
    # Five minutes left too little room; ten do, and a render that hangs is still stopped.
    # DOCUMENT_JOB.lost_after follows these limits.
    soft_time_limit=540,
    time_limit=600,
)
def document_render_task(self, version_id: int) -> str:
    """One version of a tender document (PDF or the Excel price sheet); one task per document,
    so that the worker's processes make the set side by side. Returns "rendered <sha256>", or
    "skipped <sha256>" for a version that was made already."""
    version, outcome = run_task(
        self,
        partial(document_render_outcome, version_id=version_id),
        fail=partial(document_mark_failed, version_id=version_id),
        # Out of time: rendering the same version again will not be faster.
        final=(SoftTimeLimitExceeded,),
    )
    return f"{outcome} {version.sha256}"


@shared_task(
    name="tenders.tenders_close_due_task", acks_late=True, soft_time_limit=50, time_limit=60
)
def tenders_close_due_task() -> int:
    """Periodic: close the published tenders whose deadline for bids has passed."""
    return tenders_close_due()
