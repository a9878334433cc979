"""The outbox: mail and plain tasks are stored with the change, sent after the commit, sent
again by the sweep when the broker or the mail server was down, and never sent twice."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.db import transaction

from config.celery import app as celery_app
from portal import outbox
from portal.models import OutboxMessage
from portal.tasks import outbox_sweep_task
from tests.integration.fixtures import _reset_publisher_pools

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down():
    """The test process publishes to a port where no broker listens."""
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    _reset_publisher_pools()
    yield
    celery_app.conf.broker_url = previous
    _reset_publisher_pools()


@pytest.fixture
def smtp_refused(settings):
    """Real SMTP delivery to a local port where nothing listens: the connection is refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2


def test_mail_is_stored_with_the_change_and_sent_after_the_commit(mailoutbox):
    with transaction.atomic():
        outbox.mail_later(recipient="a@example.org", subject="Onderwerp", body="Tekst")
        assert mailoutbox == []  # not before the commit
    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    row = OutboxMessage.objects.get()
    assert row.sent_at is not None and row.attempts == 1


def test_nothing_is_sent_after_a_rollback(mailoutbox):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        outbox.mail_later(recipient="a@example.org", subject="S", body="B")
        raise Boom
    assert mailoutbox == []
    assert not OutboxMessage.objects.exists()


def test_a_refused_mail_stays_pending_and_the_sweep_sends_it_once(smtp_refused, settings):
    with transaction.atomic():  # no exception leaves the commit
        outbox.mail_later(recipient="a@example.org", subject="S", body="B")
    row = OutboxMessage.objects.get()
    assert row.sent_at is None
    assert row.attempts == 1 and "ConnectionRefusedError" in row.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    assert outbox_sweep_task.apply().get() == 1
    assert outbox_sweep_task.apply().get() == 0  # sent: never again
    assert outbox.deliver_mail(pk=row.pk) is False
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.last_error == ""


def test_a_task_is_kept_while_the_broker_is_down(broker_down):
    with transaction.atomic():
        outbox.task_later("portal.example_task", 7, countdown=3)
    row = OutboxMessage.objects.get()
    assert row.sent_at is None and row.dispatched_at is None
    assert "OperationalError" in row.last_error
    assert outbox.sweep() == 0  # still down: kept for the next sweep
    assert OutboxMessage.objects.get().attempts == 2


def test_the_sweep_sends_a_kept_task_once_the_broker_is_back(broker_down, settings):
    with transaction.atomic():
        outbox.task_later("portal.example_task", 7)
    celery_app.conf.broker_url = settings.CELERY_BROKER_URL  # the broker is back
    _reset_publisher_pools()
    assert outbox.sweep() == 1
    row = OutboxMessage.objects.get()
    assert row.sent_at is not None and row.dispatched_at is not None
    assert outbox.sweep() == 0  # sent: never again


def test_a_failing_callback_stops_neither_the_others_nor_the_commit(mailoutbox):
    ran: list[str] = []

    def boom() -> None:
        raise RuntimeError("callback failed")

    with transaction.atomic():
        transaction.on_commit(boom, robust=True)
        outbox.mail_later(recipient="a@example.org", subject="S", body="B")
        transaction.on_commit(lambda: ran.append("after"), robust=True)
    assert ran == ["after"]
    assert len(mailoutbox) == 1


def test_an_invitation_is_kept_while_the_mail_server_is_down(smtp_refused, settings, personas):
    from portal.services import invitation_create, invitation_get_by_token

    admin = personas["admin_a"]
    invitation, token = invitation_create(
        actor=admin.user,
        organisation=admin.organisation,
        email="nieuw@aadorp.nl",
        role="viewer",
        base_url="http://testserver/",
    )
    assert invitation_get_by_token(token=token) == invitation  # saved, whatever the mail did
    row = OutboxMessage.objects.get(recipient="nieuw@aadorp.nl")
    assert row.sent_at is None and "ConnectionRefusedError" in row.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    assert outbox_sweep_task.apply().get() == 1
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    row.refresh_from_db()
    # Delivered: the link (and so the token) is no longer kept in the outbox.
    assert row.sent_at is not None and row.body == "" and token not in row.subject
