"""Celery tasks of the core: delivering outbox mail, and the periodic outbox sweep."""

from celery import shared_task
from django.conf import settings

from portal import outbox
from portal.privacy import retention_apply


@shared_task(
    bind=True,
    name=outbox.MAIL_TASK,
    acks_late=True,
    max_retries=None,  # bounded below by the settings; the sweep tries again after that
    soft_time_limit=60,
    time_limit=90,
)
def outbox_mail_send_task(self, message_id: int) -> bool:
    try:
        return outbox.deliver_mail(pk=message_id)
    except Exception as exc:
        if self.request.retries >= settings.OUTBOX_MAIL_MAX_RETRIES:
            raise
        # Exponential backoff: a mail server that is down for minutes is waited for.
        countdown = min(
            settings.OUTBOX_MAIL_RETRY_BASE * 2**self.request.retries,
            settings.OUTBOX_MAIL_RETRY_MAX,
        )
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="portal.outbox_sweep_task", acks_late=True, soft_time_limit=50, time_limit=60)
def outbox_sweep_task() -> int:
    """Periodic: dispatch again the outbox rows that were not sent."""
    return outbox.sweep()


@shared_task(
    name="portal.retention_apply_task", acks_late=True, soft_time_limit=240, time_limit=300
)
def retention_apply_task() -> dict[str, int]:
    """Periodic: remove personal data past its retention period (settings.RETENTION)."""
    return retention_apply()
