# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""Publishing a round of the nota van inlichtingen: its numbered NvI (a version of the tender's
NvI document, made from the public wording only), the 6 days before the deadline for bids, and
an answer that changes a document waiting for the document's new version (a change notice),
which the notice then refers to."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suppliers.models import SupplierProfile
from tenders.models import DocumentVersion, EnquiryRound, OcdsRelease, Tender, TenderDocument
from tenders.ocds import package_errors
from tenders.selectors.documents import (
    document_set_problems,
    documents_for_tender,
    published_documents,
)
from tenders.selectors.enquiries import answers_too_late
from tenders.selectors.ocds import ocds_package
from tenders.services.change import change_notice_decide, change_notice_request
from tenders.services.documents import document_render
from tenders.services.enquiries import (
    enquiry_answer,
    enquiry_ask,
    enquiry_round_decide,
    enquiry_round_request,
)
from tenders.tests.change_helpers import published, second_member
from tenders.tests.documents_helpers import AMSTERDAM
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db
K = TenderDocument.Kind

ASKED = "Namens Leverancier X B.V. (KvK 12345678): mogen de laptops 8 GB geheugen hebben?"
PUBLIC = "Mogen de laptops 8 GB geheugen hebben?"
ANSWER = "Nee, het minimum is 16 GB (eis 3.2)."


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def answered(personas, tender, *, public=PUBLIC, answer=ANSWER, **extra):
    enquiry = enquiry_ask(
        actor=personas["supplier_x"].user,
        organisation=personas["supplier_x"].organisation,
        tender=tender,
        question=ASKED,
        lot_number=1,
        section="3.2 Geheugen",
    )
    return enquiry_answer(
        actor=personas["project_team"].user,
        enquiry=enquiry,
        public_question=public,
        answer=answer,
        **extra,
    )


def publish_round(personas, tender, confirmer=None) -> EnquiryRound:
    asked = enquiry_round_request(actor=personas["project_team"].user, tender=tender)
    confirmer = confirmer or second_member(personas)
    round_ = enquiry_round_decide(actor=confirmer, round=asked, confirm=True)
    round_.refresh_from_db()
    return round_


def bid_deadline_in(tender: Tender, days: int) -> None:
    """The deadline for bids at noon, ``days`` calendar days after today (Dutch time)."""
    day = timezone.localdate() + timedelta(days=days)
    at = timezone.make_aware(datetime.combine(day, time(12)), AMSTERDAM)
    Tender.objects.filter(pk=tender.pk).update(bid_deadline_at=at)
    tender.refresh_from_db()


def test_the_6_days_are_counted_in_days_as_the_timeline_rule_does():
    tender = Tender(bid_deadline_at=datetime(2027, 4, 13, 12, tzinfo=AMSTERDAM))
    # Day 13 April minus 6 is 7 April: the whole of that day is in time, the next is not.
    assert answers_too_late(tender=tender, at=datetime(2027, 4, 7, 12, tzinfo=AMSTERDAM)) is None
    assert (
        answers_too_late(tender=tender, at=datetime(2027, 4, 7, 23, 59, tzinfo=AMSTERDAM)) is None
    )
    assert answers_too_late(tender=tender, at=datetime(2027, 4, 8, 0, 0, tzinfo=AMSTERDAM)) == (
        "Een nota van inlichtingen wordt uiterlijk 6 dagen vóór de uiterste datum voor "
        "inschrijvingen (dinsdag 13 april 2027) gepubliceerd, dus uiterlijk op woensdag 7 april "
        "2027 (Richtlijn 2014/24/EU, artikel 47 lid 3 onder a). Verplaats eerst met een "
        "wijzigingsbericht de uiterste datum voor inschrijvingen naar woensdag 14 april 2027 of "
        "later, en publiceer de nota daarna."
    )
    assert answers_too_late(tender=Tender(), at=timezone.now()) is None


def test_a_round_later_than_6_days_before_the_bid_deadline_is_refused(setup, personas):
    tender = published(setup, personas)
    answered(personas, tender)
    bid_deadline_in(tender, 5)
    with pytest.raises(ValidationError) as excinfo:
        enquiry_round_request(actor=personas["project_team"].user, tender=tender)
    [message] = excinfo.value.messages
    assert message.startswith("Een nota van inlichtingen wordt uiterlijk 6 dagen vóór")
    assert "Verplaats eerst met een wijzigingsbericht" in message
    assert not EnquiryRound.objects.exclude(status="draft").exists()

    # Exactly 6 days before: asked, then the deadline moves closer before the confirmation.
    bid_deadline_in(tender, 6)
    asked = enquiry_round_request(actor=personas["project_team"].user, tender=tender)
    bid_deadline_in(tender, 5)
    with pytest.raises(ValidationError) as excinfo:
        enquiry_round_decide(actor=second_member(personas), round=asked, confirm=True)
    assert "uiterlijk 6 dagen vóór" in excinfo.value.messages[0]
    asked.refresh_from_db()
    assert asked.status == "pending" and asked.number is None
    assert not DocumentVersion.objects.filter(document__kind=K.NVI).exists()

    bid_deadline_in(tender, 6)
    round_ = enquiry_round_decide(
        actor=second_member(personas, "derde@vng.nl"), round=asked, confirm=True
    )
    assert round_.number == 1


def test_publishing_a_round_queues_its_numbered_notice_without_the_asker(
    setup, personas, django_capture_on_commit_callbacks
):
    tender = published(setup, personas)
    SupplierProfile.objects.create(
        organisation=personas["supplier_x"].organisation,
        kvk_number="12345678",
        street="Straat",
        house_number="1",
        city="Utrecht",
    )
    answered(personas, tender)
    with django_capture_on_commit_callbacks() as callbacks:
        round_ = publish_round(personas, tender)
    notice = round_.document_version
    assert notice.document.kind == K.NVI and notice.number == 1 == round_.number
    assert notice.status == "queued" and notice.change_note == "Nota van inlichtingen 1"
    assert len(callbacks) == 1  # the render task, sent after the commit (mail: no subscribers)

    inputs = notice.inputs
    assert inputs["number"] == 1 and inputs["reference"] == tender.reference
    assert inputs["questions"] == [
        {
            "number": 1,
            "lot": 1,
            "lot_title": tender.lots.get(number=1).title,
            "section": "3.2 Geheugen",
            "question": PUBLIC,
            "answer": ANSWER,
            "changes": None,
        }
    ]
    assert inputs["changed"] == []
    text = json.dumps(inputs, ensure_ascii=False)
    for secret in ("Leverancier X", "12345678", "Namens", personas["supplier_x"].user.email):
        assert secret not in text

    # Rendered, the notice is among the published documents; the set stays publishable and a
    # change notice does not make it again.
    done = document_render(version_id=notice.pk)
    assert done.status == "done" and done.sha256
    assert done in published_documents(tender=tender)
    assert document_set_problems(tender=tender) == []
    assert [row.kind for row in documents_for_tender(tender=tender)][-1] == K.NVI


def test_the_second_notice_holds_its_own_round_numbered_on(setup, personas):
    tender = published(setup, personas)
    answered(personas, tender)
    first = publish_round(personas, tender)
    answered(personas, tender, public="Is een docking station inbegrepen?", answer="Ja.")
    second = publish_round(personas, tender, confirmer=second_member(personas, "derde@vng.nl"))
    assert (first.number, second.number) == (1, 2)
    assert second.document_version.number == 2
    assert second.document_version.document_id == first.document_version.document_id
    questions = second.document_version.inputs["questions"]
    assert [(q["number"], q["question"]) for q in questions] == [
        (2, "Is een docking station inbegrepen?")
    ]

    # A change notice makes the document set's new versions, never a notice of its own.
    notice = change_notice_request(
        actor=personas["project_team"].user,
        tender=tender,
        reason="Eis verduidelijkt",
        moments={},
        requirements={tender.requirements.first().pk: {"text": "Alle apparaten: TCO Certified."}},
    )
    change_notice_decide(
        actor=second_member(personas, "vierde@vng.nl"), notice=notice, confirm=True
    )
    assert DocumentVersion.objects.filter(document__kind=K.NVI).count() == 2
    assert DocumentVersion.objects.filter(number=2).exclude(document__kind=K.NVI).exists()


def test_an_answer_that_changes_a_document_waits_for_its_new_version(setup, personas):
    tender = published(setup, personas)
    team = personas["project_team"].user
    leidraad = TenderDocument.objects.get(tender=tender, kind=K.LEIDRAAD)
    first_leidraad = leidraad.versions.get()
    answered(personas, tender, changes_document=leidraad)

    with pytest.raises(ValidationError) as excinfo:
        enquiry_round_request(actor=team, tender=tender)
    assert excinfo.value.messages == [
        "Een antwoord wijzigt “Aanbestedingsleidraad”, dat nog geen nieuwe versie heeft sinds "
        "de publicatie of de vorige nota van inlichtingen. Maak die eerst met een "
        "wijzigingsbericht: de nota verwijst naar de nieuwe versie."
    ]
    assert not EnquiryRound.objects.exclude(status="draft").exists()

    # A change notice makes the new version; once rendered, the round refers to it.
    notice = change_notice_request(
        actor=team,
        tender=tender,
        reason="Eis verduidelijkt na vraag 1",
        moments={},
        requirements={tender.requirements.first().pk: {"text": "Alle apparaten: TCO Certified."}},
    )
    change_notice_decide(actor=second_member(personas, "derde@vng.nl"), notice=notice, confirm=True)
    new_leidraad = leidraad.versions.get(number=2)
    with pytest.raises(ValidationError):  # queued, not yet rendered: no SHA-256 to refer to
        enquiry_round_request(actor=team, tender=tender)
    document_render(version_id=new_leidraad.pk)
    new_leidraad.refresh_from_db()

    round_ = publish_round(personas, tender)
    assert list(round_.changed_versions.all()) == [new_leidraad]
    changed = {"document": "Aanbestedingsleidraad", "version": 2, "sha256": new_leidraad.sha256}
    assert round_.document_version.inputs["changed"] == [changed]
    assert round_.document_version.inputs["questions"][0]["changes"] == changed
    assert first_leidraad.sha256 != new_leidraad.sha256

    # The next round needs a version newer than this round for its own changed document.
    answered(
        personas,
        tender,
        public="Geldt dit ook voor perceel 2?",
        answer="Ja.",
        changes_document=leidraad,
    )
    with pytest.raises(ValidationError) as excinfo:
        enquiry_round_request(actor=team, tender=tender)
    assert "“Aanbestedingsleidraad”" in excinfo.value.messages[0]


def test_an_answer_names_a_document_of_the_tender_set_only(setup, personas):
    tender = published(setup, personas)
    enquiry = enquiry_ask(
        actor=personas["supplier_x"].user,
        organisation=personas["supplier_x"].organisation,
        tender=tender,
        question=ASKED,
    )
    nvi, _created = TenderDocument.objects.get_or_create(tender=tender, kind=K.NVI)
    with pytest.raises(ValidationError) as excinfo:
        enquiry_answer(
            actor=personas["project_team"].user,
            enquiry=enquiry,
            public_question=PUBLIC,
            answer=ANSWER,
            changes_document=nvi,
        )
    assert excinfo.value.message_dict == {
        "changes_document": ["Kies een van de documenten van de aanbesteding."]
    }
    enquiry.refresh_from_db()
    assert enquiry.status == "open" and enquiry.changes_document is None


def test_the_notice_is_among_the_ocds_documents_and_the_package_validates(setup, personas):
    tender = published(setup, personas)
    answered(personas, tender)
    round_ = publish_round(personas, tender)
    release = OcdsRelease.objects.get(tender=tender, tags=["tenderUpdate"])
    [listed] = [d for d in release.data["tender"]["documents"] if d["id"] == "nvi-v1"]
    assert listed["documentType"] == "clarifications"
    assert listed["title"] == "Nota van inlichtingen 1"
    assert listed["url"].endswith(
        f"/aanbestedingen/{tender.reference}/documenten/{round_.document_version.public_id}"
    )
    assert "description" not in listed  # its SHA-256 is known once rendered
    assert package_errors(ocds_package(tender=tender, uri="https://example.org/ocds.json")) == []
