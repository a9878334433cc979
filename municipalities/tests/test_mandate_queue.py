"""The mandate's task is sent by name (``portal.jobs.enqueue_on_commit``) and still goes to
the queue of documents, where a real worker renders it."""

from __future__ import annotations

import pytest
from django.db import transaction

from config.celery import app as celery_app
from municipalities.models import MandateDocument
from municipalities.services.mandates import mandate_request

D = MandateDocument.Status


def waiting_in(queue: str) -> int:
    # The Redis transport keeps a queue's messages in a list named after the queue.
    with celery_app.connection_for_write() as connection:
        return connection.default_channel.client.llen(queue)


@pytest.mark.celery
def test_the_mandate_task_waits_in_the_pdf_queue_until_a_worker_takes_it(
    celery_worker, admin_a, participation_a
):
    destination = [celery_worker.hostname]
    # The worker stops taking documents for a moment, so that the message stays visible.
    celery_app.control.cancel_consumer("pdf", destination=destination, reply=True)
    try:
        with transaction.atomic():
            document = mandate_request(actor=admin_a, participation=participation_a)
        celery_worker.wait_for(lambda: waiting_in("pdf") == 1, what="the message in pdf")
        assert waiting_in("default") == 0
        document.refresh_from_db()
        assert document.status == D.QUEUED
    finally:
        celery_app.control.add_consumer("pdf", destination=destination, reply=True)

    def finished():
        document.refresh_from_db()
        if document.status == D.FAILED:
            pytest.fail(f"Rendering failed: {document.error}")
        return document.status == D.DONE

    celery_worker.wait_for(finished, timeout=60, what="the mandate PDF")
    assert waiting_in("pdf") == 0
