# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The change notice of a published tender: asked by one team member, confirmed by a second;
nothing changes until then. Confirmation applies the change, makes new document versions whose
change note names the notice, adds an amendment release (the earlier ones stay as published)
and mails each confirmed subscriber once. A change that breaks a legal period is refused with
its message; a draft or closed tender takes no change notice."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError

from tenders.models import ChangeNotice, DocumentVersion, OcdsRelease, Tender
from tenders.ocds import package_errors
from tenders.selectors.ocds import ocds_package
from tenders.services.change import change_notice_decide, change_notice_request
from tenders.tests.change_helpers import published, second_member, subscribe
from tenders.tests.documents_helpers import AMSTERDAM, TIMELINE
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db

LATER = {
    "bid_deadline_at": datetime(2027, 4, 26, 12, tzinfo=AMSTERDAM),
    "opening_at": datetime(2027, 4, 26, 13, tzinfo=AMSTERDAM),
}
REASON = "Meer tijd voor de inschrijvers na vragen over perceel 2"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_the_bid_deadline_moves_later_with_four_eyes(
    setup, personas, mailoutbox, django_capture_on_commit_callbacks
):
    tender = published(setup, personas)
    subscribe(tender, "een@voorbeeld.nl", "twee@voorbeeld.nl")
    first_release = OcdsRelease.objects.get(tender=tender)
    first_data, first_hash = first_release.data, first_release.sha256
    versions_before = DocumentVersion.objects.count()
    asker = personas["project_team"].user

    notice = change_notice_request(actor=asker, tender=tender, reason=REASON, moments=LATER)
    tender.refresh_from_db()
    assert tender.bid_deadline_at == TIMELINE["bid_deadline_at"]  # nothing changes yet
    assert notice.number is None and notice.is_pending
    assert [c["field"] for c in notice.changes] == ["bid_deadline_at", "opening_at"]
    with pytest.raises(ValidationError) as excinfo:
        change_notice_decide(actor=asker, notice=notice, confirm=True)
    assert "Een tweede lid van het projectteam bevestigt het wijzigingsbericht" in messages_of(
        excinfo
    )
    tender.refresh_from_db()
    assert tender.bid_deadline_at == TIMELINE["bid_deadline_at"]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change_notice_decide(actor=second_member(personas), notice=notice, confirm=True)
    tender.refresh_from_db()
    notice.refresh_from_db()
    assert tender.bid_deadline_at == LATER["bid_deadline_at"]
    assert tender.opening_at == LATER["opening_at"]
    assert notice.number == 1 and notice.status == "confirmed"

    # The documents whose data changed get a new version naming the notice.
    new = DocumentVersion.objects.filter(number=2).select_related("document")
    assert DocumentVersion.objects.count() == versions_before + len(new)
    assert {v.document.kind for v in new} == {"leidraad"}
    assert [v.change_note for v in new] == [f"Wijzigingsbericht 1: {REASON}"]

    # An amendment release; the first release is as it was published.
    releases = list(OcdsRelease.objects.filter(tender=tender).order_by("number"))
    assert [r.tags for r in releases] == [["tender"], ["tenderAmendment"]]
    first_release.refresh_from_db()
    assert first_release.data == first_data and first_release.sha256 == first_hash
    [amendment] = releases[1].data["tender"]["amendments"]
    assert amendment["id"] == "1" and amendment["rationale"] == REASON
    assert amendment["amendsReleaseID"] == releases[0].release_id
    assert amendment["releaseID"] == releases[1].release_id
    assert (
        "Uiterste datum voor inschrijvingen: maandag 12 april 2027, 12:00 uur (Nederlandse "
        "tijd) → maandag 26 april 2027" in (amendment["description"])
    )
    assert releases[1].data["tender"]["tenderPeriod"]["endDate"] == "2027-04-26T10:00:00Z"
    package = ocds_package(tender=tender, uri="https://example.org/ocds.json")
    assert package_errors(package) == []

    # Each confirmed subscriber gets one mail with the notice's text.
    assert sorted(m.to[0] for m in mailoutbox) == ["een@voorbeeld.nl", "twee@voorbeeld.nl"]
    mail = mailoutbox[0]
    assert mail.subject == "Wijzigingsbericht 1 voor GT Agg"
    assert REASON in mail.body
    assert (
        "maandag 12 april 2027, 12:00 uur (Nederlandse tijd) → "
        "maandag 26 april 2027, 12:00 uur (Nederlandse tijd)" in mail.body
    )

    # A second notice is number 2 and amends the amendment release.
    notice2 = change_notice_request(
        actor=asker,
        tender=tender,
        reason="Eis verduidelijkt",
        moments={},
        requirements={tender.requirements.first().pk: {"text": "Alle apparaten: TCO Certified."}},
    )
    change_notice_decide(
        actor=second_member(personas, "derde@vng.nl"), notice=notice2, confirm=True
    )
    notice2.refresh_from_db()
    assert notice2.number == 2
    third = OcdsRelease.objects.get(tender=tender, number=3)
    assert [a["id"] for a in third.data["tender"]["amendments"]] == ["1", "2"]
    assert third.data["tender"]["amendments"][1]["amendsReleaseID"] == releases[1].release_id
    assert tender.requirements.first().text == "Alle apparaten: TCO Certified."


def test_a_change_that_breaks_the_35_day_rule_is_refused(setup, personas):
    tender = published(setup, personas, electronic=False)
    early = datetime(2027, 4, 2, 12, tzinfo=AMSTERDAM)
    with pytest.raises(ValidationError) as excinfo:
        change_notice_request(
            actor=personas["project_team"].user,
            tender=tender,
            reason="Eerder sluiten",
            moments={"bid_deadline_at": early, "opening_at": early},
        )
    errors = excinfo.value.message_dict
    assert errors["bid_deadline_at"] == [
        "De uiterste datum voor inschrijvingen (vrijdag 2 april 2027) is te vroeg: er geldt een "
        "termijn van minstens 35 dagen na de verzending van de aankondiging op maandag 1 maart "
        "2027, omdat de inschrijvingen niet elektronisch worden ingediend (Richtlijn 2014/24/EU, "
        "artikel 27 lid 1). De termijn begint op de dag na de verzending; de uiterste datum voor "
        "inschrijvingen valt op maandag 5 april 2027 of later."
    ]
    assert not ChangeNotice.objects.exists()
    tender.refresh_from_db()
    assert tender.bid_deadline_at == TIMELINE["bid_deadline_at"]


def test_a_change_is_checked_again_on_confirmation(setup, personas):
    tender = published(setup, personas)
    notice = change_notice_request(
        actor=personas["project_team"].user, tender=tender, reason=REASON, moments=LATER
    )
    # The tender changed meanwhile (another way in): the notice no longer fits.
    Tender.objects.filter(pk=tender.pk).update(
        opening_at=datetime(2027, 4, 27, 9, tzinfo=AMSTERDAM)
    )
    with pytest.raises(ValidationError) as excinfo:
        change_notice_decide(actor=second_member(personas), notice=notice, confirm=True)
    assert "is gewijzigd sinds dit bericht werd gevraagd" in messages_of(excinfo)
    change_notice_decide(actor=personas["project_team"].user, notice=notice, confirm=False)
    notice.refresh_from_db()
    assert notice.status == "cancelled" and notice.number is None


def test_bad_input_is_refused_next_to_the_field(setup, personas):
    tender = published(setup, personas)
    actor = personas["project_team"].user
    requirement = tender.requirements.first()
    with pytest.raises(ValidationError) as excinfo:
        change_notice_request(actor=actor, tender=tender, reason="  ", moments=LATER)
    assert excinfo.value.message_dict == {
        "reason": ["Geef de reden van de wijziging: die wordt met het bericht gepubliceerd."]
    }
    with pytest.raises(ValidationError) as excinfo:
        change_notice_request(actor=actor, tender=tender, reason=REASON, moments={})
    assert messages_of(excinfo) == "Er verandert niets: vul minstens één nieuwe waarde in."
    with pytest.raises(ValidationError) as excinfo:
        change_notice_request(
            actor=actor,
            tender=tender,
            reason=REASON,
            moments={},
            requirements={requirement.pk: {"text": " "}},
        )
    assert excinfo.value.message_dict == {
        f"requirement_{requirement.pk}_text": [
            "Formuleer de eis zoals die in de documenten komt te staan."
        ]
    }
    with pytest.raises(ValidationError) as excinfo:
        change_notice_request(
            actor=actor,
            tender=tender,
            reason=REASON,
            moments={"bid_deadline_at": datetime(2026, 1, 5, 12, tzinfo=AMSTERDAM)},
        )
    assert (
        "“Uiterste datum voor inschrijvingen” kan niet naar het verleden worden verplaatst."
        in (excinfo.value.message_dict["bid_deadline_at"])
    )
    change_notice_request(actor=actor, tender=tender, reason=REASON, moments=LATER)
    with pytest.raises(ValidationError) as excinfo:
        change_notice_request(actor=actor, tender=tender, reason="Nog een", moments=LATER)
    assert "Er wacht al een wijzigingsbericht op bevestiging" in messages_of(excinfo)
    assert ChangeNotice.objects.count() == 1


@pytest.mark.parametrize("status", ["draft", "closed", "awarded", "cancelled"])
def test_a_draft_or_closed_tender_takes_no_change_notice(setup, personas, status):
    tender = published(setup, personas)
    Tender.objects.filter(pk=tender.pk).update(status=status)
    tender.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        change_notice_request(
            actor=personas["project_team"].user, tender=tender, reason=REASON, moments=LATER
        )
    expected = (
        "De aanbesteding is een concept: wijzig die rechtstreeks."
        if status == "draft"
        else "een wijzigingsbericht is alleen mogelijk zolang die gepubliceerd is"
    )
    assert expected in messages_of(excinfo)
    assert not ChangeNotice.objects.exists()


def test_a_moment_that_has_passed_is_not_changed(setup, personas):
    tender = published(setup, personas)
    passed = datetime(2026, 1, 5, 17, tzinfo=AMSTERDAM)
    Tender.objects.filter(pk=tender.pk).update(question_deadline_at=passed)
    tender.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        change_notice_request(
            actor=personas["project_team"].user,
            tender=tender,
            reason=REASON,
            moments={"question_deadline_at": datetime(2027, 3, 16, 17, tzinfo=AMSTERDAM)},
        )
    assert excinfo.value.message_dict["question_deadline_at"] == [
        "“Uiterste datum voor vragen” is voorbij: dat kan niet meer worden gewijzigd."
    ]
    assert not ChangeNotice.objects.exists()
