"""The transactional outbox: mail and plain tasks are written as ``OutboxMessage`` rows in the
transaction of the change that causes them, and sent once it commits.

- ``mail_later`` and ``task_later`` write the row and register ``dispatch`` after the commit
  (robust: a broker that is down leaves the row pending and the request succeeds).
- ``dispatch`` hands a task to the broker and marks it sent; for a mail it sends the task that
  delivers it (``portal.outbox_mail_send_task``, retried with backoff by the worker).
- ``deliver_mail`` sends one mail under the row's lock and marks it sent: a mail delivered
  twice (two dispatches, a redelivered message) is sent once. A delivered mail's body is
  erased.
- ``sweep`` (beat, every minute) dispatches again what was not sent: rows never handed to the
  broker, and mail whose delivery task has not succeeded after ``OUTBOX_REDISPATCH_AFTER``.

Jobs (a mandate PDF, a run, a report) need no row here: the job itself, queued, is the record,
and ``portal.jobs.requeue_lost`` is their sweep.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import OutboxMessage
from portal.text import one_line

logger = logging.getLogger(__name__)

MAIL_TASK = "portal.outbox_mail_send_task"
ERROR_MAX_LENGTH = 2000


def signature() -> str:
    """The closing of every mail: the portal's name and address, so a reader knows who writes
    and where to go (in Dutch, like the mails themselves)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Kind regards,\n\n%(portal)s\n%(address)s") % {
            "portal": settings.PORTAL_NAME,
            "address": settings.PORTAL_BASE_URL,
        }


def mail_later(*, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Store one mail in the current transaction; it is sent after the commit. The subject is
    made one line (a name with a line break in it would make the mail unsendable); the body
    ends with the portal's signature."""
    body = f"{body.rstrip()}\n\n{signature()}\n"
    message = OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.MAIL, recipient=recipient, subject=one_line(subject), body=body
    )
    _dispatch_on_commit(message.pk)
    return message


def task_later(task_name: str, *args: Any, **options: Any) -> OutboxMessage:
    """Store a task (sent by name, with JSON arguments) in the current transaction; it is sent
    after the commit, or by the sweep when the broker was down."""
    message = OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.TASK, task_name=task_name, args=list(args), options=options
    )
    _dispatch_on_commit(message.pk)
    return message


def _dispatch_on_commit(pk: int) -> None:
    transaction.on_commit(lambda: dispatch(pk), robust=True)


def dispatch(pk: int) -> bool:
    """Send one pending row on its way. Returns whether it was handed over; a failure is
    recorded on the row (the sweep tries again) and never raised."""
    message = OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True).first()
    if message is None:
        return False
    if message.kind == OutboxMessage.Kind.MAIL and not settings.OUTBOX_MAIL_VIA_WORKER:
        # Without a worker (unit tests, a one-process setup): deliver here, still once; a
        # refusal is recorded by ``deliver_mail`` and the sweep tries again.
        try:
            return deliver_mail(pk=message.pk)
        except Exception:
            logger.warning("Outbox mail %s was not delivered", pk, exc_info=True)
            return False
    try:
        if message.kind == OutboxMessage.Kind.TASK:
            current_app.send_task(message.task_name, args=message.args, **message.options)
        else:
            current_app.send_task(MAIL_TASK, args=[message.pk])
    except Exception as exc:
        logger.warning("Outbox message %s could not be dispatched: %s", pk, exc)
        _record_failure(pk, exc)
        return False
    now = timezone.now()
    values: dict[str, Any] = {"dispatched_at": now}
    if message.kind == OutboxMessage.Kind.TASK:
        values["sent_at"] = now
    OutboxMessage.objects.filter(pk=pk).update(**values)
    return True


def deliver_mail(*, pk: int) -> bool:
    """Send one mail unless it was sent; mark it sent in the same locked transaction. Returns
    whether this call sent it. A refused delivery is recorded and raised (the task retries)."""
    error: Exception | None = None
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=pk, kind=OutboxMessage.Kind.MAIL)
            .first()
        )
        if message is None or message.sent_at is not None:
            return False
        try:
            send_mail(message.subject, message.body, None, [message.recipient])
        except Exception as exc:
            error = exc
        else:
            message.sent_at = timezone.now()
            message.attempts += 1
            message.last_error = ""
            # Delivered: the body is no longer needed here (data minimisation; an invitation's
            # link carries its token). Recipient, subject and time remain as the record.
            message.body = ""
            message.save(update_fields=["sent_at", "attempts", "last_error", "body"])
    if error is not None:
        _record_failure(pk, error)
        raise error
    return True


def sweep() -> int:
    """Dispatch again what was not sent: rows never handed over, and mail whose delivery has
    not succeeded for ``OUTBOX_REDISPATCH_AFTER`` seconds. Returns how many were handed over."""
    cutoff = timezone.now() - timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER)
    ids = OutboxMessage.objects.filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=cutoff), sent_at__isnull=True
    ).values_list("pk", flat=True)[: settings.OUTBOX_SWEEP_BATCH]
    return sum(dispatch(pk) for pk in list(ids))


def _record_failure(pk: int, exc: BaseException) -> None:
    try:
        message = OutboxMessage.objects.filter(pk=pk).first()
        if message is not None:
            message.attempts += 1
            message.last_error = f"{exc.__class__.__name__}: {exc}"[:ERROR_MAX_LENGTH]
            message.save(update_fields=["attempts", "last_error"])
    except Exception:  # the database may be what failed; the row stays pending either way
        logger.exception("Could not record the failure of outbox message %s", pk)
