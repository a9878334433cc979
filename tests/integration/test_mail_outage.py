"""Mail delivery refused, with a real worker delivering the outbox: returning a demand still
answers a redirect and stores the return, the domain event still queues (and the worker
makes) a new aggregation run, and each mail is delivered once when the mail server accepts
mail again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from catalog.services import catalog_load_reference
from config.celery import app as celery_app
from municipalities.models import Demand, Participation
from municipalities.services.demand import demand_for_participation, demand_submit
from portal.models import OutboxMessage
from tenders.models import AggregationRun, Milestone
from tests.integration.fixtures import CeleryWorker, publishing_to, spawn_worker, stop_worker
from tests.integration.processes import SmtpServer, free_port

pytestmark = pytest.mark.celery

WAIT = 120.0


@pytest.fixture
def smtp_port() -> int:
    return free_port()  # nothing listens here until the test starts its SMTP server


@pytest.fixture
def mail_worker(own_broker, smtp_port, transactional_db, tmp_path) -> Iterator[CeleryWorker]:
    worker = spawn_worker(
        broker_url=own_broker.url,
        workdir=tmp_path,
        extra_env={
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "OUTBOX_MAIL_VIA_WORKER": "true",
            # Short backoff, many attempts: the test waits seconds, not the real minutes.
            "OUTBOX_MAIL_RETRY_BASE": "1",
            "OUTBOX_MAIL_RETRY_MAX": "2",
            "OUTBOX_MAIL_MAX_RETRIES": "60",
        },
    )
    try:
        with publishing_to(worker), override_settings(OUTBOX_MAIL_VIA_WORKER=True):
            yield worker
    finally:
        stop_worker(worker.process)


@pytest.fixture
def submitted(participation_a, programme, editor_a, mail_worker):
    catalog_load_reference()
    Participation.objects.filter(pk=participation_a.pk).update(status=Participation.Status.APPROVED)
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        due_at=timezone.now() + timedelta(days=10),
    )
    participation_a.refresh_from_db()
    demand = demand_for_participation(participation=participation_a)
    demand_submit(actor=editor_a, demand=demand, revision=demand.revision)
    mail_worker.wait_for(
        lambda: not AggregationRun.objects.exclude(status="done").exists(),
        timeout=WAIT,
        what="the aggregation run after the submit",
    )
    return Demand.objects.get(pk=demand.pk)


def test_mail_refused_then_accepted(personas, submitted, editor_a, mail_worker, smtp_port):
    runs_before = AggregationRun.objects.count()

    response = (
        personas["project_team"]
        .client()
        .post(f"/inventarisatie/{submitted.public_id}/terugsturen", {"comment": "Te hoog."})
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Demand.Status.RETURNED
    # The worker tried to deliver the mail to the editor and was refused.
    to_editor = OutboxMessage.objects.filter(kind="mail", recipient=editor_a.email)
    mail_worker.wait_for(
        lambda: to_editor.filter(last_error__contains="ConnectionRefusedError").exists(),
        timeout=WAIT,
        what="a refused delivery",
    )
    assert to_editor.filter(sent_at__isnull=True).exists()
    # The domain event, registered after the mail, still ran: a new run, made by the worker.
    mail_worker.wait_for(
        lambda: AggregationRun.objects.filter(status="done").count() == runs_before + 1,
        timeout=WAIT,
        what="the aggregation run after the return",
    )

    smtp = SmtpServer(port=smtp_port)
    smtp.start()
    try:
        mail_worker.wait_for(
            lambda: not OutboxMessage.objects.filter(kind="mail", sent_at__isnull=True).exists(),
            timeout=WAIT,
            what="every mail to be delivered",
        )
        # A sweep afterwards sends nothing again.
        task_id = celery_app.send_task("portal.outbox_sweep_task").id
        mail_worker.wait_for(
            lambda: f"[{task_id}] succeeded" in mail_worker.log(),
            timeout=WAIT,
            what="the outbox sweep",
        )
    finally:
        smtp.stop()

    recipients = [message["To"] for message in smtp.messages]
    mails = OutboxMessage.objects.filter(kind="mail")
    assert sorted(recipients) == sorted(mails.values_list("recipient", flat=True))
    assert editor_a.email in recipients
