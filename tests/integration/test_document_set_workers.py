# ruff: noqa: F811 - the "setup" fixture is imported from tenders.tests.test_aggregation
"""The tender's document set on a real worker with two processes (the prefork pool, as the
production worker runs with ``--concurrency 2``), on a Redis broker of the test's own: one task
per document, so both processes make documents of the set; the set is recorded ready only
when every document is made. A document that fails leaves nothing half-written: it is marked
failed with its reason, without a file; the others are stored, and the set is not ready until
the failed one is made again."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import transaction

from portal.audit import AuditEvent
from tenders.models import DocumentVersion, Tender, TenderDocument
from tenders.models.documents import DOCUMENT_SET_KINDS
from tenders.services.documents import document_retry, documents_request
from tenders.tests.documents_helpers import make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401
from tests.integration.fixtures import CeleryWorker, publishing_to, spawn_worker, stop_worker

pytestmark = pytest.mark.celery
K = TenderDocument.Kind
V = DocumentVersion.Status
# Generous for a loaded two-core machine; the test polls and never asserts a duration. The
# broken document is tried four times with backoff (tenders.tasks.document_render_task).
WAIT = 240.0
SUCCEEDED = re.compile(
    r"/(ForkPoolWorker-\d+)\] Task tenders\.document_render_task\[[^\]]+\] succeeded"
)


@pytest.fixture
def tender(transactional_db, setup, personas):
    """Built before the worker listens: the freeze's own aggregation run is done here."""
    return make_tender(setup, personas)


@pytest.fixture
def two_process_worker(tender, own_broker, tmp_path) -> Iterator[CeleryWorker]:
    worker = spawn_worker(broker_url=own_broker.url, workdir=tmp_path, concurrency=2)
    try:
        with publishing_to(worker):
            yield worker
    finally:
        stop_worker(worker.process)


def settled(worker: CeleryWorker, versions: list[DocumentVersion]) -> dict[str, DocumentVersion]:
    """Wait until every version is done or failed; by kind."""

    def check():
        rows = list(DocumentVersion.objects.filter(pk__in=[v.pk for v in versions]))
        return all(v.status in (V.DONE, V.FAILED) for v in rows) and rows

    worker.wait_for(check, timeout=WAIT, what="the document set")
    rows = DocumentVersion.objects.filter(pk__in=[v.pk for v in versions])
    return {v.document.kind: v for v in rows.select_related("document")}


def test_the_set_is_made_by_both_processes_and_a_failed_document_leaves_nothing_half_written(
    tender, two_process_worker, personas
):
    worker = two_process_worker
    actor = personas["project_team"].user
    with transaction.atomic():
        versions = documents_request(actor=actor, tender=tender)
        # Inputs the volume annex cannot be made from: its render raises on every attempt.
        broken = next(v for v in versions if v.document.kind == K.VOLUMES)
        good_inputs = broken.inputs
        DocumentVersion.objects.filter(pk=broken.pk).update(inputs={"format": 1})

    made = settled(worker, versions)
    assert made[K.VOLUMES].status == V.FAILED
    assert "KeyError" in made[K.VOLUMES].error
    assert not made[K.VOLUMES].file and made[K.VOLUMES].sha256 == ""
    others = [v for kind, v in made.items() if kind != K.VOLUMES]
    assert all(v.status == V.DONE and v.file and len(v.sha256) == 64 for v in others)
    # Exactly the finished documents are stored: nothing of the failed one.
    stored = sorted(p.name for p in worker.media_root.rglob("*") if p.is_file())
    assert stored == sorted(v.file.name.rsplit("/", 1)[-1] for v in others)
    assert Tender.objects.get(pk=tender.pk).documents_ready_at is None
    assert not AuditEvent.objects.filter(action="tender_documents.ready").exists()

    # One task per document, taken by both of the worker's processes.
    processes = set(SUCCEEDED.findall(worker.log(since_start_of_test=True)))
    assert len(processes) == 2, worker.log(since_start_of_test=True)

    # Made again from good inputs: now the set is ready, recorded once.
    DocumentVersion.objects.filter(pk=broken.pk).update(inputs=good_inputs)
    with transaction.atomic():
        document_retry(actor=actor, version=made[K.VOLUMES])
    worker.wait_for(
        lambda: Tender.objects.get(pk=tender.pk).documents_ready_at is not None,
        timeout=WAIT,
        what="the set to be ready",
    )
    assert DocumentVersion.objects.filter(document__tender=tender, status=V.DONE).count() == len(
        DOCUMENT_SET_KINDS
    )
    assert AuditEvent.objects.filter(action="tender_documents.ready").count() == 1
