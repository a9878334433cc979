"""1-on-1 talks of a market consultation: slots of equal length without overlap, one booking
per supplier (the database decides, also for two bookings at the same moment), minutes for the
project team and the booking supplier only, nothing booked after closing, and list pages whose
query count does not grow with the slots."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.models import Consultation, TalkSlot
from consultations.services import consultation as consultations
from consultations.services import talks as services
from portal.models import AuditEvent, Organisation, Role
from tenders.tests.conftest import open_consultation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
SLUG = "mc-talks"
SUPPLIER_URL = f"/marktconsultaties/{SLUG}/gesprekken"
MANAGE_URL = f"/marktconsultaties/{SLUG}/gesprekken/beheer"
ONE_PER_SUPPLIER_NL = "Uw organisatie heeft al een gesprek geboekt."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_consultation(actor) -> Consultation:
    """A published, open consultation with a published questionnaire."""
    return open_consultation(actor, slug=SLUG, programme_slug="gt-talks", question_text="?")


@pytest.fixture
def consultation(project_team_user):
    return make_consultation(project_team_user)


def day_at(days: int, hour: int, minute: int = 0) -> datetime:
    """A Dutch wall-clock time ``days`` from today."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


def offer(consultation, actor, *, days=3, hour=10, length=45, count=3, **kwargs):
    return services.slots_create(
        actor=actor,
        consultation=consultation,
        first_start=day_at(days, hour),
        length_minutes=length,
        count=count,
        location=kwargs.pop("location", "VNG, Den Haag"),
        **kwargs,
    )


def move_to_past(slot: TalkSlot) -> TalkSlot:
    """Let a talk have taken place (the scene for minutes): two hours ago."""
    length = slot.ends_at - slot.starts_at
    slot.starts_at = timezone.now() - timedelta(hours=2)
    slot.ends_at = slot.starts_at + length
    slot.save(update_fields=["starts_at", "ends_at"])
    return slot


def pdf(content: bytes = PDF, name: str = "verslag.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


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
    assert response.status_code == 302 and response["Location"] == MANAGE_URL
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


# --- Minutes ----------------------------------------------------------------------------------


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


# --- Pages ------------------------------------------------------------------------------------


class UserClient:
    """A logged-in test client for a user that is not one of the personas."""

    def __new__(cls, user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        return client


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
    assert response.status_code == 302 and response["Location"] == MANAGE_URL
    slots = list(consultation.talk_slots.order_by("starts_at"))
    assert len(slots) == 4
    assert timezone.localtime(slots[0].starts_at).strftime("%H:%M") == "09:30"
    assert timezone.localtime(slots[-1].starts_at).strftime("%H:%M") == "11:00"
    page = client.get(MANAGE_URL).content.decode()
    assert "09:30</time>–10:00 uur" in page and "Online" in page
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
    few = count_queries(client, MANAGE_URL)
    offer(consultation, project_team_user, days=4, count=30)
    add_booked_slots(consultation, 12, days=7)
    many = count_queries(client, MANAGE_URL)
    assert consultation.talk_slots.count() == 45
    assert few == many


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
