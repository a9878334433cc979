"""Celery tasks of the market consultation: thin, idempotent, retried with backoff."""

from functools import partial

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from consultations.selectors.report_disclosure import ReportDisclosureError
from consultations.services.report import (
    REPORT_JOB,
    report_mark_failed,
    report_render,
    reports_requeue_lost,
)
from portal import jobs
from portal.jobs import run_task


@shared_task(
    bind=True,
    name=REPORT_JOB.task_name,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(SoftTimeLimitExceeded, ReportDisclosureError),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def report_render_task(self, report_id: int) -> str:
    report = run_task(
        self,
        partial(report_render, report_id=report_id),
        fail=partial(report_mark_failed, report_id=report_id),
        final=(SoftTimeLimitExceeded, ReportDisclosureError),
    )
    return report.sha256


@shared_task(
    name="consultations.requeue_lost_work_task", acks_late=True, soft_time_limit=100, time_limit=120
)
def requeue_lost_work_task() -> dict[str, int]:
    """Periodic: queue again the reports whose task was lost."""
    return {"reports": len(jobs.sweep(reports_requeue_lost))}
