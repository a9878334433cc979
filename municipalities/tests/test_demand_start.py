"""Starting the demand inventory writes only on POST: a GET (a link, a prefetch) shows the
start page or goes to the inventory already started."""

from __future__ import annotations

import pytest

from municipalities.models import Demand, Participation
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(participation_a):
    Participation.objects.filter(pk=participation_a.pk).update(status="approved")
    participation_a.refresh_from_db()
    return participation_a


def _url(participation) -> str:
    return f"/deelnames/{participation.public_id}/inventarisatie"


def test_a_get_starts_nothing(approved, personas):
    for persona in ("editor_a", "viewer_a", "project_team"):
        response = personas[persona].client().get(_url(approved))
        assert response.status_code == 200, persona
    assert not Demand.objects.filter(participation=approved).exists()
    assert not AuditEvent.objects.filter(action="demand.started").exists()
    button = '<form method="post" class="portal-form">'
    assert button in personas["editor_a"].client().get(_url(approved)).content.decode()
    assert button not in personas["viewer_a"].client().get(_url(approved)).content.decode()


def test_the_button_starts_the_inventory_once(approved, personas, editor_a):
    client = personas["editor_a"].client()
    detail = client.get(f"/deelnames/{approved.public_id}/").content.decode()
    assert f'action="{_url(approved)}"' in detail  # one click from the registration
    response = client.post(_url(approved))
    demand = Demand.objects.get(participation=approved)
    assert response.status_code == 302
    assert response["Location"] == f"/inventarisatie/{demand.public_id}/"
    event = AuditEvent.objects.get(action="demand.started")
    assert event.actor == editor_a and event.target_id == str(demand.public_id)
    # Started: the GET and the registration's link go straight to it, nothing more written.
    assert client.get(_url(approved))["Location"] == f"/inventarisatie/{demand.public_id}/"
    assert client.post(_url(approved)).status_code == 302
    assert Demand.objects.filter(participation=approved).count() == 1
    assert AuditEvent.objects.filter(action="demand.started").count() == 1
    detail = client.get(f"/deelnames/{approved.public_id}/").content.decode()
    assert f'href="/inventarisatie/{demand.public_id}/"' in detail


@pytest.mark.parametrize(("persona", "status"), [("viewer_a", 403), ("project_team", 403)])
def test_only_the_participants_editors_start_it(approved, personas, persona, status):
    assert personas[persona].client().post(_url(approved)).status_code == status
    assert not Demand.objects.filter(participation=approved).exists()


def test_not_before_approval(participation_a, personas):
    assert personas["editor_a"].client().post(_url(participation_a)).status_code == 404
    assert not Demand.objects.exists()
