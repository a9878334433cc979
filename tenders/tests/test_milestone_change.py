from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.models import AuditEvent
from tenders.models import Milestone, MilestoneChange
from tenders.tests.conftest import participate

pytestmark = pytest.mark.django_db
URL = "/programmas/gt-hardware/tijdlijn/joining_deadline/wijzigen"
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def participants(programme, towns, org_a, org_b, admin_a, editor_a, viewer_a, editor_b):
    participate(programme, org_a, [towns["a"]])
    participate(programme, org_b, [towns["b"]], "withdrawn")
    return programme


def test_form_is_prefilled_with_the_current_date(personas, programme):
    response = personas["project_team"].client().get(URL)
    assert response.status_code == 200
    deadline = programme.milestones.get().due_at.astimezone(AMS)
    assert f'value="{deadline:%d-%m-%Y}"' in response.content.decode()


def test_project_team_editor_extends_the_deadline(
    personas, participants, mailoutbox, django_capture_on_commit_callbacks
):
    client = personas["project_team"].client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {"date": "15-07-2035", "time": "17:00", "reason": "Veel gemeenten vroegen uitstel."},
        )
    assert response.status_code == 302
    assert response["Location"] == "/programmas/gt-hardware"
    milestone = Milestone.objects.get(kind="joining_deadline")
    assert milestone.due_at == datetime(2035, 7, 15, 17, 0, tzinfo=AMS)
    assert milestone.due_at.utcoffset() is not None
    change = MilestoneChange.objects.get()
    assert change.new_due_at == milestone.due_at
    assert change.reason == "Veel gemeenten vroegen uitstel."
    assert change.changed_by == personas["project_team"].user
    event = AuditEvent.objects.get(action="milestone.changed")
    assert event.actor == personas["project_team"].user
    assert event.data["reason"] == "Veel gemeenten vroegen uitstel."
    # Admins and editors of the active participant only: not its viewer, not the withdrawn B.
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == ["beheerder@aadorp.nl", "inkoper@aadorp.nl"]
    assert "Veel gemeenten vroegen uitstel." in mailoutbox[0].body
    assert "15 juli 2035" in mailoutbox[0].body


def test_winter_time_is_stored_with_its_own_offset(personas, programme):
    client = personas["project_team"].client()
    client.post(URL, {"date": "2036-01-15", "time": "23.59", "reason": "Kerstvakantie."})
    due_at = Milestone.objects.get().due_at
    assert due_at == datetime(2036, 1, 15, 22, 59, tzinfo=ZoneInfo("UTC"))


def _assert_nothing_changed(programme, before):
    assert Milestone.objects.get().due_at == before
    assert not MilestoneChange.objects.exists()
    assert not AuditEvent.objects.filter(action="milestone.changed").exists()


def test_missing_reason_changes_nothing(personas, programme, mailoutbox):
    before = Milestone.objects.get().due_at
    response = (
        personas["project_team"]
        .client()
        .post(URL, {"date": "15-07-2035", "time": "17:00", "reason": "  "})
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert 'id="id_reason-error"' in content
    assert 'href="#id_reason"' in content  # the error summary links to the field
    assert 'aria-invalid="true"' in content
    assert 'value="15-07-2035"' in content  # what the user entered is kept
    _assert_nothing_changed(programme, before)
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("date", "time", "field"),
    [
        ("15/07/2035", "17:00", "date"),
        ("31-02-2035", "17:00", "date"),
        ("15-07-2035", "5 uur", "time"),
        ("", "17:00", "date"),
        ("30-03-2036", "02:30", "time"),  # skipped when the clocks go forward
        ("01-01-2020", "17:00", "date"),  # in the past
    ],
)
def test_bad_date_or_time_changes_nothing(personas, programme, date, time, field):
    before = Milestone.objects.get().due_at
    response = (
        personas["project_team"]
        .client()
        .post(URL, {"date": date, "time": time, "reason": "Uitstel."})
    )
    assert response.status_code == 422
    assert f'id="id_{field}-error"' in response.content.decode()
    _assert_nothing_changed(programme, before)


def test_project_team_viewer_gets_403(client, project_team_viewer, programme):
    client.force_login(project_team_viewer)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"date": "15-07-2035", "time": "17:00", "reason": "Uitstel."})
    assert response.status_code == 403
    assert not MilestoneChange.objects.exists()


@pytest.mark.parametrize("persona", ["editor_a", "admin_a", "joint_body", "supplier_x"])
def test_others_get_404(personas, programme, persona):
    client = personas[persona].client()
    assert client.get(URL).status_code == 404
    response = client.post(URL, {"date": "15-07-2035", "time": "17:00", "reason": "Uitstel."})
    assert response.status_code == 404
    assert not MilestoneChange.objects.exists()


def test_unknown_milestone_kind_is_404(personas, programme):
    client = personas["project_team"].client()
    assert client.get("/programmas/gt-hardware/tijdlijn/freeze/wijzigen").status_code == 404
    assert client.get("/programmas/gt-hardware/tijdlijn/bestaat_niet/wijzigen").status_code == 404


def test_the_service_refuses_a_viewer(project_team_viewer, programme):
    from django.core.exceptions import PermissionDenied

    from tenders.services.programme import milestone_extend

    with pytest.raises(PermissionDenied):
        milestone_extend(
            actor=project_team_viewer,
            milestone=programme.milestones.get(),
            new_due_at=datetime(2035, 7, 15, 17, 0, tzinfo=AMS),
            reason="Uitstel.",
        )
