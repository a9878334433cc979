# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The tender's documents made by a real Celery worker (Redis, PostgreSQL): the whole set, the
annex naming every authority of the frozen snapshot, the volume annex with the snapshot's
totals, only the aanbestedingsleidraad made again after a change of the timeline, and a
failed version generated again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from tenders.models import DocumentVersion, LotAuthority, SnapshotLotTotal, TenderDocument
from tenders.models.documents import DOCUMENT_SET_KINDS
from tenders.services.documents import document_retry, documents_request
from tenders.services.tender import tender_timeline_set
from tenders.tests.documents_helpers import (
    CONTRACT_START,
    TIMELINE,
    euro,
    make_tender,
    pdf_text,
    whole,
)
from tenders.tests.test_aggregation import setup  # noqa: F401

K = TenderDocument.Kind
V = DocumentVersion.Status


@pytest.fixture
def tender(transactional_db, setup, personas):
    """Built before the worker listens, so that the freeze's own aggregation run is done here
    and not a second time by the worker."""
    return make_tender(setup, personas)


def all_done(worker, versions, *, timeout=120):
    def check():
        rows = list(DocumentVersion.objects.filter(pk__in=[v.pk for v in versions]))
        failed = [v for v in rows if v.status == V.FAILED]
        if failed:
            pytest.fail(f"Rendering failed: {failed[0].error}")
        return all(v.status == V.DONE for v in rows) and rows

    rows = worker.wait_for(check, timeout=timeout, what="the tender documents")
    return {
        v.document.kind: v
        for v in DocumentVersion.objects.filter(pk__in=[r.pk for r in rows]).select_related(
            "document"
        )
    }


@pytest.mark.celery
def test_the_worker_makes_the_set_and_only_a_new_leidraad_after_a_timeline_change(
    tender, celery_worker, personas
):
    actor = personas["project_team"].user
    with transaction.atomic():
        versions = documents_request(actor=actor, tender=tender)
    done = all_done(celery_worker, versions)
    assert set(done) == set(DOCUMENT_SET_KINDS)
    assert "tenders.document_render_task[" in celery_worker.log(since_start_of_test=True)

    annex = pdf_text(done[K.AUTHORITIES].file.path)
    authorities = LotAuthority.objects.filter(snapshot=tender.snapshot)
    assert authorities.count() >= 3
    for authority in authorities:
        assert authority.name in annex
        if authority.identifier:
            assert authority.identifier in annex

    volumes = pdf_text(done[K.VOLUMES].file.path)
    for total in SnapshotLotTotal.objects.filter(snapshot=tender.snapshot):
        year = str(total.year) if total.year else "Hele looptijd"
        row = " ".join(
            [
                year,
                whole(total.quantity),
                whole(total.maximum_quantity),
                euro(total.estimated_value),
                euro(total.maximum_value),
            ]
        )
        assert row in volumes
    # The volume annex carries its charts (SVG, drawn as text in the PDF).
    assert "2028 geschat" in volumes and "2028 maximum" in volumes

    moved = {**TIMELINE, "bid_deadline_at": TIMELINE["bid_deadline_at"] + timedelta(days=7)}
    tender_timeline_set(actor=actor, tender=tender, contract_start=CONTRACT_START, **moved)
    with transaction.atomic():
        again = documents_request(actor=actor, tender=tender, change_note="Een week later")
    assert [(v.document.kind, v.number) for v in again] == [(K.LEIDRAAD, 2)]
    leidraad = all_done(celery_worker, again)[K.LEIDRAAD]
    text = pdf_text(leidraad.file.path)
    assert "maandag 19 april 2027, 12:00 uur (Nederlandse tijd)" in text
    assert "Een week later" in text
    assert DocumentVersion.objects.filter(number=2).count() == 1


@pytest.mark.celery
def test_the_worker_makes_a_failed_version_again(tender, celery_worker, personas):
    actor = personas["project_team"].user
    with transaction.atomic():
        versions = documents_request(actor=actor, tender=tender)
    all_done(celery_worker, versions)
    failed = DocumentVersion.objects.get(document__kind=K.AGREEMENT)
    # As the last attempt leaves it: failed with the reason, no file.
    DocumentVersion.objects.filter(pk=failed.pk).update(
        status=V.FAILED, error="OSError: No space left on device", file="", sha256=""
    )
    failed.refresh_from_db()
    with transaction.atomic():
        document_retry(actor=actor, version=failed)
    retried = all_done(celery_worker, [failed])[K.AGREEMENT]
    assert retried.number == 1 and retried.error == "" and len(retried.sha256) == 64
    assert "Concept-raamovereenkomst" in pdf_text(retried.file.path)
