from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from municipalities.models import JointBodyMunicipality, Participation
from tenders.models import Milestone, Programme, Reminder
from tenders.services.programme import reminders_send
from tenders.tasks import reminders_send_task
from tenders.tests.conftest import participate

pytestmark = pytest.mark.django_db
S = Participation.Status


@pytest.fixture
def buyers(personas, towns):
    """Municipality A (admin, editor, viewer), municipality B (editor), a joint body (admin)."""
    return personas


def set_deadline(programme, days: float):
    Milestone.objects.filter(programme=programme, kind="joining_deadline").update(
        due_at=timezone.now() + timedelta(days=days)
    )


def recipients(mailoutbox) -> list[str]:
    return sorted(address for mail in mailoutbox for address in mail.to)


def run(capture, **kwargs) -> int:
    with capture(execute=True):
        return reminders_send(**kwargs)


def test_reminders_are_sent_once(
    settings, programme, buyers, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [14, 3]
    set_deadline(programme, 10)
    assert run(django_capture_on_commit_callbacks) == 3  # A, B and the joint body
    assert recipients(mailoutbox) == [
        "beheerder@aadorp.nl",
        "inkoper@aadorp.nl",
        "inkoper@bedum.nl",
        "inkoper@duo.nl",
    ]
    assert "GT Hardware" in mailoutbox[0].subject
    # A second run (or a concurrent one) sends nothing again.
    assert run(django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 4
    assert set(Reminder.objects.values_list("days_before", flat=True)) == {14}
    # Closer to the deadline the next reminder goes out, once.
    set_deadline(programme, 2)
    assert run(django_capture_on_commit_callbacks) == 3
    assert run(django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 8


def test_a_late_first_run_sends_only_the_closest_reminder(
    settings, programme, buyers, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [14, 3]
    set_deadline(programme, 1)
    assert run(django_capture_on_commit_callbacks) == 3
    assert set(Reminder.objects.values_list("days_before", flat=True)) == {3}
    assert len(mailoutbox) == 4


def test_not_sent_to_organisations_that_finished(
    settings,
    programme,
    towns,
    buyers,
    org_a,
    org_b,
    joint_body,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.REMINDER_DAYS_BEFORE = [14, 3]
    set_deadline(programme, 10)
    participate(programme, org_a, [towns["a"]], S.SUBMITTED)
    participate(programme, org_b, [towns["b"]], S.APPROVED)
    JointBodyMunicipality.objects.create(joint_body=joint_body, municipality=towns["c"])
    participate(programme, joint_body, [towns["c"]], S.RETURNED)  # returned: still to do
    assert run(django_capture_on_commit_callbacks) == 1
    assert recipients(mailoutbox) == ["inkoper@duo.nl"]


def test_a_municipality_covered_by_a_joint_body_is_not_reminded(
    settings, programme, towns, buyers, joint_body, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [14]
    set_deadline(programme, 10)
    JointBodyMunicipality.objects.create(joint_body=joint_body, municipality=towns["a"])
    participate(programme, joint_body, [towns["a"]], S.SUBMITTED)
    run(django_capture_on_commit_callbacks)
    assert recipients(mailoutbox) == ["inkoper@bedum.nl"]


def test_not_sent_when_the_deadline_is_further_away(
    settings, programme, buyers, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [14, 3]
    set_deadline(programme, 20)
    assert run(django_capture_on_commit_callbacks) == 0
    set_deadline(programme, -1)  # passed
    assert run(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []
    assert not Reminder.objects.exists()


def test_not_sent_for_a_programme_that_is_not_open_for_joining(
    settings, programme, buyers, mailoutbox, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [14]
    set_deadline(programme, 5)
    Programme.objects.update(status=Programme.Status.DRAFT)
    assert run(django_capture_on_commit_callbacks) == 0


def test_the_database_refuses_a_second_identical_reminder(programme, org_a):
    Reminder.objects.create(
        programme=programme, organisation=org_a, kind="joining_deadline", days_before=3
    )
    with pytest.raises(IntegrityError):
        Reminder.objects.create(
            programme=programme, organisation=org_a, kind="joining_deadline", days_before=3
        )


def test_a_concurrent_run_that_lost_the_race_sends_nothing(
    settings, programme, buyers, org_a, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """get_or_create raising IntegrityError (the other run committed first) means: skip."""
    settings.REMINDER_DAYS_BEFORE = [14]
    set_deadline(programme, 10)

    def lose_the_race(**kwargs):
        raise IntegrityError("reminder_sent_once")

    monkeypatch.setattr(Reminder.objects, "get_or_create", lose_the_race)
    assert run(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_the_task_calls_the_service(settings, programme, buyers, mailoutbox):
    settings.REMINDER_DAYS_BEFORE = [14]
    set_deadline(programme, 10)
    assert reminders_send_task.apply().get() == 3


def test_the_beat_schedule_runs_the_task_hourly():
    from django.conf import settings

    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == reminders_send_task.name
    ]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert schedule.hour == set(range(24)) and len(schedule.minute) == 1


def test_an_organisation_without_users_is_reminded_at_its_contacts(
    settings, programme, buyers, mailoutbox, django_capture_on_commit_callbacks
):
    from municipalities.models import OrganisationContact
    from portal.models import Organisation

    settings.REMINDER_DAYS_BEFORE = [14]
    set_deadline(programme, 10)
    nobody = Organisation.objects.create(
        slug="gemeente-zonder", name="Gemeente Zonder", kind=Organisation.Kind.MUNICIPALITY
    )
    OrganisationContact.objects.create(
        organisation=nobody, email="info@zonder.nl", kind=OrganisationContact.Kind.GENERAL
    )
    OrganisationContact.objects.create(organisation=nobody, email="inkoop@zonder.nl")
    # A contact of an organisation that has users is not mailed: its members are.
    OrganisationContact.objects.create(
        organisation=buyers["admin_a"].organisation, email="info@aadorp.nl"
    )
    assert run(django_capture_on_commit_callbacks) == 4
    got = recipients(mailoutbox)
    assert "info@zonder.nl" in got and "inkoop@zonder.nl" in got
    assert "info@aadorp.nl" not in got
