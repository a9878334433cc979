"""Consultation API, 1-on-1 talks: a supplier sees the free talks and its own booking, the
project team every talk with its supplier, municipalities get 404; the minutes linked for
the team and the booking supplier only; booking and cancelling (one talk per supplier,
editors only, the team cancels); and a constant query count of the list."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import TalkSlot
from consultations.services import talks
from consultations.tests.parts_api_helpers import (
    API,
    count_queries,
    member,
    new_supplier,
    pdf,
    post,
    problem,
    results,
)
from consultations.tests.parts_api_helpers import _media_root as _media_root
from consultations.tests.parts_api_helpers import consultation as consultation
from consultations.tests.parts_api_helpers import team_viewer as team_viewer
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

TALK = timedelta(minutes=45)


def slot(consultation, hours: int, location="VNG, Den Haag") -> TalkSlot:
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours)
    return TalkSlot.objects.create(
        consultation=consultation, starts_at=start, ends_at=start + TALK, location=location
    )


@pytest.fixture
def slots(personas, consultation):
    """Two free talks, a talk booked by X, one booked by Y and a free one in the past."""
    made = {
        "free_1": slot(consultation, 24),
        "free_2": slot(consultation, 48),
        "x": slot(consultation, 72),
        "y": slot(consultation, 96),
        "past": slot(consultation, -48),
    }
    talks.slot_book(actor=personas["supplier_x"].user, slot=made["x"])
    talks.slot_book(actor=personas["supplier_y"].user, slot=made["y"])
    return made


def ids(rows) -> list[str]:
    return [row["id"] for row in rows]


def test_a_supplier_sees_the_free_talks_and_its_own_booking(personas, slots):
    rows = results(personas["supplier_x"].client().get(f"{API}/talk-slots"))
    expected = [slots[k] for k in ("free_1", "free_2", "x")]
    assert ids(rows) == [str(s.public_id) for s in expected]
    own = rows[2]
    assert (own["isBooked"], own["supplier"], own["supplierName"]) == (
        True,
        "leverancier-x",
        "Leverancier X B.V.",
    )
    assert (rows[0]["isBooked"], rows[0]["supplier"], rows[0]["location"]) == (
        False,
        None,
        "VNG, Den Haag",
    )
    response = personas["supplier_y"].client().get(f"{API}/talk-slots")
    assert ids(results(response)) == [str(slots[k].public_id) for k in ("free_1", "free_2", "y")]
    assert "leverancier-x" not in response.content.decode()


def test_the_project_team_sees_every_talk_with_its_supplier(personas, slots):
    rows = results(personas["project_team"].client().get(f"{API}/talk-slots"))
    assert [(row["id"], row["supplier"]) for row in rows] == [
        (str(slots["past"].public_id), None),
        (str(slots["free_1"].public_id), None),
        (str(slots["free_2"].public_id), None),
        (str(slots["x"].public_id), "leverancier-x"),
        (str(slots["y"].public_id), "leverancier-y"),
    ]
    assert rows[3]["bookedAt"]


@pytest.mark.parametrize("persona", ["admin_a", "viewer_a", "editor_b", "joint_body"])
def test_talks_are_404_for_municipalities(personas, slots, persona):
    client = personas[persona].client()
    problem(client.get(f"{API}/talk-slots"), 404)
    problem(post(client, f"{API}/talk-slots/{slots['free_1'].public_id}/book"), 404)
    problem(post(client, f"{API}/talk-slots/{slots['x'].public_id}/cancel"), 404)
    assert (
        TalkSlot.objects.get(pk=slots["x"].pk).organisation == personas["supplier_x"].organisation
    )


def test_minutes_are_linked_for_the_team_and_the_booking_supplier(personas, slots):
    booked = slots["x"]
    TalkSlot.objects.filter(pk=booked.pk).update(
        starts_at=booked.starts_at - timedelta(days=4), ends_at=booked.ends_at - timedelta(days=4)
    )
    talks.minutes_attach(
        actor=personas["project_team"].user,
        slot=TalkSlot.objects.get(pk=booked.pk),
        file=pdf("verslag.pdf"),
    )
    x = personas["supplier_x"].client()
    [own] = [row for row in results(x.get(f"{API}/talk-slots")) if row["isBooked"]]
    assert own["minutesSha256"] == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert own["minutesUrl"].endswith(f"/gesprekken/{booked.public_id}/verslag/download")
    assert x.get(own["minutesUrl"]).status_code == 200
    team = results(personas["project_team"].client().get(f"{API}/talk-slots"))
    assert [row["minutesUrl"] for row in team if row["id"] == own["id"]] == [own["minutesUrl"]]
    assert all(row["minutesUrl"] is None for row in team if row["id"] != own["id"])
    # Supplier Y sees neither the talk nor its minutes.
    y = personas["supplier_y"].client()
    assert own["id"] not in ids(results(y.get(f"{API}/talk-slots")))
    assert y.get(own["minutesUrl"]).status_code == 404


def test_booking_and_cancelling_a_talk(personas, consultation):
    free_1, free_2 = slot(consultation, 24), slot(consultation, 48)
    x = personas["supplier_x"].client()
    response = post(x, f"{API}/talk-slots/{free_1.public_id}/book")
    assert response.status_code == 200, response.content
    assert (response.json()["isBooked"], response.json()["supplier"]) == (True, "leverancier-x")
    assert AuditEvent.objects.filter(action="talk.booked").count() == 1
    body = problem(post(x, f"{API}/talk-slots/{free_2.public_id}/book"), 409)
    assert body["detail"] == "Uw organisatie heeft al een gesprek geboekt."
    body = problem(post(x, f"{API}/talk-slots/{free_1.public_id}/book"), 409)
    assert body["detail"] == "U heeft dit gesprek al geboekt."
    # For supplier Y, X's booking does not exist.
    y = personas["supplier_y"].client()
    problem(post(y, f"{API}/talk-slots/{free_1.public_id}/book"), 404)
    problem(post(y, f"{API}/talk-slots/{free_1.public_id}/cancel"), 404)
    response = post(x, f"{API}/talk-slots/{free_1.public_id}/cancel")
    assert (response.status_code, response.json()["isBooked"]) == (200, False)
    assert TalkSlot.objects.get(pk=free_1.pk).organisation is None
    # A free talk is nobody's booking: the supplier may not cancel it.
    problem(post(x, f"{API}/talk-slots/{free_1.public_id}/cancel"), 403)


def test_only_editors_of_a_supplier_book_and_the_team_cancels(personas, consultation, team_viewer):
    free = slot(consultation, 24)
    viewer = member(personas["supplier_x"].organisation, Role.VIEWER, "kijker@lev-x.nl")
    assert len(results(viewer.get(f"{API}/talk-slots"))) == 1
    problem(post(viewer, f"{API}/talk-slots/{free.public_id}/book"), 403)
    team = personas["project_team"].client()
    problem(post(team, f"{API}/talk-slots/{free.public_id}/book"), 403)
    assert TalkSlot.objects.get(pk=free.pk).organisation is None
    talks.slot_book(actor=personas["supplier_y"].user, slot=free)
    problem(post(viewer, f"{API}/talk-slots/{free.public_id}/cancel"), 404)
    problem(post(team_viewer, f"{API}/talk-slots/{free.public_id}/cancel"), 403)
    response = post(team, f"{API}/talk-slots/{free.public_id}/cancel")
    assert (response.status_code, response.json()["supplier"]) == (200, None)
    event = AuditEvent.objects.get(action="talk.cancelled")
    assert event.data["by"] == "project_team"


def test_talk_lists_have_a_constant_number_of_queries(personas, slots, consultation):
    clients = {p: personas[p].client() for p in ("supplier_x", "project_team")}
    url = f"{API}/talk-slots"
    few = {p: count_queries(c, url) for p, c in clients.items()}
    for n in range(5):
        extra = slot(consultation, 120 + n)
        _org, user = new_supplier(f"Leverancier {n} B.V.")
        if n % 2:
            talks.slot_book(actor=user, slot=extra)
    many = {p: count_queries(c, url) for p, c in clients.items()}
    assert few == many
    assert len(results(clients["project_team"].get(url))) == 10
    assert len(results(clients["supplier_x"].get(url))) == 6
