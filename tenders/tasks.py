"""Celery tasks of the tenders app: thin, idempotent (the Reminder constraint), retried."""

from celery import shared_task

from .services import reminders_send


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
