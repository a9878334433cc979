"""The project team returns a participant's demand or gives it more time."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from catalog.services import catalog_load_reference
from conftest import TOTP_SECRET
from municipalities.demand_data import DemandData
from municipalities.models import Demand, Participation
from municipalities.selectors import can_edit_demand
from municipalities.services.demand import (
    demand_for_participation,
    demand_save_draft,
    demand_submit,
)
from portal.models import Role
from tenders.models import Milestone
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(participation_a, programme):
    catalog_load_reference()
    Participation.objects.filter(pk=participation_a.pk).update(status=Participation.Status.APPROVED)
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        due_at=timezone.now() + timedelta(days=10),
    )
    participation_a.refresh_from_db()
    return demand_for_participation(participation=participation_a)


@pytest.fixture
def submitted(demand, editor_a):
    demand_submit(actor=editor_a, demand=demand, revision=demand.revision)
    demand.refresh_from_db()
    return demand


@pytest.fixture
def team_viewer(project_team):
    user = MembershipFactory(
        organisation=project_team, role=Role.VIEWER, user=UserFactory(email="lezer@vng.nl")
    ).user
    TOTP.activate(user, TOTP_SECRET)  # MFA is required for the project team
    return user


def return_url(demand):
    return f"/inventarisatie/{demand.public_id}/terugsturen"


def extend_url(demand):
    return f"/inventarisatie/{demand.public_id}/verlengen"


# --- Return ----------------------------------------------------------------------------------


def test_return_form_shows(personas, submitted):
    response = personas["project_team"].client().get(return_url(submitted))
    assert response.status_code == 200
    assert 'name="comment"' in response.content.decode()


def test_return_needs_a_comment(personas, submitted, mailoutbox):
    response = personas["project_team"].client().post(return_url(submitted), {"comment": " "})
    assert response.status_code == 422
    assert "comment" in response.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.status == Demand.Status.SUBMITTED
    assert mailoutbox == []


def test_return_sends_it_back_with_a_mail(
    personas,
    submitted,
    editor_a,
    admin_a,
    viewer_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = (
            personas["project_team"]
            .client()
            .post(return_url(submitted), {"comment": "Laptops 2029 lijken te hoog."})
        )
    assert response.status_code == 302
    assert response["Location"] == f"/inventarisatie/{submitted.public_id}/"
    submitted.refresh_from_db()
    assert submitted.status == Demand.Status.RETURNED
    assert submitted.return_comment == "Laptops 2029 lijken te hoog."
    # Admins and editors of the participant, one message each; viewers are not mailed.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([editor_a.email, admin_a.email])
    assert "Laptops 2029 lijken te hoog." in mailoutbox[0].body


def test_only_a_submitted_demand_can_be_returned(personas, demand, mailoutbox):
    response = personas["project_team"].client().post(return_url(demand), {"comment": "Nee."})
    assert response.status_code == 422
    assert response.context["form"].non_field_errors()
    demand.refresh_from_db()
    assert demand.status == Demand.Status.DRAFT


# --- Extend ----------------------------------------------------------------------------------


def test_extend_form_shows_the_current_deadline(personas, demand):
    response = personas["project_team"].client().get(extend_url(demand))
    assert response.status_code == 200
    deadline = timezone.localtime(demand.deadline)
    assert response.context["form"].initial == {
        "date": f"{deadline:%d-%m-%Y}",
        "time": f"{deadline:%H:%M}",
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "", "time": "17:00", "reason": "Ziekte."}, "date"),
        ({"date": "31-02-2035", "time": "17:00", "reason": "Ziekte."}, "date"),
        ({"date": "15-06-2035", "time": "25:00", "reason": "Ziekte."}, "time"),
        ({"date": "29-03-2037", "time": "02:30", "reason": "Ziekte."}, "time"),  # clocks forward
        ({"date": "15-06-2035", "time": "17:00", "reason": ""}, "reason"),
        ({"date": "01-01-2020", "time": "17:00", "reason": "Te laat."}, "date"),  # in the past
    ],
)
def test_extend_bad_input(personas, demand, data, field, mailoutbox):
    response = personas["project_team"].client().post(extend_url(demand), data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    demand.refresh_from_db()
    assert demand.deadline_extended_until is None
    assert mailoutbox == []


def test_extension_lets_the_participant_edit_after_the_programme_deadline(
    personas, demand, programme, editor_a, mailoutbox, django_capture_on_commit_callbacks
):
    Milestone.objects.filter(programme=programme, kind=Milestone.Kind.DEMAND_DEADLINE).update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    demand = Demand.objects.get(pk=demand.pk)
    assert not can_edit_demand(user=editor_a, demand=demand)

    day = timezone.localdate() + timedelta(days=20)  # before the freeze (in 90 days)
    with django_capture_on_commit_callbacks(execute=True):
        response = (
            personas["project_team"]
            .client()
            .post(
                extend_url(demand),
                {"date": f"{day:%d-%m-%Y}", "time": "17:00", "reason": "Herindeling gemeente."},
            )
        )
    assert response.status_code == 302
    demand = Demand.objects.get(pk=demand.pk)
    local = timezone.localtime(demand.deadline_extended_until)
    assert (local.date(), local.hour, local.minute) == (day, 17, 0)
    assert demand.deadline == demand.deadline_extended_until
    assert can_edit_demand(user=editor_a, demand=demand)
    demand_save_draft(actor=editor_a, demand=demand, revision=demand.revision, data=DemandData())
    assert [m.to[0] for m in mailoutbox if "Herindeling gemeente." in m.body]
    assert f"{day.day} " in mailoutbox[0].body and "17:00" in mailoutbox[0].body


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [return_url, extend_url])
@pytest.mark.parametrize("persona", ["editor_a", "admin_a", "viewer_a"])
def test_the_participant_may_not(personas, submitted, url, persona):
    client = personas[persona].client()
    assert client.get(url(submitted)).status_code == 403
    assert client.post(url(submitted), {"comment": "x", "reason": "x"}).status_code == 403


@pytest.mark.parametrize("url", [return_url, extend_url])
def test_project_team_viewer_may_not(client, team_viewer, submitted, url):
    client.force_login(team_viewer)
    assert client.get(url(submitted)).status_code == 403
    assert client.post(url(submitted), {"comment": "x"}).status_code == 403


@pytest.mark.parametrize("url", [return_url, extend_url])
@pytest.mark.parametrize("persona", ["editor_b", "joint_body", "supplier_x"])
def test_other_tenants_get_404(personas, submitted, url, persona):
    client = personas[persona].client()
    assert client.get(url(submitted)).status_code == 404
    assert client.post(url(submitted), {"comment": "x"}).status_code == 404


@pytest.mark.parametrize("url", [return_url, extend_url])
def test_anonymous_is_sent_to_login(personas, submitted, url):
    response = personas["anonymous"].client().get(url(submitted))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_demand_is_404(personas, submitted):
    client = personas["project_team"].client()
    assert (
        client.get("/inventarisatie/00000000-0000-0000-0000-000000000000/terugsturen").status_code
        == 404
    )
