"""The minutes of a 1-on-1 talk: attached by the project team to a booked talk once it has
started, a PDF only, and read by the project team and the booking supplier only."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from consultations.services import talks as services
from consultations.tests.talks_helpers import PDF, SLUG, SUPPLIER_URL, move_to_past, offer, pdf
from consultations.tests.talks_helpers import _media as _media
from consultations.tests.talks_helpers import consultation as consultation
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_minutes_are_attached_to_a_booked_talk_after_it_started(
    consultation, project_team_user, supplier_x_user
):
    booked, free, _ = offer(consultation, project_team_user)
    services.slot_book(actor=supplier_x_user, slot=booked)
    with pytest.raises(ValidationError) as exc:
        services.minutes_attach(actor=project_team_user, slot=booked, file=pdf())
    assert "file" in exc.value.message_dict  # not started yet
    with pytest.raises(ValidationError):
        services.minutes_attach(actor=project_team_user, slot=move_to_past(free), file=pdf())
    move_to_past(booked)
    with pytest.raises(PermissionDenied):
        services.minutes_attach(actor=supplier_x_user, slot=booked, file=pdf())
    services.minutes_attach(actor=project_team_user, slot=booked, file=pdf())
    booked.refresh_from_db()
    assert booked.minutes_sha256 == hashlib.sha256(PDF).hexdigest()
    assert booked.minutes.read() == PDF
    event = AuditEvent.objects.get(action="talk.minutes_attached")
    assert event.data["sha256"] == booked.minutes_sha256


@pytest.mark.parametrize(
    "content", [b"GIF89a not a pdf", b"", b"%PDF-1.4 truncated without end marker"]
)
def test_minutes_must_be_a_pdf(consultation, project_team_user, supplier_x_user, personas, content):
    slot = offer(consultation, project_team_user)[0]
    services.slot_book(actor=supplier_x_user, slot=slot)
    move_to_past(slot)
    url = f"/marktconsultaties/{SLUG}/gesprekken/{slot.public_id}/verslag"
    response = personas["project_team"].client().post(url, {"file": pdf(content, "x.pdf")})
    assert response.status_code == 422
    assert 'id="id_file-error"' in response.content.decode()
    slot.refresh_from_db()
    assert not slot.minutes and slot.minutes_sha256 == ""


@pytest.fixture
def talk_with_minutes(consultation, project_team_user, supplier_x_user):
    slot = offer(consultation, project_team_user)[0]
    services.slot_book(actor=supplier_x_user, slot=slot)
    services.minutes_attach(actor=project_team_user, slot=move_to_past(slot), file=pdf())
    return slot


def test_minutes_are_read_by_the_project_team_and_the_booking_supplier_only(
    talk_with_minutes, personas
):
    url = f"/marktconsultaties/{SLUG}/gesprekken/{talk_with_minutes.public_id}/verslag/download"
    for persona in ("project_team", "supplier_x"):
        response = personas[persona].client().get(url)
        assert response.status_code == 200, persona
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == PDF
    for persona in ("supplier_y", "editor_a", "joint_body"):
        assert personas[persona].client().get(url).status_code == 404, persona
    response = personas["anonymous"].client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_supplier_x_sees_its_minutes_supplier_y_sees_nothing_of_it(talk_with_minutes, personas):
    own = personas["supplier_x"].client().get(SUPPLIER_URL).content.decode()
    assert "verslag/download" in own
    other = personas["supplier_y"].client().get(SUPPLIER_URL).content.decode()
    assert str(talk_with_minutes.public_id) not in other
    assert "Leverancier X" not in other
