"""The project team's reads of who took part are audited: respondents, askers (clarification
questions and the nota van inlichtingen) and talk bookings, on the pages and in the API."""

from __future__ import annotations

import pytest

from consultations.services import clarifications as clarification_services
from consultations.services import talks as talk_services
from consultations.tests.talks_helpers import MANAGE_URL, SLUG, offer
from consultations.tests.talks_helpers import _media as _media
from consultations.tests.talks_helpers import consultation as consultation
from portal.models import AuditEvent
from tests.test_query_budgets import add_enquiries, add_enquiry_rounds

pytestmark = pytest.mark.django_db
API = f"/api/v1/consultations/{SLUG}"


def _reads(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_respondents_are_read_with_an_audit_record(consultation, personas):
    team = personas["project_team"]
    client = team.client()
    assert client.get(f"/marktconsultaties/{SLUG}/reacties").status_code == 200
    assert client.get(f"{API}/responses").status_code == 200
    events = _reads("consultation.respondents_read")
    assert [(e.actor, e.data["view"]) for e in events] == [
        (team.user, "responses"),
        (team.user, "api:responses"),
    ]
    assert events[0].target_id == str(consultation.public_id)


def test_askers_are_read_with_an_audit_record(consultation, personas, supplier_x):
    question = clarification_services.clarification_ask(
        actor=personas["supplier_x"].user, consultation=consultation, text="Mag het ook later?"
    )
    client = personas["project_team"].client()
    for url in (
        f"/marktconsultaties/{SLUG}/vragen/beheer",
        f"/marktconsultaties/{SLUG}/vragen/{question.public_id}/beantwoorden",
        f"{API}/clarification-requests",
        f"{API}/clarification-requests/{question.public_id}",
    ):
        assert client.get(url).status_code == 200, url
    events = _reads("consultation.askers_read")
    assert [e.data["view"] for e in events] == [
        "clarifications",
        "clarification",
        "api:clarifications",
        "api:clarification",
    ]
    assert events[1].organisation == supplier_x
    assert events[1].target_id == str(question.public_id)


def test_talk_bookings_are_read_with_an_audit_record(consultation, personas, project_team_user):
    slot = offer(consultation, project_team_user)[0]
    talk_services.slot_book(actor=personas["supplier_x"].user, slot=slot)
    client = personas["project_team"].client()
    assert client.get(MANAGE_URL).status_code == 200
    assert client.get(f"{API}/talk-slots").status_code == 200
    events = _reads("consultation.talk_bookings_read")
    assert [e.data["view"] for e in events] == ["talks", "api:talks"]
    # A supplier reading its own booking is not such a read.
    assert personas["supplier_x"].client().get(f"{API}/talk-slots").status_code == 200
    assert len(_reads("consultation.talk_bookings_read")) == 2


def test_enquiry_askers_are_read_with_an_audit_record(personas, org_a, admin_a):
    world = {"org_a": org_a, "admin_a": admin_a}
    add_enquiries(world, 2)
    add_enquiry_rounds(world, 1)
    client = personas["project_team"].client()
    assert client.get("/programmas/gt-nvi/aanbesteding/vragen").status_code == 200
    assert client.get("/api/v1/tenders/VNG-GT-NVI-API/enquiries").status_code == 200
    assert [e.data["view"] for e in _reads("enquiry.askers_read")] == [
        "enquiries",
        "api:enquiries",
    ]
    # The public list (no askers) is not recorded.
    assert personas["anonymous"].client().get("/api/v1/tenders/VNG-GT-NVI-API/enquiries")
    assert len(_reads("enquiry.askers_read")) == 2


def test_one_enquiry_with_its_asker_is_read_with_an_audit_record(personas, org_a, admin_a):
    from tenders.models import Enquiry

    world = {"org_a": org_a, "admin_a": admin_a}
    add_enquiries(world, 1)
    add_enquiry_rounds(world, 1)
    page_enquiry = Enquiry.objects.filter(tender__programme__slug="gt-nvi").first()
    api_enquiry = Enquiry.objects.filter(tender__reference="VNG-GT-NVI-API").first()
    assert page_enquiry is not None and api_enquiry is not None
    client = personas["project_team"].client()
    page = f"/programmas/gt-nvi/aanbesteding/vragen/{page_enquiry.public_id}/beantwoorden"
    assert client.get(page).status_code == 200
    api = f"/api/v1/tenders/VNG-GT-NVI-API/enquiries/{api_enquiry.public_id}"
    assert client.get(api).status_code == 200
    events = _reads("enquiry.askers_read")
    assert [e.data["view"] for e in events] == ["enquiry", "api:enquiry"]
    assert [e.organisation for e in events] == [
        page_enquiry.organisation,
        api_enquiry.organisation,
    ]
