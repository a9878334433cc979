# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The nota van inlichtingen made by a real Celery worker (Redis, PostgreSQL): publishing a
round queues its numbered notice, which the worker renders as a tagged Dutch PDF showing the
public wordings and the answers, the document version an answer changes, and never the asker
(its organisation, its KvK number or its question as asked)."""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from suppliers.models import SupplierProfile
from tenders.models import DocumentVersion, TenderDocument
from tenders.services.change import change_notice_decide, change_notice_request
from tenders.services.documents import document_render
from tenders.services.enquiries import (
    enquiry_answer,
    enquiry_ask,
    enquiry_round_decide,
    enquiry_round_request,
)
from tenders.tests.change_helpers import published, second_member
from tenders.tests.documents_helpers import pdf_info, pdf_objects, pdf_text
from tenders.tests.test_aggregation import setup  # noqa: F401

V = DocumentVersion.Status
KVK = "87654321"
ASKED = "Namens {name} (KvK 87654321): mogen de laptops met 8 GB geheugen worden geleverd?"
PUBLIC = "Mogen de laptops met 8 GB geheugen worden geleverd?"
ANSWER = "Nee, het minimum is 16 GB; de eis is verduidelijkt in het programma van eisen."
ASKED_Y = "Wij van de tweede leverancier willen weten of een docking station nodig is."
PUBLIC_Y = "Hoort bij elke laptop een docking station?"
ANSWER_Y = "Nee, alleen bij perceel 2."


@pytest.fixture
def round_ready(transactional_db, setup, personas):
    """A published tender whose team answered two questions, one changing the programma van
    eisen (its new version made by a change notice and rendered), and asked to publish the
    round. Built before the worker listens, so the documents are made here."""
    tender = published(setup, personas)
    x = personas["supplier_x"]
    SupplierProfile.objects.create(
        organisation=x.organisation,
        kvk_number=KVK,
        street="Straat",
        house_number="1",
        city="Utrecht",
    )
    team = personas["project_team"].user
    asked = enquiry_ask(
        actor=x.user,
        organisation=x.organisation,
        tender=tender,
        question=ASKED.format(name=x.organisation.name),
        lot_number=1,
        section="3.2 Geheugen",
    )
    requirements = TenderDocument.objects.get(tender=tender, kind="requirements")
    enquiry_answer(
        actor=team,
        enquiry=asked,
        public_question=PUBLIC,
        answer=ANSWER,
        changes_document=requirements,
    )
    other = enquiry_ask(
        actor=personas["supplier_y"].user,
        organisation=personas["supplier_y"].organisation,
        tender=tender,
        question=ASKED_Y,
    )
    enquiry_answer(actor=team, enquiry=other, public_question=PUBLIC_Y, answer=ANSWER_Y)
    notice = change_notice_request(
        actor=team,
        tender=tender,
        reason="Geheugeneis verduidelijkt",
        moments={},
        requirements={tender.requirements.first().pk: {"text": "Alle apparaten: TCO Certified."}},
    )
    change_notice_decide(actor=second_member(personas, "derde@vng.nl"), notice=notice, confirm=True)
    for version in DocumentVersion.objects.filter(status=V.QUEUED):
        document_render(version_id=version.pk)
    return enquiry_round_request(actor=team, tender=tender)


@pytest.mark.celery
def test_the_worker_renders_the_numbered_notice_without_the_asker(
    round_ready, celery_worker, personas
):
    with transaction.atomic():
        round_ = enquiry_round_decide(
            actor=second_member(personas), round=round_ready, confirm=True
        )
    round_.refresh_from_db()
    notice_id = round_.document_version_id

    def rendered():
        version = DocumentVersion.objects.get(pk=notice_id)
        if version.status == V.FAILED:
            pytest.fail(f"Rendering failed: {version.error}")
        return version.status == V.DONE and version

    notice = celery_worker.wait_for(rendered, timeout=120, what="the nota van inlichtingen")
    assert "tenders.document_render_task[" in celery_worker.log(since_start_of_test=True)
    assert notice.document.kind == "nvi" and notice.number == 1 and len(notice.sha256) == 64

    text = pdf_text(notice.file.path)
    assert "Nota van inlichtingen 1" in text
    assert round_.tender.reference in text and round_.tender.title in text
    assert f"Vraag 1 Perceel Perceel 1: {round_.tender.lots.get(number=1).title}" in text
    for wording in (PUBLIC, ANSWER, PUBLIC_Y, ANSWER_Y, "3.2 Geheugen"):
        assert wording in text
    changed = round_.changed_versions.get()
    assert changed.document.kind == "requirements" and changed.number == 2
    assert f"Gewijzigd in: Programma van eisen versie 2, SHA-256 {changed.sha256}" in text
    assert f"Programma van eisen 2 {changed.sha256}" in text  # the list of changed documents

    # Never the asker: not its organisation, its KvK number or its question as asked.
    for name in ("supplier_x", "supplier_y"):
        assert personas[name].organisation.name not in text
    assert KVK not in text
    assert "Namens" not in text and "tweede leverancier" not in text

    with notice.file.open("rb") as handle:
        content = handle.read()
    assert b"/Lang (nl)" in pdf_objects(content)
    assert re.search(r"Tagged:\s+yes", pdf_info(notice.file.path))
