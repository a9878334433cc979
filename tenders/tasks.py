"""Celery tasks of the tenders app: thin, idempotent (the Reminder constraint), retried. The
lifecycle of a job (claim, done, failed, requeue) is in ``portal.jobs``."""

from functools import partial

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from portal.jobs import run_task
from tenders.aggregation import AGGREGATION_JOB, aggregation_mark_failed, aggregation_run
from tenders.services import reminders_send
from tenders.services_report import ReportDisclosureError, report_mark_failed, report_render


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
    return reminders_send()


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
    bind=True,
    name="tenders.consultation_report_render_task",
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(SoftTimeLimitExceeded, ReportDisclosureError),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def consultation_report_render_task(self, report_id: int) -> str:
    try:
        report = report_render(report_id=report_id)
    except Exception as exc:
        final = isinstance(exc, SoftTimeLimitExceeded | ReportDisclosureError)
        if final or self.request.retries >= self.max_retries:
            report_mark_failed(report_id=report_id, error=f"{exc.__class__.__name__}: {exc}")
        raise
    return report.sha256


@shared_task(name="tenders.requeue_lost_work_task", acks_late=True, time_limit=120)
def requeue_lost_work_task() -> dict[str, int]:
    """Periodic: queue again the aggregation runs and reports whose task was lost."""
    from datetime import timedelta

    from django.conf import settings
    from django.db import transaction

    from tenders.aggregation import aggregation_requeue_lost
    from tenders.services_report import reports_requeue_lost

    older_than = timedelta(minutes=settings.REQUEUE_LOST_AFTER_MINUTES)
    with transaction.atomic():
        runs = aggregation_requeue_lost(older_than=older_than)
        reports = reports_requeue_lost(older_than=older_than)
    return {"aggregation_runs": len(runs), "reports": len(reports)}
