"""Reminders before the demand deadline: scheduled ones to every approved participant whose
demand is not submitted (at its members, or its contacts when it has none), once per number
of days; and the project team's reminder by hand from the demand overview."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from municipalities.models import (
    Demand,
    JointBodyMunicipality,
    Municipality,
    OrganisationContact,
    Participation,
)
from portal.models import AuditEvent, Membership, Organisation
from tenders.models import Milestone, Programme, Reminder
from tenders.services.demand_reminders import demand_reminders_send
from tenders.tasks import reminders_send_task
from tenders.tests.conftest import participate

pytestmark = pytest.mark.django_db
S = Participation.Status
KIND = Milestone.Kind.DEMAND_DEADLINE
OVERVIEW = "/programmas/gt-hardware/inventarisatie"
REMIND = OVERVIEW + "/herinneren"


@pytest.fixture
def inventory(programme, towns, personas, joint_body):
    """The programme collects demand (deadline in 10 days). A and the joint body (for C) are
    approved and have not submitted; B submitted its demand."""
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.INVENTORY)
    Milestone.objects.filter(programme=programme, kind="joining_deadline").update(
        due_at=timezone.now() - timedelta(days=1)
    )
    Milestone.objects.create(
        programme=programme, kind=KIND, due_at=timezone.now() + timedelta(days=10)
    )
    JointBodyMunicipality.objects.create(joint_body=joint_body, municipality=towns["c"])
    a = participate(programme, personas["admin_a"].organisation, [towns["a"]], S.APPROVED)
    b = participate(programme, personas["editor_b"].organisation, [towns["b"]], S.APPROVED)
    jb = participate(programme, joint_body, [towns["c"]], S.APPROVED)
    Demand.objects.create(participation=jb, status=Demand.Status.DRAFT)
    Demand.objects.create(participation=b, status=Demand.Status.SUBMITTED)
    return {"a": a, "b": b, "jb": jb}


def recipients(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


def run(capture, **kwargs) -> int:
    with capture(execute=True):
        return demand_reminders_send(**kwargs)


def test_participants_that_did_not_submit_are_reminded_once(
    settings, inventory, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [14, 3]
    assert run(django_capture_on_commit_callbacks) == 2  # A and the joint body, not B
    assert recipients(mailoutbox) == ["beheerder@aadorp.nl", "inkoper@aadorp.nl", "inkoper@duo.nl"]
    mail = next(m for m in mailoutbox if m.to == ["inkoper@duo.nl"])
    assert "inventarisatie" in mail.subject.lower() and "GT Hardware" in mail.subject
    assert "nog niet verstuurd" in mail.body and "- Cadorp" in mail.body  # the towns covered
    assert settings.PORTAL_NAME in mail.body and settings.PORTAL_BASE_URL in mail.body
    assert f"/inventarisatie/{inventory['jb'].demand.public_id}" in mail.body
    assert set(Reminder.objects.values_list("kind", "days_before")) == {(KIND, 14)}
    # Once: a second (or concurrent) run sends nothing.
    assert run(django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 3
    # Closer to the deadline the next one goes out, once; a submitted demand ends them.
    Demand.objects.filter(participation=inventory["jb"]).update(status=Demand.Status.SUBMITTED)
    Milestone.objects.filter(kind=KIND).update(due_at=timezone.now() + timedelta(days=2))
    assert run(django_capture_on_commit_callbacks) == 1
    assert run(django_capture_on_commit_callbacks) == 0
    assert Reminder.objects.filter(kind=KIND, days_before=3).get().organisation.slug == (
        inventory["a"].organisation.slug
    )


def test_the_participants_own_deadline_counts(
    settings, inventory, mailoutbox, django_capture_on_commit_callbacks
):
    """A participant given more time is reminded before its own deadline, not the programme's."""
    settings.REMINDER_DAYS_BEFORE = [14]
    Demand.objects.filter(participation=inventory["jb"]).update(
        deadline_extended_until=timezone.now() + timedelta(days=30)
    )
    assert run(django_capture_on_commit_callbacks) == 1
    assert "inkoper@duo.nl" not in recipients(mailoutbox)


def test_a_participant_without_users_is_reminded_at_its_contacts(
    settings, inventory, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [14]
    organisation = inventory["a"].organisation
    Membership.objects.filter(organisation=organisation).delete()
    OrganisationContact.objects.create(
        organisation=organisation, email="info@aadorp.nl", kind=OrganisationContact.Kind.GENERAL
    )
    # The contact of an organisation with members is not written to: its members are.
    OrganisationContact.objects.create(organisation=inventory["jb"].organisation, email="x@duo.nl")
    assert run(django_capture_on_commit_callbacks) == 2
    assert recipients(mailoutbox) == ["info@aadorp.nl", "inkoper@duo.nl"]


@pytest.mark.parametrize(
    "change",
    [
        {"status": Programme.Status.DRAFT},
        {"status": Programme.Status.FROZEN},
        {"frozen_at": timezone.now()},
    ],
)
def test_no_reminders_where_no_demand_is_collected(
    settings, inventory, mailoutbox, django_capture_on_commit_callbacks, change
):
    settings.REMINDER_DAYS_BEFORE = [14]
    Programme.objects.update(**change)
    assert run(django_capture_on_commit_callbacks) == 0
    assert not Reminder.objects.exists()


def test_no_reminders_after_the_deadline_or_long_before_it(
    settings, inventory, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [3]
    assert run(django_capture_on_commit_callbacks) == 0
    Milestone.objects.filter(kind=KIND).update(due_at=timezone.now() - timedelta(hours=1))
    assert run(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_the_hourly_task_sends_the_demand_reminders_too(settings, inventory, mailoutbox):
    settings.REMINDER_DAYS_BEFORE = [14]
    assert reminders_send_task.apply().get() == 2
    assert Reminder.objects.filter(kind=KIND).count() == 2


@pytest.mark.celery
def test_the_beat_entry_reminds_through_the_worker(celery_worker, inventory):
    """As beat sends it, to a real worker (with the default schedule: 14 and 3 days)."""
    from django.conf import settings

    from config.celery import app as celery_app
    from portal.models import OutboxMessage

    celery_app.loader.import_default_modules()
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == reminders_send_task.name
    )
    celery_app.tasks[entry["task"]].apply_async(**entry.get("options", {}))
    celery_worker.wait_for(
        lambda: Reminder.objects.filter(kind=KIND).count() == 2, what="the demand reminders"
    )
    assert set(Reminder.objects.values_list("days_before", flat=True)) == {14}
    mailed = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert mailed == {"beheerder@aadorp.nl", "inkoper@aadorp.nl", "inkoper@duo.nl"}


# --- By hand from the demand overview --------------------------------------------------------


def test_the_overview_offers_to_remind_those_that_did_not_submit(personas, inventory):
    page = personas["project_team"].client().get(OVERVIEW).content.decode()
    assert 'action="/programmas/gt-hardware/inventarisatie/herinneren"' in page
    assert f'value="{inventory["a"].public_id}"' in page
    assert f'value="{inventory["jb"].public_id}"' in page
    assert f'value="{inventory["b"].public_id}"' not in page  # submitted


def test_remind_the_selected_participants(
    personas, inventory, mailoutbox, django_capture_on_commit_callbacks
):
    client = personas["project_team"].client()
    chosen = [str(inventory[key].public_id) for key in ("a", "b")] + ["not-an-id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REMIND, {"deelnemer": chosen, "terug": OVERVIEW + "?status=draft"})
    assert response.status_code == 302 and response["Location"] == OVERVIEW + "?status=draft"
    assert recipients(mailoutbox) == ["beheerder@aadorp.nl", "inkoper@aadorp.nl"]
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.sent_by) == (KIND, personas["project_team"].user)
    event = AuditEvent.objects.get(action="reminder.sent_by_hand")
    assert event.data["kind"] == KIND
    page = client.get(OVERVIEW).content.decode()
    assert "Herinnering verstuurd" in page or "Herinneringen verstuurd" in page
    assert "Gemeente Bedum (heeft de inventarisatie verstuurd)" in page
    # At most once a day by hand.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, {"deelnemer": chosen[:1]})
    assert Reminder.objects.count() == 1 and len(mailoutbox) == 2


def test_remind_refuses_too_many_none_and_a_frozen_inventory(personas, programme, inventory):
    client = personas["project_team"].client()
    ids = [str(inventory["a"].public_id)]
    too_many = client.post(REMIND, {"deelnemer": [f"x{i}" for i in range(51)]}, follow=True)
    assert "maximaal 50" in too_many.content.decode()
    assert "Selecteer ten minste" in client.post(REMIND, {}, follow=True).content.decode()
    Programme.objects.update(frozen_at=timezone.now())
    client.post(REMIND, {"deelnemer": ids})
    assert not Reminder.objects.exists()
    assert 'action="/programmas/gt-hardware/inventarisatie/herinneren"' not in (
        client.get(OVERVIEW).content.decode()
    )


def test_project_team_viewers_may_not_remind(client, project_team_viewer, inventory):
    client.force_login(project_team_viewer)
    assert client.post(REMIND, {"deelnemer": [str(inventory["a"].public_id)]}).status_code == 403
    assert client.get(REMIND).status_code == 405
    assert "herinneren" not in client.get(OVERVIEW).content.decode()


@pytest.mark.parametrize("persona", ["admin_a", "editor_b", "supplier_x", "joint_body"])
def test_outside_the_project_team_remind_is_404(personas, inventory, persona):
    response = personas[persona].client().post(REMIND, {"deelnemer": [str(inventory["a"].pk)]})
    assert response.status_code == 404
    assert not Reminder.objects.exists()


def test_remind_query_count_does_not_grow_with_the_participants(
    personas, programme, inventory, django_capture_on_commit_callbacks
):
    client = personas["project_team"].client()
    client.get(OVERVIEW)  # warm up the session

    def count(key):
        Reminder.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            client.post(REMIND, {"deelnemer": [str(inventory[key].public_id)]})
        return len(ctx.captured_queries)

    few = count("a")
    for i in range(30):
        organisation = Organisation.objects.create(
            slug=f"gemeente-{i}", name=f"Gemeente {i}", kind=Organisation.Kind.MUNICIPALITY
        )
        town = Municipality.objects.create(
            cbs_code=f"GM8{i:03d}", name=f"Dorp {i}", province="Utrecht", organisation=organisation
        )
        participate(programme, organisation, [town], S.APPROVED)
    assert count("a") == few
    assert few <= 30, few
