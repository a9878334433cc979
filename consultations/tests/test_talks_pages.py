"""The pages of 1-on-1 talks: the project team offers slots (errors next to the fields, a
wall-clock time that does not exist refused), a viewer only reads, a supplier books and
cancels with the buttons, the consultation's pages link to the talks, and list pages whose
query count does not grow with the slots."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import TalkSlot
from consultations.services import talks as services
from consultations.tests.talks_helpers import (
    AMS,
    MANAGE_URL,
    SLUG,
    SUPPLIER_URL,
    UserClient,
    day_at,
    offer,
)
from consultations.tests.talks_helpers import _media as _media
from consultations.tests.talks_helpers import consultation as consultation
from portal.models import Organisation, Role
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_project_team_offers_slots_through_the_page(consultation, personas):
    client = personas["project_team"].client()
    data = {
        "date": day_at(5, 9).strftime("%d-%m-%Y"),
        "time": "09:30",
        "length_minutes": "30",
        "count": "4",
        "break_minutes": "",
        "location": "Online",
    }
    response = client.post(MANAGE_URL, data)
    # Back to the day of the new talks.
    day = day_at(5, 9).date().isoformat()
    assert response.status_code == 302 and response["Location"] == f"{MANAGE_URL}?dag={day}"
    slots = list(consultation.talk_slots.order_by("starts_at"))
    assert len(slots) == 4
    assert timezone.localtime(slots[0].starts_at).strftime("%H:%M") == "09:30"
    assert timezone.localtime(slots[-1].starts_at).strftime("%H:%M") == "11:00"
    page = client.get(MANAGE_URL).content.decode()
    assert "09:30 tot 10:00 uur (Nederlandse tijd)</time>" in page and "Online" in page
    # Another length is refused next to the field, with the input kept; nothing is added.
    response = client.post(MANAGE_URL, {**data, "time": "14:00", "length_minutes": "60"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_length_minutes-error"' in html and "30 minuten" in html
    assert 'value="14:00"' in html
    assert consultation.talk_slots.count() == 4


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "31-02-2035"}, "date"),
        ({"time": "25:00"}, "time"),
        ({"count": "veel"}, "count"),
        ({"length_minutes": ""}, "length_minutes"),
    ],
)
def test_slot_form_errors(consultation, personas, change, field):
    data = {"date": "01-02-2035", "time": "10:00", "length_minutes": "45", "count": "2"}
    response = personas["project_team"].client().post(MANAGE_URL, {**data, **change})
    assert response.status_code == 422
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not consultation.talk_slots.exists()


def test_a_wall_clock_time_that_does_not_exist_is_refused(consultation, personas):
    consultation.closes_at = datetime(2035, 4, 30, tzinfo=AMS)
    consultation.save()
    data = {"date": "25-03-2035", "time": "02:30", "length_minutes": "45", "count": "1"}
    response = personas["project_team"].client().post(MANAGE_URL, data)
    assert response.status_code == 422
    assert 'id="id_time-error"' in response.content.decode()
    assert not consultation.talk_slots.exists()


def test_project_team_viewer_reads_the_page_but_cannot_offer(consultation, project_team_viewer):
    client = UserClient(project_team_viewer)
    assert client.get(MANAGE_URL).status_code == 200
    data = {"date": "01-02-2035", "time": "10:00", "length_minutes": "45", "count": "2"}
    assert client.post(MANAGE_URL, data).status_code == 403
    assert not consultation.talk_slots.exists()


def test_supplier_page_books_through_the_button(
    consultation, project_team_user, personas, supplier_x
):
    slots = offer(consultation, project_team_user)
    client = personas["supplier_x"].client()
    page = client.get(SUPPLIER_URL).content.decode()
    assert page.count("Boek dit gesprek") == 3
    response = client.post(
        f"/marktconsultaties/{SLUG}/gesprekken/{slots[1].public_id}/boeken", follow=True
    )
    assert response.redirect_chain == [(SUPPLIER_URL, 302)]
    html = response.content.decode()
    assert "Boek dit gesprek" not in html  # one talk per supplier
    assert "Gesprek annuleren" in html
    assert TalkSlot.objects.get(organisation=supplier_x) == slots[1]
    # Cancelled from the same page, back to it with a message; the talk is free again.
    response = client.post(
        f"/marktconsultaties/{SLUG}/gesprekken/{slots[1].public_id}/annuleren", follow=True
    )
    assert response.redirect_chain == [(SUPPLIER_URL, 302)]
    assert "De boeking is geannuleerd." in response.content.decode()
    assert not TalkSlot.objects.filter(organisation=supplier_x).exists()
    client.post(f"/marktconsultaties/{SLUG}/gesprekken/{slots[1].public_id}/boeken")
    # Supplier Y sees two free talks, not X's booking.
    other = personas["supplier_y"].client().get(SUPPLIER_URL).content.decode()
    assert other.count("Boek dit gesprek") == 2
    assert str(slots[1].public_id) not in other


def test_supplier_page_is_for_suppliers_only(consultation, personas):
    for persona in ("editor_a", "joint_body", "project_team"):
        assert personas[persona].client().get(SUPPLIER_URL).status_code == 404, persona
    assert personas["anonymous"].client().get(SUPPLIER_URL).status_code == 302
    for persona in ("supplier_x", "supplier_y", "editor_a", "joint_body"):
        assert personas[persona].client().get(MANAGE_URL).status_code == 404, persona


def test_consultation_pages_link_to_the_talks(consultation, project_team_user, personas):
    booked = offer(consultation, project_team_user)[0]
    services.slot_book(actor=personas["supplier_x"].user, slot=booked)
    manage = personas["project_team"].client().get(f"/marktconsultaties/{SLUG}/beheer")
    assert manage.context["talk_counts"] == {"total": 3, "booked": 1}
    assert MANAGE_URL in manage.content.decode()
    answers = personas["supplier_x"].client().get(f"/marktconsultaties/{SLUG}/antwoorden")
    assert SUPPLIER_URL in answers.content.decode()
    public = personas["anonymous"].client().get(f"/marktconsultaties/{SLUG}").content.decode()
    assert SUPPLIER_URL not in public and MANAGE_URL not in public


# --- Query counts -----------------------------------------------------------------------------


def add_booked_slots(consultation, n: int, *, days: int) -> None:
    """``n`` slots on another day, each booked by a supplier of its own."""
    start = day_at(days, 9)
    for i in range(n):
        supplier = OrganisationFactory(kind=Organisation.Kind.SUPPLIER)
        user = MembershipFactory(organisation=supplier, role=Role.EDITOR).user
        TalkSlot.objects.create(
            consultation=consultation,
            starts_at=start + timedelta(minutes=45 * i),
            ends_at=start + timedelta(minutes=45 * (i + 1)),
            organisation=supplier,
            booked_by=user,
            booked_at=timezone.now(),
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_project_team_page_query_count_does_not_grow(consultation, project_team_user, personas):
    client = personas["project_team"].client()
    offer(consultation, project_team_user, count=2)
    add_booked_slots(consultation, 1, days=6)
    few = count_queries(client, f"{MANAGE_URL}?dag={day_at(6, 9).date()}")
    offer(consultation, project_team_user, days=4, count=30)
    add_booked_slots(consultation, 12, days=7)
    many = count_queries(client, f"{MANAGE_URL}?dag={day_at(7, 9).date()}")
    assert consultation.talk_slots.count() == 45
    assert few == many


def test_project_team_page_shows_one_day_at_a_time(consultation, project_team_user, personas):
    """The talks of one day: by default today or the first day after it with talks; the other
    days in a list with their counts, and links to the days before and after."""
    client = personas["project_team"].client()
    offer(consultation, project_team_user, days=2, hour=9, count=2)
    offer(consultation, project_team_user, days=4, hour=13, count=3)
    add_booked_slots(consultation, 1, days=4)
    first, second = day_at(2, 9).date(), day_at(4, 9).date()

    page = client.get(MANAGE_URL)
    listing = page.context["listing"]
    assert [(d.day, d.total, d.booked) for d in listing.days] == [(first, 2, 0), (second, 4, 1)]
    assert listing.current.day == first
    assert {timezone.localtime(s.starts_at).date() for s in listing.slots} == {first}
    html = page.content.decode()
    assert f'rel="next" href="?dag={second}"' in html and 'rel="prev"' not in html
    assert "6 gesprekken op 2 dagen, 1 geboekt." in html

    page = client.get(f"{MANAGE_URL}?dag={second}")
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in page.context["slots"]] == [
        "09:00",
        "13:00",
        "13:45",
        "14:30",
    ]
    assert f'rel="prev" href="?dag={first}"' in page.content.decode()
    # An unknown or malformed day falls back to the default one.
    for day in ("2001-01-01", "morgen"):
        assert client.get(f"{MANAGE_URL}?dag={day}").context["listing"].current.day == first


def test_project_team_page_defaults_to_the_last_day_when_all_talks_are_past(
    consultation, project_team_user, personas
):
    slot = offer(consultation, project_team_user, days=2, count=1)[0]
    slot.starts_at -= timedelta(days=5)
    slot.ends_at -= timedelta(days=5)
    slot.save()
    listing = personas["project_team"].client().get(MANAGE_URL).context["listing"]
    assert [s.pk for s in listing.slots] == [slot.pk]


def test_supplier_page_query_count_does_not_grow(
    consultation, project_team_user, personas, supplier_x_user
):
    client = personas["supplier_x"].client()
    first = offer(consultation, project_team_user, count=2)[0]
    services.slot_book(actor=supplier_x_user, slot=first)
    add_booked_slots(consultation, 1, days=6)
    few = count_queries(client, SUPPLIER_URL)
    offer(consultation, project_team_user, days=4, count=30)
    add_booked_slots(consultation, 12, days=7)
    many = count_queries(client, SUPPLIER_URL)
    assert few == many
    # And with nothing booked yet (free slots with their buttons).
    services.slot_cancel(actor=supplier_x_user, slot=first)
    free_few = count_queries(client, SUPPLIER_URL)
    offer(consultation, project_team_user, days=5, count=30)
    assert count_queries(client, SUPPLIER_URL) == free_few
