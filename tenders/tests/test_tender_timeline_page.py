# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The project team's timeline page of the tender: dates in Dutch format, the legal periods'
problems next to each field on every change, bad input refused with nothing changed, and
the page closed to everyone outside the team."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from portal.models import AuditEvent
from tenders.models import Tender
from tenders.services.tender import tender_create
from tenders.tests.test_aggregation import setup  # noqa: F401
from tenders.tests.test_freeze import frozen

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def tender(setup, personas):
    frozen(setup, personas)
    return tender_create(actor=personas["project_team"].user, programme=setup["programme"])


def url(tender_or_programme) -> str:
    programme = getattr(tender_or_programme, "programme", tender_or_programme)
    return f"/programmas/{programme.slug}/aanbesteding/tijdlijn"


def data(**changes) -> dict:
    """A timeline that meets every rule, as the form posts it."""
    values = {
        "electronic_submission": "on",
        "prior_information_notice_at": "",
        "publication_at_date": "02-03-2027",
        "publication_at_time": "10:00",
        "question_deadline_at_date": "16-03-2027",
        "question_deadline_at_time": "",  # 17:00
        "answers_at_date": "23-03-2027",
        "answers_at_time": "17:00",
        "bid_deadline_at_date": "06-04-2027",
        "bid_deadline_at_time": "12:00",
        "opening_at_date": "06-04-2027",
        "opening_at_time": "14.00",
        "award_decision_at_date": "02-06-2027",
        "award_decision_at_time": "10:00",
        "standstill_end_at_date": "22-06-2027",
        "standstill_end_at_time": "23:59",
        "contract_start": "01-07-2027",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def moment_html(content: str, field: str) -> str:
    """The part of the page that shows one moment's fields and problems."""
    start = content.index(f'id="moment-{field}"')
    end = content.find('id="moment-', start + 1)
    return content[start : end if end != -1 else len(content)]


def test_the_team_sets_the_timeline_and_sees_each_problem_next_to_its_field(tender, personas):
    client = personas["project_team"].client()
    page = client.get(url(tender)).content.decode()
    assert "Vul “Verzending van de aankondiging” in" in moment_html(page, "publication_at")

    response = client.post(url(tender), data(answers_at_date="01-04-2027"))
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.publication_at == datetime(2027, 3, 2, 10, tzinfo=AMS)
    assert tender.question_deadline_at == datetime(2027, 3, 16, 17, tzinfo=AMS)
    assert tender.opening_at == datetime(2027, 4, 6, 14, tzinfo=AMS)
    assert tender.contract_start == date(2027, 7, 1) and tender.electronic_submission

    page = client.get(url(tender)).content.decode()
    assert "De tijdlijn van de aanbesteding is opgeslagen." in page
    answers = moment_html(page, "answers_at")
    assert "Houdt publicatie tegen" in answers
    assert "verschuif de uiterste datum voor inschrijvingen naar woensdag 7 april 2027" in answers
    assert 'aria-describedby="problems-answers_at"' in answers
    assert 'value="01-04-2027"' in answers
    assert "portal-period-problems" not in moment_html(page, "publication_at")
    assert "1 probleem houdt de publicatie tegen." in page
    assert "Minimale termijn voor inschrijvingen: 30 dagen, omdat de inschrijvingen " in page
    event = AuditEvent.objects.get(action="tender.timeline_set")
    assert event.data["blocking"] == ["answers_at:answers"]
    assert event.data["bid_deadline_at"] == "2027-04-06T12:00:00+02:00"


def test_without_electronic_submission_the_page_says_35_days_apply(tender, personas):
    client = personas["project_team"].client()
    client.post(url(tender), data(electronic_submission=None, bid_deadline_at_date="05-04-2027"))
    tender.refresh_from_db()
    assert not tender.electronic_submission
    page = client.get(url(tender)).content.decode()
    assert "Minimale termijn voor inschrijvingen: 35 dagen" in page
    assert "is te vroeg: er geldt een termijn van minstens 35 dagen" in moment_html(
        page, "bid_deadline_at"
    )


def test_a_timeline_that_meets_every_rule_says_so(tender, personas):
    client = personas["project_team"].client()
    client.post(url(tender), data())
    page = client.get(url(tender)).content.decode()
    assert "De tijdlijn voldoet aan de wettelijke termijnen." in page
    assert "portal-period-problems" not in page


def test_bad_input_is_refused_next_to_the_field_and_nothing_changes(tender, personas):
    client = personas["project_team"].client()
    response = client.post(
        url(tender),
        data(
            publication_at_date="31-02-2027",
            bid_deadline_at_time="25:00",
            opening_at_date="",
            prior_information_notice_at="gisteren",
        ),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count("Vul de datum in als dag-maand-jaar, bijvoorbeeld 29-01-2027.") >= 2
    assert "Vul de tijd in als uren:minuten, bijvoorbeeld 17:00." in page
    # A time without a date, and a time the clocks skip (28 March 2027, 02:30).
    response = client.post(
        url(tender),
        data(
            opening_at_date="", award_decision_at_date="28-03-2027", award_decision_at_time="02:30"
        ),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["opening_at_date"] == ["Vul de datum in van: Opening van de inschrijvingen."]
    assert "de klok gaat dan een uur vooruit" in errors["award_decision_at_time"][0]
    tender.refresh_from_db()
    assert tender.bid_deadline_at is None and tender.publication_at is None
    assert not AuditEvent.objects.filter(action="tender.timeline_set").exists()


def test_a_project_team_viewer_reads_the_problems_but_cannot_change(tender, project_team_viewer):
    client = Client()
    client.force_login(project_team_viewer)
    response = client.get(url(tender))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tijdlijn opslaan" not in page and "timeline-caption" in page
    assert "Vul “Uiterste datum voor inschrijvingen” in" in page
    assert client.post(url(tender), data()).status_code == 403
    tender.refresh_from_db()
    assert tender.bid_deadline_at is None


def test_a_published_tender_is_not_changed_here(tender, personas):
    Tender.objects.filter(pk=tender.pk).update(status=Tender.Status.PUBLISHED)
    client = personas["project_team"].client()
    page = client.get(url(tender)).content.decode()
    assert "wijzigingsbericht" in page and "Tijdlijn opslaan" not in page
    response = client.post(url(tender), data())
    assert response.status_code == 422
    assert "De aanbesteding is gepubliceerd" in response.content.decode()
    tender.refresh_from_db()
    assert tender.bid_deadline_at is None


def test_a_programme_without_a_tender_says_so(setup, personas):
    client = personas["project_team"].client()
    programme_page = client.get(f"/programmas/{setup['programme'].slug}").content.decode()
    assert f'href="{url(setup["programme"])}"' in programme_page
    response = client.get(url(setup["programme"]))
    assert response.status_code == 200
    assert "Dit programma heeft nog geen aanbesteding." in response.content.decode()
    assert client.post(url(setup["programme"]), data()).status_code == 404


@pytest.mark.parametrize("persona", ["admin_a", "editor_b", "joint_body", "supplier_x"])
def test_outside_the_project_team_the_page_does_not_exist(tender, personas, persona):
    client = personas[persona].client()
    assert client.get(url(tender)).status_code == 404
    assert client.post(url(tender), data()).status_code == 404
    tender.refresh_from_db()
    assert tender.bid_deadline_at is None


def test_anonymous_visitors_are_sent_to_the_login(tender, personas):
    response = personas["anonymous"].client().get(url(tender))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
