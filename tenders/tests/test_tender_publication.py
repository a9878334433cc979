# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""Publishing the tender with four eyes: refused while anything blocks it (criteria, legal
periods, a document set that is missing or out of date), asked by one team member and confirmed
by another; publication locks the figures and the freeze, records the step and adds the first
OCDS release."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from portal.models import Role
from tenders.models import (
    DocumentVersion,
    OcdsRelease,
    Tender,
    TenderEvent,
    UnfreezeRequest,
)
from tenders.selectors.publication import publication_problems
from tenders.services.documents import document_render, documents_request
from tenders.services.freeze import unfreeze_request
from tenders.services.publication import publication_decide, publication_request
from tenders.services.tender import (
    CriterionData,
    award_criteria_set,
    requirements_set,
    tender_timeline_set,
)
from tenders.tests.documents_helpers import CONTRACT_START, TIMELINE, make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def generate(tender, actor, note=""):
    for version in documents_request(actor=actor, tender=tender, change_note=note):
        document_render(version_id=version.pk)


def second_member(personas):
    return MembershipFactory(
        organisation=personas["project_team"].organisation,
        role=Role.EDITOR,
        user=UserFactory(email="tweede@vng.nl"),
    ).user


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_publication_is_refused_while_anything_blocks_it(setup, personas):
    tender = make_tender(setup, personas)
    actor = personas["project_team"].user
    # No documents yet; a criterion set that does not add up; answers too late.
    award_criteria_set(actor=actor, tender=tender, criteria=[CriterionData("price", "Prijs", 100)])
    tender_timeline_set(
        actor=actor,
        tender=tender,
        contract_start=CONTRACT_START,
        **{**TIMELINE, "answers_at": TIMELINE["bid_deadline_at"] - timedelta(days=2)},
    )
    with pytest.raises(ValidationError) as excinfo:
        publication_request(actor=actor, tender=tender)
    text = messages_of(excinfo)
    assert "Tijdlijn:" in text and "6 dagen" in text
    assert "is nog niet gemaakt" in text
    tender_timeline_set(actor=actor, tender=tender, contract_start=CONTRACT_START, **TIMELINE)
    generate(tender, actor)
    assert publication_problems(tender=tender) == []
    # A change after the documents were made: the set is out of date.
    tender_timeline_set(
        actor=actor,
        tender=tender,
        contract_start=CONTRACT_START,
        **{**TIMELINE, "opening_at": TIMELINE["opening_at"] + timedelta(hours=1)},
    )
    tender.refresh_from_db()
    problems = publication_problems(tender=tender)
    assert problems == [
        "Documenten: Aanbestedingsleidraad is verouderd; maak de documenten opnieuw."
    ]
    tender.refresh_from_db()
    assert tender.is_draft


def test_a_second_team_member_confirms_and_publication_locks_everything(setup, personas):
    tender = make_tender(setup, personas)
    first = personas["project_team"].user
    generate(tender, first)
    asked = publication_request(actor=first, tender=tender)
    with pytest.raises(ValidationError) as excinfo:
        publication_request(actor=first, tender=tender)
    assert "wacht op bevestiging" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        publication_decide(actor=first, request=asked, confirm=True)
    assert "Een tweede lid van het projectteam bevestigt de publicatie" in messages_of(excinfo)
    tender.refresh_from_db()
    assert tender.is_draft

    publication_decide(actor=second_member(personas), request=asked, confirm=True)
    tender.refresh_from_db()
    setup["programme"].refresh_from_db()
    assert tender.status == "published" and tender.published_at is not None
    assert setup["programme"].status == "published"
    assert list(TenderEvent.objects.values_list("status", flat=True)) == ["published"]
    release = OcdsRelease.objects.get(tender=tender)
    documents = release.data["tender"]["documents"]
    assert len(documents) == 6 and {d["language"] for d in documents} == {"nl"}
    # Anyone can read the page and download every published version, byte for byte.
    import hashlib

    from django.test import Client

    page = Client().get(f"/aanbestedingen/{tender.reference}").content.decode()
    for version in DocumentVersion.objects.filter(document__tender=tender):
        assert version.sha256 in page
        url = f"/aanbestedingen/{tender.reference}/documenten/{version.public_id}"
        assert url in page
        body = b"".join(Client().get(url).streaming_content)
        assert hashlib.sha256(body).hexdigest() == version.sha256
    # Locked: the figures change only through a change notice, the freeze stays.
    with pytest.raises(ValidationError):
        requirements_set(actor=first, tender=tender, requirements=[])
    with pytest.raises(ValidationError) as excinfo:
        unfreeze_request(actor=first, snapshot=tender.snapshot, reason="te laat")
    assert "kunnen niet meer worden ontdooid" in messages_of(excinfo)
    assert not UnfreezeRequest.objects.exists()


def test_the_team_page_asks_and_a_second_member_publishes(setup, personas, client):
    tender = make_tender(setup, personas)
    first = personas["project_team"].user
    generate(tender, first)
    url = "/programmas/gt-agg/aanbesteding"
    team = personas["project_team"].client()
    assert "Niets staat de publicatie in de weg." in team.get(url).content.decode()
    assert team.post(f"{url}/publiceren").status_code == 302
    page = team.get(url).content.decode()
    assert "heeft gevraagd de aanbesteding te publiceren" in page
    assert "Bevestigen: aanbesteding publiceren" not in page  # not for the one who asked
    second = second_member(personas)
    from allauth.mfa.totp.internal.auth import TOTP

    from conftest import TOTP_SECRET

    TOTP.activate(second, TOTP_SECRET)
    client.force_login(second)
    assert "Bevestigen: aanbesteding publiceren" in client.get(url).content.decode()
    assert client.post(f"{url}/publiceren", {"decision": "confirm"}).status_code == 302
    assert Tender.objects.get().status == "published"
