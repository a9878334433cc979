# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The change notice in a real Chromium, every page axe-checked: the team member gives no
reason and is told next to the field, asks to move the bid deadline later, a second member
confirms, and the public tender page lists the notice with what changed."""

import pytest

from tenders.models import Tender
from tenders.tests.change_helpers import published, second_member
from tenders.tests.test_aggregation import setup  # noqa: F401
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
URL = "/programmas/gt-agg/aanbesteding/wijzigingsbericht"


def submit(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def test_the_team_moves_the_bid_deadline_with_four_eyes(
    visitor, setup, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    tender = published(setup, personas)
    page = visitor.page
    log_in_browser(visitor, personas["project_team"].user)
    visitor.goto(URL)
    page.locator("#id_reason").fill("")
    page.locator("#id_bid_deadline_at_date").fill("26-04-2027")
    page.locator("#id_opening_at_date").fill("26-04-2027")
    submit(visitor, page.get_by_role("button", name="Wijzigingsbericht aanvragen"))
    assert page.title().startswith("Fout: ")
    assert "Geef de reden van de wijziging" in page.locator("#id_reason-error").inner_text()
    assert page.locator('.portal-error-summary a[href="#id_reason"]').count() == 1
    assert page.locator("#id_bid_deadline_at_date").input_value() == "26-04-2027"

    page.locator("#id_reason").fill("Meer tijd na vragen over perceel 2")
    submit(visitor, page.get_by_role("button", name="Wijzigingsbericht aanvragen"))
    pending = page.get_by_test_id("pending-notice").inner_text()
    assert "Meer tijd na vragen over perceel 2" in pending and "26 april 2027" in pending
    assert page.get_by_role("button", name="Bevestigen: wijzigingsbericht publiceren").count() == 0

    log_in_browser(visitor, second_member(personas))
    visitor.goto(URL)
    submit(visitor, page.get_by_role("button", name="Bevestigen: wijzigingsbericht publiceren"))
    assert "Wijzigingsbericht 1 is gepubliceerd." in page.locator("body").inner_text()
    assert Tender.objects.get(pk=tender.pk).bid_deadline_at.day == 26

    visitor.goto(f"/aanbestedingen/{tender.reference}")
    notices = page.get_by_test_id("change-notices").inner_text()
    assert "Wijzigingsbericht 1" in notices and "Meer tijd na vragen over perceel 2" in notices
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    visitor.goto(URL)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
