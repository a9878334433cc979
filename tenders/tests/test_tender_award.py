# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""After publication: closed when the bid deadline passes, the award decision per lot with a
standstill of 20 calendar days, awarded after it, or cancelled with a reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tenders.models import OcdsRelease, Tender, TenderAward, TenderEvent
from tenders.services.award import (
    tender_award_decision,
    tender_award_final,
    tender_cancel,
    tenders_close_due,
)
from tenders.services.tender import tender_create
from tenders.tests.test_aggregation import run_now, setup, submit  # noqa: F401
from tenders.tests.test_freeze import frozen

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(setup, personas):
    frozen(setup, personas)
    tender = tender_create(actor=personas["project_team"].user, programme=setup["programme"])
    Tender.objects.filter(pk=tender.pk).update(
        status="published", bid_deadline_at=timezone.now() - timedelta(minutes=1)
    )
    tender.refresh_from_db()
    return tender


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_a_tender_closes_when_its_bid_deadline_passes_once(published):
    Tender.objects.filter(pk=published.pk).update(
        bid_deadline_at=timezone.now() + timedelta(hours=1)
    )
    assert tenders_close_due() == 0
    assert tenders_close_due(now=timezone.now() + timedelta(hours=2)) == 1
    assert tenders_close_due(now=timezone.now() + timedelta(hours=3)) == 0
    published.refresh_from_db()
    assert published.status == "closed"
    assert list(TenderEvent.objects.values_list("status", flat=True)) == ["closed"]
    # The open data gets a release for the step (OCDS keeps the tender "active" until it ends).
    release = OcdsRelease.objects.get(tender=published)
    assert release.tags == ["tenderUpdate"]
    assert release.data["tender"]["tenderPeriod"]["endDate"]


def test_the_award_decision_names_a_supplier_per_lot_and_starts_the_standstill(
    published, personas, supplier_x, supplier_y, org_a
):
    actor = personas["project_team"].user
    with pytest.raises(ValidationError) as excinfo:
        tender_award_decision(actor=actor, tender=published, awards={1: [supplier_x]})
    assert "volgt op het sluiten van de inschrijving" in messages_of(excinfo)
    tenders_close_due()
    with pytest.raises(ValidationError) as excinfo:
        tender_award_decision(actor=actor, tender=published, awards={1: [supplier_x]})
    assert "Kies ten minste één leverancier voor perceel 2." in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        tender_award_decision(actor=actor, tender=published, awards={1: [org_a], 2: [supplier_y]})
    assert "Alleen leveranciers kunnen een perceel gegund krijgen." in messages_of(excinfo)
    assert not TenderAward.objects.exists()
    before = timezone.now()
    tender = tender_award_decision(
        actor=actor, tender=published, awards={1: [supplier_x, supplier_y], 2: [supplier_y]}
    )
    assert tender.status == "award_decision"
    assert tender.standstill_end_at >= before + timedelta(days=20)
    assert TenderAward.objects.filter(lot__number=1).count() == 2

    with pytest.raises(ValidationError) as excinfo:
        tender_award_final(actor=actor, tender=tender)
    assert "De opschortende termijn loopt tot" in messages_of(excinfo)
    Tender.objects.filter(pk=tender.pk).update(
        standstill_end_at=timezone.now() - timedelta(seconds=1)
    )
    assert tender_award_final(actor=actor, tender=tender).status == "awarded"
    statuses = list(TenderEvent.objects.values_list("status", flat=True))
    assert statuses == ["closed", "award_decision", "awarded"]
    # The open data: a release per step; the award names the suppliers per lot, in rank order.
    releases = list(OcdsRelease.objects.filter(tender=tender).order_by("number"))
    assert [r.tags for r in releases] == [["tenderUpdate"], ["award"], ["awardUpdate"]]
    decision, final = releases[1].data, releases[2].data
    assert [(a["relatedLots"], a["status"]) for a in decision["awards"]] == [
        (["1"], "pending"),
        (["2"], "pending"),
    ]
    assert [s["name"] for s in decision["awards"][0]["suppliers"]] == [
        supplier_x.name,
        supplier_y.name,
    ]
    suppliers = [p for p in decision["parties"] if "supplier" in p["roles"]]
    assert {p["name"] for p in suppliers} == {supplier_x.name, supplier_y.name}
    assert {a["status"] for a in final["awards"]} == {"active"}


def test_cancelling_needs_a_reason_and_is_final(published, personas):
    actor = personas["project_team"].user
    with pytest.raises(ValidationError) as excinfo:
        tender_cancel(actor=actor, tender=published, reason=" ")
    assert "Geef de reden om de aanbesteding in te trekken." in messages_of(excinfo)
    tender_cancel(actor=actor, tender=published, reason="Budget vervallen")
    published.refresh_from_db()
    assert published.status == "cancelled"
    release = OcdsRelease.objects.get(tender=published)
    assert release.tags == ["tenderCancellation"]
    assert release.data["tender"]["status"] == "cancelled"
    with pytest.raises(ValidationError):
        tender_cancel(actor=actor, tender=published, reason="nogmaals")
