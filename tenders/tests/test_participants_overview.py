"""The participants overview the project team works from: paged, searchable, sortable, rows
linking to the registration, contract end, reminders with their dates, reminding the selected
municipalities, and participation per province."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from municipalities.models import Municipality, Participation
from portal.dates import day_text
from portal.models import AuditEvent
from portal.paged_rows import LIST_PAGE_SIZE
from tenders.models import Reminder
from tenders.tests.conftest import participate

pytestmark = pytest.mark.django_db
URL = "/programmas/gt-hardware/deelnemers"
REMIND = "/programmas/gt-hardware/deelnemers/herinneren"
S = Participation.Status
PROVINCES = ["Groningen", "Utrecht", "Zeeland", "Limburg", "Flevoland"]


def names(response) -> list[str]:
    return [row.municipality.name for row, _badge in response.context["rows"]]


def test_paged_with_a_constant_query_count_at_3420_municipalities(
    personas, programme, towns, org_a, joint_body
):
    client = personas["project_team"].client()
    participate(programme, org_a, [towns["a"]], S.SUBMITTED)
    participate(programme, joint_body, [towns["c"]], S.DRAFT)
    Reminder.objects.create(
        programme=programme, organisation=joint_body, kind="joining_deadline", days_before=14
    )
    client.get(URL)  # warm up the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    Municipality.objects.bulk_create(
        Municipality(
            cbs_code=f"GM{i:04d}",
            name=f"Gemeente {i:04d}",
            province=PROVINCES[i % len(PROVINCES)],
        )
        for i in range(3416)
    )
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    response = client.get(URL, {"pagina": 3})
    assert response.context["overview"].total == 3420
    pages = -(-3420 // LIST_PAGE_SIZE)
    assert len(response.context["rows"]) == LIST_PAGE_SIZE
    assert response.context["page"].paginator.num_pages == pages
    assert f"Pagina 3 van {pages}" in response.content.decode()
    assert len(few.captured_queries) == len(many.captured_queries) <= 12


def test_search_by_name_and_by_cbs_code(personas, programme, towns):
    client = personas["project_team"].client()
    assert names(client.get(URL, {"zoeken": "dorp"})) == ["Aadorp", "Cadorp", "Dedorp"]
    assert names(client.get(URL, {"zoeken": "gm9002"})) == ["Bedum"]
    response = client.get(URL, {"zoeken": "bestaat niet"})
    assert names(response) == []
    assert 'value="bestaat niet"' in response.content.decode()  # the search is kept


def test_sorting_by_province_contract_end_and_last_reminder(personas, programme, towns, org_b):
    client = personas["project_team"].client()
    own = participate(programme, org_b, [towns["b"]], S.DRAFT)
    own.current_contract_end = date(2027, 6, 30)
    own.save()
    Reminder.objects.create(
        programme=programme, organisation=org_b, kind="joining_deadline", days_before=3
    )
    assert names(client.get(URL, {"sorteren": "provincie"}))[0] == "Bedum"  # Groningen
    assert names(client.get(URL, {"sorteren": "contracteinde"}))[0] == "Bedum"
    assert names(client.get(URL, {"sorteren": "-herinnering"}))[0] == "Bedum"
    assert names(client.get(URL, {"sorteren": "herinnering"}))[-1] == "Bedum"
    assert names(client.get(URL, {"sorteren": "-naam"})) == ["Dedorp", "Cadorp", "Bedum", "Aadorp"]
    content = client.get(URL, {"sorteren": "provincie"}).content.decode()
    assert re.search(r'aria-sort="ascending"><button[^>]+value="-provincie"', content)
    assert (
        'aria-sort="none"><button type="submit" form="overview-filter" name="sorteren" value="naam"'
        in content
    )
    # An unknown sort key falls back to the name.
    assert names(client.get(URL, {"sorteren": "wachtwoord"}))[0] == "Aadorp"


def test_rows_link_to_the_registration_and_show_contract_end_and_reminders(
    personas, programme, towns, org_a
):
    participation = participate(programme, org_a, [towns["a"]], S.SUBMITTED)
    participation.current_contract_end = date(2027, 12, 31)
    participation.save()
    sent = timezone.now() - timedelta(days=3)
    Reminder.objects.create(
        programme=programme,
        organisation=org_a,
        kind="joining_deadline",
        days_before=14,
        sent_at=sent,
    )
    content = personas["project_team"].client().get(URL).content.decode()
    assert f'href="/deelnames/{participation.public_id}/">Aadorp</a>' in content
    assert "vrijdag 31 december 2027" in content
    assert day_text(timezone.localtime(sent)) in content


def test_participation_per_province_is_counted_over_the_whole_register(
    personas, programme, towns, org_a, joint_body
):
    participate(programme, org_a, [towns["a"]], S.APPROVED)
    participate(programme, joint_body, [towns["c"]], S.SUBMITTED)
    response = personas["project_team"].client().get(URL, {"provincie": "Groningen"})
    shares = {
        count.province: (count.total, count.participating, share)
        for count, share in response.context["province_counts"]
    }
    assert shares == {"Groningen": (1, 0, 0.0), "Utrecht": (3, 2, 66.7)}
    content = response.content.decode()
    assert 'id="province-chart"' in content
    assert 'data-province="Utrecht">2<' in content


def test_remind_the_selected_municipalities(
    personas, programme, towns, org_a, org_b, mailoutbox, django_capture_on_commit_callbacks
):
    client = personas["project_team"].client()
    participate(programme, org_b, [towns["b"]], S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            REMIND, {"gemeente": ["GM9001", "GM9002", "GM9004"], "terug": URL + "?zoeken=a"}
        )
    assert response.status_code == 302
    assert response["Location"] == URL + "?zoeken=a"
    reminder = Reminder.objects.get()
    assert (reminder.organisation, reminder.sent_by) == (org_a, personas["project_team"].user)
    assert sorted(a for m in mailoutbox for a in m.to) == [
        "beheerder@aadorp.nl",
        "inkoper@aadorp.nl",
    ]
    assert AuditEvent.objects.filter(action="reminder.sent_by_hand").count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Aadorp" in messages[0]
    assert "Bedum" in messages[1] and "Dedorp" in messages[1]
    # Again within a day: not sent twice.
    mailed = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REMIND, {"gemeente": ["GM9001"]})
    assert Reminder.objects.count() == 1 and len(mailoutbox) == mailed
    # The date shows in the overview.
    assert day_text(timezone.localdate()) in client.get(URL).content.decode()


def test_remind_refuses_too_many_and_none(personas, programme, towns):
    client = personas["project_team"].client()
    response = client.post(REMIND, {"gemeente": [f"GM{i:04d}" for i in range(51)]}, follow=True)
    assert "ten hoogste 50" in response.content.decode()
    response = client.post(REMIND, {}, follow=True)
    assert "Selecteer ten minste één gemeente" in response.content.decode()
    assert not Reminder.objects.exists()


def test_remind_goes_back_only_to_the_overview(personas, programme, towns):
    response = (
        personas["project_team"]
        .client()
        .post(REMIND, {"gemeente": ["GM9001"], "terug": "https://example.com/"})
    )
    assert response["Location"] == URL


def test_project_team_viewers_may_not_remind(client, project_team_viewer, programme, towns):
    client.force_login(project_team_viewer)
    assert client.post(REMIND, {"gemeente": ["GM9001"]}).status_code == 403
    assert client.get(REMIND).status_code == 405
    assert "Remind the selected" not in client.get(URL).content.decode()
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("persona", ["admin_a", "supplier_x", "joint_body"])
def test_outside_the_project_team_remind_is_404(personas, programme, persona):
    assert personas[persona].client().post(REMIND, {"gemeente": ["GM9001"]}).status_code == 404


def test_a_failure_halfway_leaves_no_reminder_recorded(personas, programme, towns, monkeypatch):
    """Recording, audit and mail of the selected reminders are one transaction: a failure
    after the reminder is recorded leaves nothing behind, so it can be sent again."""
    from tenders.services import reminders

    def refused(**_kwargs):
        raise RuntimeError("mail queue refused")

    monkeypatch.setattr(reminders, "notify_addresses", refused)
    with pytest.raises(RuntimeError):
        reminders.reminders_send_selected(
            actor=personas["project_team"].user, programme=programme, cbs_codes=["GM9001"]
        )
    assert not Reminder.objects.exists()
    assert not AuditEvent.objects.filter(action="reminder.sent_by_hand").exists()
