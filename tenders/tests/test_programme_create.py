"""The project team creates a programme (joint tender) with its timeline, in Dutch time."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent, Role
from tenders.models import Milestone, Programme
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
URL = reverse("tenders:programme-create")


def data(**extra):
    values = {
        "name": "GT Print 2030",
        "slug": "",
        "description": "Printers en multifunctionals.",
        "status": "joining",
        "contract_start_year": "2030",
        "contract_years": "4",
        "joining_deadline_date": "29-01-2030",
        "joining_deadline_time": "",
        "demand_deadline_date": "28-06-2030",
        "demand_deadline_time": "12.00",
    }
    values.update(extra)
    return values


def test_project_team_creates_programme_with_timeline(personas):
    response = personas["project_team"].client().post(URL, data())
    assert response.status_code == 302
    programme = Programme.objects.get(slug="gt-print-2030")
    assert programme.years == [2030, 2031, 2032, 2033]
    deadlines = {m.kind: m.due_at for m in programme.milestones.all()}
    # 17:00 in winter is 16:00 UTC; 12:00 in summer is 10:00 UTC.
    assert deadlines[Milestone.Kind.JOINING_DEADLINE] == datetime(2030, 1, 29, 16, 0, tzinfo=UTC)
    assert deadlines[Milestone.Kind.DEMAND_DEADLINE] == datetime(2030, 6, 28, 10, 0, tzinfo=UTC)
    assert set(deadlines) == {"joining_deadline", "demand_deadline"}
    assert AuditEvent.objects.filter(action="programme.created").count() == 1
    assert response["Location"] == reverse("tenders:programme-detail", args=["gt-print-2030"])
    # Empty kinds: a sub-central authority buying supplies (the threshold the aggregation uses).
    assert (programme.authority_type, programme.contract_type) == ("sub_central", "supplies")


def test_the_kind_of_authority_and_contract_are_recorded(personas):
    response = (
        personas["project_team"]
        .client()
        .post(URL, data(authority_type="central", contract_type="services"))
    )
    assert response.status_code == 302
    programme = Programme.objects.get(slug="gt-print-2030")
    assert (programme.authority_type, programme.contract_type) == ("central", "services")
    bad = personas["project_team"].client().post(URL, data(slug="x", contract_type="bouw"))
    assert bad.status_code == 422 and "contract_type" in bad.context["form"].errors


def test_bad_input_shows_errors_and_creates_nothing(personas):
    response = (
        personas["project_team"]
        .client()
        .post(
            URL,
            data(
                name="",
                contract_start_year="twintig",
                joining_deadline_date="31-02-2030",
                demand_deadline_date="31-03-2030",
                demand_deadline_time="02:30",
            ),
        )
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"name", "contract_start_year", "joining_deadline_date", "demand_deadline_time"} <= set(
        errors
    )
    assert "twintig" in response.content.decode()
    assert not Programme.objects.exists()


def test_duplicate_short_name_is_refused(personas):
    client = personas["project_team"].client()
    assert client.post(URL, data()).status_code == 302
    response = client.post(URL, data())
    assert response.status_code == 422
    assert "slug" in response.context["form"].errors
    assert Programme.objects.count() == 1


def test_project_team_viewer_may_not_create(project_team):
    viewer = MembershipFactory(organisation=project_team, role=Role.VIEWER).user
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(viewer, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data()).status_code == 403
    assert not Programme.objects.exists()


@pytest.mark.parametrize("persona", ["editor_a", "joint_body", "supplier_x"])
def test_others_do_not_find_it(personas, persona):
    assert personas[persona].client().get(URL).status_code == 404
