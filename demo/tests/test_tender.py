"""The demo's tender one step after its preparation: published with four eyes on the frozen
figures with its generated documents and first OCDS release, followed by confirmed
subscribers, one published nota van inlichtingen with numbered questions and answers, and an
open question round with work waiting for the team."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from consultations.selectors.participants import supplier_ids_taking_part
from demo.loader import USERS
from demo.loader.workdays import WORKING_HOURS, is_chosen_day
from portal.models import AuditEvent, Organisation, User
from tenders.models import (
    Enquiry,
    EnquiryRound,
    OcdsRelease,
    PublicationRequest,
    Subscription,
    Tender,
    TenderEvent,
)
from tenders.models.documents import DOCUMENT_SET_KINDS
from tenders.ocds import OCDS_VERSION, package_errors
from tenders.selectors.enquiries import enquiries_for
from tenders.selectors.periods import tender_period_problems

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
TEAM, SECOND = USERS[0].email, USERS[1].email
SUPPLIERS = {"voorbeeld-hardware-bv", "tweede-leven-it-bv", "mobiel-zakelijk-bv"}


def _tender() -> Tender:
    return Tender.objects.select_related("programme").get(programme__slug="gt-hardware-werkplek")


def _in_office_hours(moment) -> bool:
    local = moment.astimezone(AMS)
    return is_chosen_day(local.date()) and WORKING_HOURS[0] <= local.time() <= WORKING_HOURS[1]


def test_the_tender_is_published_with_four_eyes_weeks_before_the_load_day(demo):
    tender = _tender()
    request = PublicationRequest.objects.get(tender=tender)

    assert tender.status == Tender.Status.PUBLISHED
    assert tender.programme.status == "published"
    assert request.status == PublicationRequest.Status.CONFIRMED
    assert (request.requested_by.email, request.decided_by.email) == (TEAM, SECOND)
    assert tender.published_by.email == SECOND
    assert request.requested_at < request.decided_at == tender.published_at
    assert tender.published_at == tender.publication_at  # dispatched as planned
    assert _in_office_hours(request.requested_at) and _in_office_hours(tender.published_at)
    assert 14 <= (timezone.localdate() - timezone.localdate(tender.published_at)).days <= 28
    event = TenderEvent.objects.get(tender=tender, status=Tender.Status.PUBLISHED)
    assert event.at == tender.published_at and event.by.email == SECOND
    assert AuditEvent.objects.filter(action="tender.published").count() == 1


def test_every_period_check_passes_and_questions_are_still_accepted(demo):
    tender = _tender()

    assert tender_period_problems(tender) == []
    assert tender.question_deadline_at > timezone.now()
    assert tender.bid_deadline_at - tender.answers_at >= timedelta(days=6)
    assert tender.bid_deadline_at - tender.publication_at >= timedelta(days=35)
    assert tender.standstill_end_at - tender.award_decision_at >= timedelta(days=20)


def test_the_documents_were_generated_before_the_publication_and_are_real_files(demo):
    tender = _tender()
    documents = list(tender.documents.prefetch_related("versions"))

    assert len(documents) == len(DOCUMENT_SET_KINDS) + 1  # the set and the first notice
    notice = next(d for d in documents if d.kind == "nvi")
    [version] = notice.versions.all()
    round_ = EnquiryRound.objects.get(tender=tender, status=EnquiryRound.Status.PUBLISHED)
    assert round_.document_version == version and version.status == "done"
    assert version.generated_at > round_.published_at
    with translation.override("nl"):
        day = formats.date_format(timezone.localtime(round_.published_at), "j F Y")
    assert version.inputs["date"] == day
    with version.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    documents.remove(notice)
    for document in documents:
        [version] = document.versions.all()
        assert version.status == "done" and version.sha256
        assert version.generated_at < tender.published_at
        assert _in_office_hours(version.generated_at)
        with version.file.open("rb") as handle:
            head = handle.read(4)
        assert head == (b"PK\x03\x04" if document.kind == "price_sheet" else b"%PDF")


def test_the_open_data_has_a_release_for_the_publication_and_for_the_notice(demo):
    tender = _tender()
    releases = list(OcdsRelease.objects.filter(tender=tender).order_by("number"))
    round_ = EnquiryRound.objects.get(tender=tender, status=EnquiryRound.Status.PUBLISHED)

    assert [r.tags for r in releases] == [["tender"], ["tenderUpdate"]]
    assert releases[0].date > tender.published_at and releases[0].date < round_.published_at
    assert releases[1] == round_.ocds_release and releases[1].date > round_.published_at
    assert releases[0].data["tender"].get("enquiries", []) == []
    published = round_.enquiries.filter(status=Enquiry.Status.ANSWERED)
    enquiries = releases[1].data["tender"]["enquiries"]
    assert {e["id"] for e in enquiries} == {str(e.public_id) for e in published}
    assert all(e["dateAnswered"] for e in enquiries)
    package = {
        "uri": "urn:test",
        "version": OCDS_VERSION,
        "publishedDate": releases[-1].data["date"],
        "publisher": {"name": "test"},
        "releases": [r.data for r in releases],
    }
    assert package_errors(package) == []


def test_the_consultation_suppliers_and_confirmed_subscribers_hear_of_it(demo):
    tender = _tender()
    consultation = tender.programme.consultations.get()
    taking_part = supplier_ids_taking_part(consultation=consultation)

    assert set(Organisation.objects.filter(pk__in=taking_part).values_list("slug", flat=True)) == (
        SUPPLIERS
    )
    assert consultation.responses.filter(status="submitted").count() == 3
    for response in consultation.responses.all():
        assert consultation.opens_at <= response.submitted_at <= consultation.closes_at
    subscriptions = Subscription.objects.filter(tender=tender)
    assert subscriptions.count() == subscriptions.active().count() >= 3
    for subscription in subscriptions:
        assert not subscription.confirm_token_hash  # confirmed through the mailed link
        assert tender.published_at < subscription.confirmed_at < timezone.now()


def test_one_published_notice_with_numbered_questions_and_a_merged_duplicate(demo):
    tender = _tender()
    round_ = EnquiryRound.objects.get(tender=tender, status=EnquiryRound.Status.PUBLISHED)
    answered = list(round_.enquiries.order_by("asked_at"))
    merged = Enquiry.objects.get(tender=tender, status=Enquiry.Status.MERGED)

    assert round_.number == 1
    assert (round_.asked_by.email, round_.confirmed_by.email) == (TEAM, SECOND)
    assert round_.created_at < round_.published_at < timezone.now()
    assert len(answered) >= 4 and all(e.status == Enquiry.Status.ANSWERED for e in answered)
    assert len({e.organisation_id for e in answered}) == 3  # several suppliers asked
    assert {e.lot_number for e in answered} >= {1, 2, None}
    for enquiry in answered:
        assert enquiry.section and enquiry.public_question and enquiry.answer
        assert tender.published_at < enquiry.asked_at < enquiry.answered_at
        assert enquiry.answered_at < round_.created_at
        assert _in_office_hours(enquiry.asked_at) and _in_office_hours(enquiry.answered_at)
        assert enquiry.organisation.name not in enquiry.public_question + enquiry.answer
    assert merged.merged_into in answered and merged.round is None
    assert merged.organisation_id != merged.merged_into.organisation_id
    assert not EnquiryRound.objects.filter(tender=tender).exclude(pk=round_.pk).exists()


def test_the_public_page_shows_the_notice_without_the_askers(demo):
    tender = _tender()
    page = Client().get(reverse("tenders:tender-public", args=[tender.reference]))
    html = page.content.decode()

    assert page.status_code == 200
    assert "Nota van inlichtingen 1" in html
    for enquiry in Enquiry.objects.filter(round__number=1):
        assert enquiry.answer.split(".")[0] in html
    for slug in SUPPLIERS:
        assert Organisation.objects.get(slug=slug).name not in html
    assert "Wij leveren normaal" not in html  # the asker's own wording stays private


def test_the_question_round_is_open_with_work_for_the_team(demo):
    tender = _tender()
    unpublished = Enquiry.objects.filter(tender=tender, round__isnull=True).exclude(
        status=Enquiry.Status.MERGED
    )
    open_ = unpublished.filter(status=Enquiry.Status.OPEN)
    answered = unpublished.filter(status=Enquiry.Status.ANSWERED)
    round_ = EnquiryRound.objects.get(tender=tender)

    assert tender.question_deadline_at > timezone.now()
    assert open_.count() >= 2 and answered.count() == 1
    assert len({e.organisation_id for e in open_}) == open_.count()
    for enquiry in unpublished:
        assert round_.published_at < enquiry.asked_at < timezone.now()
        assert enquiry.section and enquiry.lot_number
        assert _in_office_hours(enquiry.asked_at)
    [waiting] = answered
    assert waiting.asked_at < waiting.answered_at < timezone.now()
    # The team sees every question; a supplier only its own, its open question among them.
    team = User.objects.get(email=TEAM)
    assert set(enquiries_for(user=team, tender=tender)) == set(tender.enquiries.all())
    sanne = User.objects.get(email="verkoop@voorbeeldhardware.demo.gt-portaal.nl")
    own = enquiries_for(user=sanne, tender=tender)
    assert {e.organisation.slug for e in own} == {"voorbeeld-hardware-bv"}
    assert own.filter(status=Enquiry.Status.OPEN).exists()
    assert own.filter(round__number=1).exists() and own.filter(status="merged").exists()
