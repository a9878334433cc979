"""Celery tasks of the municipalities app: thin, idempotent, retried with backoff."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from municipalities.services.mandates import mandate_mark_failed, mandate_render


@shared_task(
    bind=True,
    name="municipalities.mandate_render_task",
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
    try:
        document = mandate_render(document_id=document_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries or isinstance(exc, SoftTimeLimitExceeded):
            mandate_mark_failed(document_id=document_id, error=f"{exc.__class__.__name__}: {exc}")
        raise
    return document.sha256


@shared_task(name="municipalities.requeue_lost_work_task", acks_late=True, time_limit=120)
def requeue_lost_work_task() -> int:
    """Periodic: queue again the mandate versions whose task was lost."""
    from datetime import timedelta

    from django.conf import settings
    from django.db import transaction

    from municipalities.services.mandates import mandates_requeue_lost

    with transaction.atomic():
        ids = mandates_requeue_lost(
            older_than=timedelta(minutes=settings.REQUEUE_LOST_AFTER_MINUTES)
        )
    return len(ids)
