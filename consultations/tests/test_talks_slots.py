"""1-on-1 talks of a market consultation through the services and their forms: slots of
equal length without overlap, one booking per supplier (the database decides, also for
two bookings at the same moment), nothing booked after closing or after the start, and
cancelling and removing."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from consultations.models import Consultation, TalkSlot
from consultations.services import consultation as consultations
from consultations.services import talks as services
from consultations.tests.talks_helpers import (
    AMS,
    MANAGE_URL,
    SLUG,
    UserClient,
    day_at,
    make_consultation,
    move_to_past,
    offer,
    pdf,
)
from consultations.tests.talks_helpers import _media as _media
from consultations.tests.talks_helpers import consultation as consultation
from portal.models import AuditEvent, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ONE_PER_SUPPLIER_NL = "Uw organisatie heeft al een gesprek geboekt."


# --- Offering slots ---------------------------------------------------------------------------


def test_slots_follow_each_other_with_equal_length(consultation, project_team_user):
    slots = offer(consultation, project_team_user, count=3, length=45, break_minutes=15)
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in slots] == [
        "10:00",
        "11:00",
        "12:00",
    ]
    assert {s.ends_at - s.starts_at for s in slots} == {timedelta(minutes=45)}
    assert {s.location for s in slots} == {"VNG, Den Haag"}
    assert not any(s.is_booked for s in slots)
    event = AuditEvent.objects.get(action="talk.slots_created")
    assert event.data["count"] == 3 and event.data["length_minutes"] == 45


def test_every_slot_of_a_consultation_lasts_equally_long(consultation, project_team_user):
    offer(consultation, project_team_user, length=45, count=2)
    with pytest.raises(ValidationError) as exc:
        offer(consultation, project_team_user, days=4, length=60, count=2)
    assert "length_minutes" in exc.value.message_dict
    assert "45" in exc.value.message_dict["length_minutes"][0]
    assert consultation.talk_slots.count() == 2
    # The same length on another day is fine.
    offer(consultation, project_team_user, days=4, length=45, count=2)
    assert consultation.talk_slots.count() == 4


@pytest.mark.parametrize(("hour", "minute"), [(10, 30), (9, 30), (11, 0), (9, 20)])
def test_overlapping_slots_are_refused(consultation, project_team_user, hour, minute):
    offer(consultation, project_team_user, hour=10, length=45, count=2)  # 10:00–11:30
    with pytest.raises(ValidationError) as exc:
        services.slots_create(
            actor=project_team_user,
            consultation=consultation,
            first_start=day_at(3, hour, minute),
            length_minutes=45,
            count=1,
        )
    assert "time" in exc.value.message_dict
    assert consultation.talk_slots.count() == 2


def test_adjacent_slots_do_not_overlap(consultation, project_team_user):
    offer(consultation, project_team_user, hour=10, length=45, count=2)  # 10:00–11:30
    services.slots_create(
        actor=project_team_user,
        consultation=consultation,
        first_start=day_at(3, 11, 30),
        length_minutes=45,
        count=1,
    )
    services.slots_create(
        actor=project_team_user,
        consultation=consultation,
        first_start=day_at(3, 9, 15),
        length_minutes=45,
        count=1,
    )
    assert consultation.talk_slots.count() == 4


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"count": 41}, "count"),
        ({"count": 0}, "count"),
        ({"length": 5}, "length_minutes"),
        ({"length": 600}, "length_minutes"),
        ({"days": -1}, "time"),
        ({"break_minutes": 500}, "break_minutes"),
        ({"location": "x" * 201}, "location"),
    ],
)
def test_slots_create_refuses_bad_input(consultation, project_team_user, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        offer(consultation, project_team_user, **kwargs)
    assert field in exc.value.message_dict
    assert not consultation.talk_slots.exists()


def test_slots_keep_their_length_when_the_clocks_change(consultation, project_team_user):
    # Sunday 25 March 2035: the clocks go from 02:00 to 03:00.
    consultation.closes_at = datetime(2035, 4, 30, tzinfo=AMS)
    consultation.save()
    slots = services.slots_create(
        actor=project_team_user,
        consultation=consultation,
        first_start=datetime(2035, 3, 25, 1, 0, tzinfo=AMS),
        length_minutes=60,
        count=3,
    )
    assert {s.ends_at - s.starts_at for s in slots} == {timedelta(minutes=60)}
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in slots] == [
        "01:00",
        "03:00",
        "04:00",
    ]


def test_only_project_team_editors_offer_slots(
    consultation, project_team_viewer, supplier_x_user, editor_a
):
    for actor in (project_team_viewer, supplier_x_user, editor_a):
        with pytest.raises(PermissionDenied):
            offer(consultation, actor)
    assert not consultation.talk_slots.exists()


def test_a_closed_consultation_gets_no_new_slots(consultation, project_team_user):
    Consultation.objects.filter(pk=consultation.pk).update(status="closed")
    with pytest.raises(ValidationError):
        offer(consultation, project_team_user)
    assert not consultation.talk_slots.exists()


# --- Booking ----------------------------------------------------------------------------------


def test_supplier_books_a_free_slot_and_its_members_get_mail(
    consultation, project_team_user, supplier_x, supplier_x_user, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    colleague = MembershipFactory(
        organisation=supplier_x, role=Role.VIEWER, user=UserFactory(email="lezer@leverancier-x.nl")
    ).user
    slot = offer(consultation, project_team_user)[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.slot_book(actor=supplier_x_user, slot=slot)
    slot.refresh_from_db()
    assert slot.organisation == supplier_x and slot.booked_by == supplier_x_user
    assert slot.booked_at is not None
    assert [m.to for m in mailoutbox] == [["verkoop@leverancier-x.nl"]]  # editors and admins
    assert colleague.email not in str([m.to for m in mailoutbox])
    body = mailoutbox[0].body
    assert timezone.localtime(slot.starts_at).strftime("%H:%M") in body
    assert "VNG, Den Haag" in body
    assert AuditEvent.objects.filter(action="talk.booked", organisation=supplier_x).count() == 1


def test_one_talk_per_supplier(consultation, project_team_user, supplier_x, supplier_x_user):
    first, second, _ = offer(consultation, project_team_user)
    services.slot_book(actor=supplier_x_user, slot=first)
    colleague = MembershipFactory(organisation=supplier_x, role=Role.EDITOR).user
    for actor in (supplier_x_user, colleague):
        with pytest.raises(ValidationError) as exc:
            services.slot_book(actor=actor, slot=second)
        assert exc.value.messages == [ONE_PER_SUPPLIER_NL]
    second.refresh_from_db()
    assert not second.is_booked
    assert TalkSlot.objects.filter(organisation=supplier_x).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_bookings_at_the_same_moment_are_stopped_by_the_database(
    project_team_user, supplier_x, supplier_x_user
):
    """Colleague B books while A's booking is not committed yet: B's check sees no booking,
    so only the unique constraint can stop B; B waits for A's commit and is then refused."""
    consultation = make_consultation(project_team_user)
    first, second, _ = offer(consultation, project_team_user)
    colleague = MembershipFactory(organisation=supplier_x, role=Role.EDITOR).user
    outcome: dict = {}

    def book_second():
        try:
            services.slot_book(actor=colleague, slot=second)
            outcome["booked"] = True
        except ValidationError as exc:
            outcome["error"] = exc.messages
        finally:
            connection.close()

    with transaction.atomic():
        services.slot_book(actor=supplier_x_user, slot=first)
        other = threading.Thread(target=book_second)
        other.start()
        # Wait (without asserting on time) until the other booking waits for this one's lock.
        for _ in range(400):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
                if cursor.fetchone()[0] or not other.is_alive():
                    break
            time.sleep(0.05)
    other.join()
    assert outcome == {"error": [ONE_PER_SUPPLIER_NL]}
    assert list(TalkSlot.objects.filter(organisation=supplier_x)) == [first]


def test_a_taken_slot_cannot_be_booked(
    consultation, project_team_user, supplier_x_user, supplier_y_user, supplier_x
):
    slot = offer(consultation, project_team_user)[0]
    services.slot_book(actor=supplier_x_user, slot=slot)
    with pytest.raises(ValidationError) as exc:
        services.slot_book(actor=supplier_y_user, slot=slot)
    assert "Another supplier" in exc.value.messages[0] or "Een andere" in exc.value.messages[0]
    slot.refresh_from_db()
    assert slot.organisation == supplier_x
    # Through the web: the slot no longer exists for supplier Y.
    url = f"/marktconsultaties/{SLUG}/gesprekken/{slot.public_id}/boeken"
    client = UserClient(supplier_y_user)
    assert client.post(url).status_code == 404
    assert TalkSlot.objects.get(pk=slot.pk).organisation == supplier_x


def test_booking_after_closing_is_refused(consultation, project_team_user, supplier_x_user):
    slot = offer(consultation, project_team_user, days=40)[0]
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    consultations.consultation_close(actor=project_team_user, consultation=consultation)
    with pytest.raises(ValidationError):
        services.slot_book(actor=supplier_x_user, slot=slot)
    response = UserClient(supplier_x_user).post(
        f"/marktconsultaties/{SLUG}/gesprekken/{slot.public_id}/boeken", follow=True
    )
    assert "niet meer worden geboekt" in response.content.decode()
    assert not TalkSlot.objects.get(pk=slot.pk).is_booked


def test_a_started_slot_cannot_be_booked(consultation, project_team_user, supplier_x_user):
    slot = move_to_past(offer(consultation, project_team_user)[0])
    with pytest.raises(ValidationError):
        services.slot_book(actor=supplier_x_user, slot=slot)
    assert not TalkSlot.objects.get(pk=slot.pk).is_booked


def test_only_supplier_editors_book(
    consultation, project_team_user, supplier_x, editor_a, personas
):
    slot = offer(consultation, project_team_user)[0]
    viewer = MembershipFactory(organisation=supplier_x, role=Role.VIEWER).user
    for actor in (viewer, editor_a, project_team_user):
        with pytest.raises(PermissionDenied):
            services.slot_book(actor=actor, slot=slot)
    url = f"/marktconsultaties/{SLUG}/gesprekken/{slot.public_id}/boeken"
    assert UserClient(viewer).post(url).status_code == 403
    assert personas["editor_a"].client().post(url).status_code == 404
    assert personas["project_team"].client().post(url).status_code == 403
    assert not TalkSlot.objects.get(pk=slot.pk).is_booked


def test_booking_a_slot_removed_a_moment_ago_is_refused(
    consultation, project_team_user, supplier_x_user
):
    slot = offer(consultation, project_team_user)[0]
    TalkSlot.objects.get(pk=slot.pk).delete()  # the project team removed it meanwhile
    with pytest.raises(ValidationError):
        services.slot_book(actor=supplier_x_user, slot=slot)
    assert not TalkSlot.objects.filter(organisation__isnull=False).exists()


# --- Cancelling and removing ------------------------------------------------------------------


def test_supplier_cancels_its_booking_before_the_start(
    consultation, project_team_user, supplier_x_user, supplier_y_user, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    slot = offer(consultation, project_team_user)[0]
    services.slot_book(actor=supplier_x_user, slot=slot)
    with pytest.raises(PermissionDenied):
        services.slot_cancel(actor=supplier_y_user, slot=slot)
    with django_capture_on_commit_callbacks(execute=True):
        services.slot_cancel(actor=supplier_x_user, slot=slot)
    slot.refresh_from_db()
    assert not slot.is_booked and slot.booked_by is None and slot.booked_at is None
    assert mailoutbox == []  # the supplier cancelled itself
    assert AuditEvent.objects.get(action="talk.cancelled").data["by"] == "supplier"
    # Free again: supplier Y can book it now.
    services.slot_book(actor=supplier_y_user, slot=slot)


def test_supplier_cannot_cancel_a_started_talk(consultation, project_team_user, supplier_x_user):
    slot = offer(consultation, project_team_user)[0]
    services.slot_book(actor=supplier_x_user, slot=slot)
    move_to_past(slot)
    with pytest.raises(ValidationError):
        services.slot_cancel(actor=supplier_x_user, slot=slot)
    assert TalkSlot.objects.get(pk=slot.pk).is_booked


def test_project_team_cancels_and_the_supplier_is_told(
    consultation, project_team_user, supplier_x_user, mailoutbox, personas,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    slot = offer(consultation, project_team_user)[0]
    services.slot_book(actor=supplier_x_user, slot=slot)
    mailoutbox.clear()
    url = f"/marktconsultaties/{SLUG}/gesprekken/{slot.public_id}/annuleren"
    with django_capture_on_commit_callbacks(execute=True):
        response = personas["project_team"].client().post(url)
    # Back to the day of the talk.
    day = timezone.localdate(slot.starts_at).isoformat()
    assert response.status_code == 302 and response["Location"] == f"{MANAGE_URL}?dag={day}"
    assert not TalkSlot.objects.get(pk=slot.pk).is_booked
    assert [m.to for m in mailoutbox] == [["verkoop@leverancier-x.nl"]]
    assert "geannuleerd" in mailoutbox[0].subject


def test_a_talk_with_minutes_cannot_be_cancelled(consultation, project_team_user, supplier_x_user):
    slot = offer(consultation, project_team_user)[0]
    services.slot_book(actor=supplier_x_user, slot=slot)
    services.minutes_attach(actor=project_team_user, slot=move_to_past(slot), file=pdf())
    with pytest.raises(ValidationError):
        services.slot_cancel(actor=project_team_user, slot=slot)
    assert TalkSlot.objects.get(pk=slot.pk).is_booked


def test_only_free_slots_are_removed(consultation, project_team_user, supplier_x_user, personas):
    booked, free, third = offer(consultation, project_team_user)
    services.slot_book(actor=supplier_x_user, slot=booked)
    with pytest.raises(ValidationError):
        services.slot_delete(actor=project_team_user, slot=booked)
    client = personas["project_team"].client()
    response = client.post(f"/marktconsultaties/{SLUG}/gesprekken/{free.public_id}/verwijderen")
    assert response.status_code == 302
    assert set(consultation.talk_slots.values_list("pk", flat=True)) == {booked.pk, third.pk}
    assert AuditEvent.objects.filter(action="talk.slot_deleted").count() == 1
