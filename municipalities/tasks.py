"""Celery tasks of the municipalities app: thin, idempotent, retried with backoff. The
lifecycle of a job (claim, done, failed, requeue) is in ``portal.jobs``."""

from functools import partial

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from municipalities.services.mandates import (
    MANDATE_JOB,
    mandate_mark_failed,
    mandate_render,
    mandates_requeue_lost,
)
from municipalities.services.signing import (
    SEAL_JOB,
    mandate_seal_mark_failed,
    mandate_seal_render,
    mandate_seals_requeue_lost,
)
from portal import jobs
from portal.jobs import run_task


@shared_task(
    bind=True,
    name=MANDATE_JOB.task_name,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(SoftTimeLimitExceeded,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def mandate_render_task(self, document_id: int) -> str:
    document = run_task(
        self,
        partial(mandate_render, document_id=document_id),
        fail=partial(mandate_mark_failed, document_id=document_id),
        # Out of time: rendering the same version again will not be faster.
        final=(SoftTimeLimitExceeded,),
    )
    return document.sha256


@shared_task(
    bind=True,
    name=SEAL_JOB.task_name,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(SoftTimeLimitExceeded,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def mandate_seal_render_task(self, seal_id: int) -> str:
    """The signed copy of a mandate signed in the portal, with its signature page."""
    seal = run_task(
        self,
        partial(mandate_seal_render, seal_id=seal_id),
        fail=partial(mandate_seal_mark_failed, seal_id=seal_id),
        final=(SoftTimeLimitExceeded,),
    )
    return seal.sha256


@shared_task(
    name="municipalities.requeue_lost_work_task",
    acks_late=True,
    soft_time_limit=100,
    time_limit=120,
)
def requeue_lost_work_task() -> int:
    """Periodic: queue again the mandate versions and signed copies whose task was lost."""
    return len(jobs.sweep(mandates_requeue_lost)) + len(jobs.sweep(mandate_seals_requeue_lost))
