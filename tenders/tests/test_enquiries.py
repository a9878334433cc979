# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The nota van inlichtingen: a supplier asks until the deadline for questions, privately; the
team answers in a neutral public wording (never naming the asker) or merges a duplicate; a
round is published with four eyes, gets its number, an OCDS ``tenderUpdate`` release listing
the enquiries, a mail to the subscribers and its questions on the public page, anonymously."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from suppliers.models import SupplierProfile
from tenders.models import Enquiry, EnquiryRound, OcdsRelease, Tender
from tenders.ocds import package_errors
from tenders.selectors.enquiries import enquiries_for
from tenders.selectors.ocds import ocds_package
from tenders.services.enquiries import (
    REPEAT_WINDOW,
    enquiry_answer,
    enquiry_ask,
    enquiry_merge,
    enquiry_round_decide,
    enquiry_round_request,
)
from tenders.tests.change_helpers import published, second_member, subscribe
from tenders.tests.documents_helpers import AMSTERDAM
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db

QUESTION = "Leverancier X B.V. vraagt: mogen de laptops ook met 8 GB geheugen worden geleverd?"
PUBLIC = "Mogen de laptops ook met 8 GB geheugen worden geleverd?"
ANSWER = "Nee, het minimum is 16 GB (eis 3.2)."


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def ask(personas, tender, persona="supplier_x", question=QUESTION, **extra) -> Enquiry:
    return enquiry_ask(
        actor=personas[persona].user,
        organisation=personas[persona].organisation,
        tender=tender,
        question=question,
        **extra,
    )


def test_a_supplier_asks_until_the_deadline_for_questions(setup, personas):
    tender = published(setup, personas)
    enquiry = ask(personas, tender, lot_number=1, section="3.2 Geheugen")
    assert enquiry.status == "open" and enquiry.lot_number == 1

    Tender.objects.filter(pk=tender.pk).update(
        question_deadline_at=datetime(2026, 1, 5, 17, tzinfo=AMSTERDAM)
    )
    with pytest.raises(ValidationError) as excinfo:
        ask(personas, tender, question="Nog een vraag")
    assert excinfo.value.messages == [
        "De uiterste datum voor vragen is verstreken (maandag 5 januari 2026, 17:00 uur "
        "(Nederlandse tijd)): er kunnen geen "
        "vragen meer worden gesteld."
    ]
    assert Enquiry.objects.count() == 1


def test_the_same_question_sent_twice_is_asked_once(setup, personas):
    tender = published(setup, personas)
    first = ask(personas, tender, lot_number=1, section="3.2  Geheugen")
    again = ask(personas, tender, lot_number=1, section="3.2 Geheugen")
    assert again.pk == first.pk and Enquiry.objects.count() == 1
    # Another lot, another wording or an answered question is a new question.
    ask(personas, tender, lot_number=2, section="3.2 Geheugen")
    Enquiry.objects.filter(pk=first.pk).update(status="answered")
    ask(personas, tender, lot_number=1, section="3.2 Geheugen")
    assert Enquiry.objects.count() == 3
    # After the window the same question is asked anew.
    Enquiry.objects.update(status="open", asked_at=first.asked_at - REPEAT_WINDOW)
    ask(personas, tender, lot_number=1, section="3.2 Geheugen")
    assert Enquiry.objects.count() == 4


def test_only_a_member_of_the_supplier_asks_and_only_on_a_published_tender(setup, personas):
    tender = published(setup, personas)
    with pytest.raises(PermissionDenied):
        enquiry_ask(
            actor=personas["supplier_y"].user,
            organisation=personas["supplier_x"].organisation,
            tender=tender,
            question=QUESTION,
        )
    with pytest.raises(ValidationError) as excinfo:
        ask(personas, tender, question="  ")
    assert excinfo.value.message_dict == {"question": ["Vul uw vraag in."]}
    Tender.objects.filter(pk=tender.pk).update(status="closed")
    with pytest.raises(ValidationError) as excinfo:
        ask(personas, tender)
    assert excinfo.value.messages == [
        "Vragen kunnen alleen worden gesteld zolang de aanbesteding gepubliceerd is."
    ]
    assert not Enquiry.objects.exists()


def test_a_question_is_private_to_the_asker_and_the_project_team(setup, personas):
    tender = published(setup, personas)
    enquiry = ask(personas, tender)
    assert list(enquiries_for(user=personas["supplier_x"].user, tender=tender)) == [enquiry]
    assert list(enquiries_for(user=personas["project_team"].user, tender=tender)) == [enquiry]
    assert not enquiries_for(user=personas["supplier_y"].user, tender=tender).exists()
    assert not enquiries_for(user=personas["editor_a"].user, tender=tender).exists()
    html = (
        personas["anonymous"]
        .client()
        .get(reverse("tenders:tender-public", args=[tender.reference]))
        .content.decode()
    )
    assert "8 GB" not in html


@pytest.mark.parametrize(
    ("wording", "found"),
    [
        ("Vraag van leverancier x b.v.: 8 GB?", "de naam ‘leverancier x b.v.’"),
        ("Vraag van KvK 12345678 over 8 GB", "het KvK- of registratienummer 12345678"),
    ],
)
def test_a_public_wording_that_names_the_asker_is_refused(setup, personas, wording, found):
    tender = published(setup, personas)
    SupplierProfile.objects.create(
        organisation=personas["supplier_x"].organisation,
        kvk_number="12345678",
        street="Straat",
        house_number="1",
        city="Utrecht",
    )
    enquiry = ask(personas, tender)
    with pytest.raises(ValidationError) as excinfo:
        enquiry_answer(
            actor=personas["project_team"].user,
            enquiry=enquiry,
            public_question=wording,
            answer=ANSWER,
        )
    assert excinfo.value.message_dict == {
        "public_question": [
            f"De publieke formulering noemt de leverancier die de vraag stelde ({found}): "
            "formuleer de vraag neutraal."
        ]
    }
    enquiry.refresh_from_db()
    assert enquiry.status == "open" and enquiry.public_question == ""


def test_a_round_is_published_with_four_eyes(
    setup, personas, mailoutbox, django_capture_on_commit_callbacks
):
    tender = published(setup, personas)
    subscribe(tender, "een@voorbeeld.nl")
    team = personas["project_team"].user
    enquiry = ask(personas, tender, lot_number=2)
    duplicate = ask(personas, tender, persona="supplier_y", question="Is 8 GB genoeg?")
    enquiry_answer(actor=team, enquiry=enquiry, public_question=PUBLIC, answer=ANSWER)
    enquiry_merge(actor=team, enquiry=duplicate, into=enquiry)

    asked = enquiry_round_request(actor=team, tender=tender)
    assert asked.status == "pending" and asked.number is None
    with pytest.raises(ValidationError) as excinfo:
        enquiry_round_decide(actor=team, round=asked, confirm=True)
    assert excinfo.value.messages == [
        "Een tweede lid van het projectteam bevestigt de nota van inlichtingen, niet degene die "
        "erom vroeg."
    ]
    asked.refresh_from_db()
    assert asked.status == "pending" and asked.number is None

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enquiry_round_decide(actor=second_member(personas), round=asked, confirm=True)
    asked.refresh_from_db()
    assert asked.number == 1 and asked.status == "published" and asked.published_at

    # The OCDS release validates and lists the published enquiry, without the asker.
    release = OcdsRelease.objects.get(tender=tender, tags=["tenderUpdate"])
    [listed] = release.data["tender"]["enquiries"]
    assert listed == {
        "id": str(enquiry.public_id),
        "date": enquiry.asked_at.astimezone(UTC).isoformat(timespec="seconds")[:-6] + "Z",
        "title": PUBLIC,
        "description": PUBLIC,
        "answer": ANSWER,
        "dateAnswered": asked.published_at.astimezone(UTC).isoformat(timespec="seconds")[:-6] + "Z",
        "relatedLot": "2",
    }
    assert "Leverancier" not in str(release.data["tender"]["enquiries"])
    assert package_errors(ocds_package(tender=tender, uri="https://example.org/ocds.json")) == []

    # The subscribers are told.
    [mail] = mailoutbox
    assert mail.subject == "Nota van inlichtingen 1 voor GT Agg"
    assert PUBLIC in mail.body and ANSWER in mail.body and "Leverancier" not in mail.body

    # The public page shows the round, anonymously.
    url = reverse("tenders:tender-public", args=[tender.reference])
    html = personas["anonymous"].client().get(url).content.decode()
    assert "Nota van inlichtingen 1" in html
    assert PUBLIC in html and ANSWER in html
    assert "Leverancier X" not in html and "Leverancier Y" not in html
    assert "Is 8 GB genoeg?" not in html

    # A round with nothing new to publish is refused.
    with pytest.raises(ValidationError) as excinfo:
        enquiry_round_request(actor=team, tender=tender)
    assert excinfo.value.messages == [
        "Beantwoord minstens één vraag voordat u een nota van inlichtingen publiceert."
    ]
    assert EnquiryRound.objects.filter(status="published").count() == 1
