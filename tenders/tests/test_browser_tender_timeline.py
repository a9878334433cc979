# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The tender's timeline in a real Chromium, every page axe-checked: the team enters the dates
in Dutch format, sees each legal-period problem next to its field (answers too late, a bid
deadline on King's Day, a standstill a day short), fixes them, and is told that bad input is
refused next to the field."""

import pytest

from tenders.models import Tender
from tenders.services.tender import tender_create
from tenders.tests.test_aggregation import setup  # noqa: F401
from tenders.tests.test_freeze import frozen
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
URL = "/programmas/gt-agg/aanbesteding/tijdlijn"


def submit(visitor) -> None:
    with visitor.page.expect_navigation():
        visitor.page.get_by_role("button", name="Tijdlijn opslaan").click()
    visitor.check()


def fill(page, **values: str) -> None:
    for name, value in values.items():
        page.locator(f"#id_{name}").fill(value)


def test_the_team_sees_each_period_problem_next_to_its_field_and_fixes_it(
    visitor, setup, personas, project_team_user
):
    frozen(setup, personas)
    tender = tender_create(actor=project_team_user, programme=setup["programme"])
    page = visitor.page
    log_in_browser(visitor, project_team_user)
    visitor.goto(URL)
    assert (
        "Vul “Verzending van de aankondiging” in"
        in page.locator("#problems-publication_at").inner_text()
    )

    fill(
        page,
        publication_at_date="02-03-2027",
        publication_at_time="10:00",
        question_deadline_at_date="16-03-2027",
        answers_at_date="23-04-2027",
        bid_deadline_at_date="27-04-2027",  # King's Day
        bid_deadline_at_time="12:00",
        opening_at_date="28-04-2027",
        opening_at_time="14:00",
        award_decision_at_date="02-06-2027",
        standstill_end_at_date="21-06-2027",  # day 19
        contract_start="01-07-2027",
    )
    submit(visitor)
    assert "De tijdlijn van de aanbesteding is opgeslagen." in page.locator("body").inner_text()
    assert (
        "2 problemen houden de publicatie tegen."
        in page.get_by_test_id("period-status").inner_text()
    )
    answers = page.locator("#problems-answers_at").inner_text()
    assert "verschuif de uiterste datum voor inschrijvingen naar donderdag 29 april 2027" in answers
    bid = page.locator("#problems-bid_deadline_at").inner_text()
    assert "Waarschuwing" in bid and "valt op Koningsdag (dinsdag 27 april 2027)" in bid
    assert (
        "dus op dinsdag 22 juni 2027 of later"
        in page.locator("#problems-standstill_end_at").inner_text()
    )
    described = page.locator("#moment-bid_deadline_at fieldset").get_attribute("aria-describedby")
    assert described == "problems-bid_deadline_at"
    assert page.locator("#id_bid_deadline_at_date").input_value() == "27-04-2027"

    fill(
        page,
        answers_at_date="20-04-2027",
        bid_deadline_at_date="28-04-2027",
        standstill_end_at_date="22-06-2027",
    )
    submit(visitor)
    assert (
        "De tijdlijn voldoet aan de wettelijke termijnen."
        in page.get_by_test_id("period-status").inner_text()
    )
    assert page.locator(".portal-period-problems").count() == 0

    # Bad input: refused next to the field, the error summary links to it, nothing changes.
    fill(page, bid_deadline_at_date="31-04-2027")
    submit(visitor)
    assert page.title().startswith("Fout: ")
    assert (
        "Vul de datum in als dag-maand-jaar"
        in page.locator("#id_bid_deadline_at_date-error").inner_text()
    )
    assert page.locator('.portal-error-summary a[href="#id_bid_deadline_at_date"]').count() == 1
    tender.refresh_from_db()
    assert tender.bid_deadline_at.day == 28

    # At 320 px nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert Tender.objects.get(pk=tender.pk).is_draft
