"""The dashboards as task lists in a real Chromium, each page axe-checked at 1280 and 375 px
and checked for sideways scrolling at 320 px: a buyer goes from the login to the demand grid
in three clicks; the project team sees its waiting work and works from the participants
overview (search, remind)."""

import re

import pytest

from municipalities.models import Participation
from tenders.models import Programme
from tenders.tests.conftest import participate
from tests.browser.sessions import log_in_browser
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Participation.Status


def check_small_screens(visitor) -> None:
    page = visitor.page
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.check()
    page.set_viewport_size({"width": 320, "height": 800})
    # What sticks out (a wide table must scroll inside its own region), for the message.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 330)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, (page.url, wide)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_buyer_reaches_the_demand_grid_in_three_clicks(
    visitor, programme, towns, org_a, admin_a, password
):
    programme.status = Programme.Status.INVENTORY
    programme.save()
    participate(programme, org_a, [towns["a"]], S.APPROVED)
    page = visitor.page
    log_in(visitor, admin_a.email, password)  # click 1: log in
    assert page.url.rstrip("/") == visitor.url("")
    visitor.check()
    tasks = page.locator("ol.portal-task-list")
    assert "Voltooid" in tasks.inner_text()
    assert "Nog niet gestart" in tasks.inner_text()
    check_small_screens(visitor)
    page.get_by_role("button", name="Inventarisatie invullen").click()  # click 2
    page.wait_for_load_state("load")
    assert re.search(r"/inventarisatie/[0-9a-f-]{36}/$", page.url), page.url
    visitor.check()
    # Back on the dashboard the task links straight to the grid.
    visitor.goto("/")
    page.get_by_role("link", name="Inventarisatie invullen").click()
    page.wait_for_load_state("load")
    assert re.search(r"/inventarisatie/[0-9a-f-]{36}/$", page.url), page.url


def test_the_project_team_works_from_its_dashboard_and_the_overview(
    visitor, programme, towns, org_a, org_b, admin_a, project_team_user
):
    participate(programme, org_b, [towns["b"]], S.SUBMITTED)
    page = visitor.page
    log_in_browser(visitor, project_team_user)
    visitor.goto("/")
    counts = page.locator(".portal-counts")
    assert "1" in counts.inner_text() and "Aanmeldingen om goed te keuren" in counts.inner_text()
    check_small_screens(visitor)
    page.get_by_role("link", name=re.compile("Aanmeldingen om goed te keuren")).click()
    page.wait_for_load_state("load")
    visitor.check()
    assert "Bedum" in page.locator("#municipalities-caption ~ tbody").inner_text()
    # Search, then remind Aadorp (nobody has started there yet).
    visitor.goto("/programmas/gt-hardware/deelnemers")
    page.get_by_label("Zoeken op naam of CBS-code").fill("Aadorp")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_load_state("load")
    visitor.check()
    page.get_by_label("Aadorp selecteren").check()
    page.get_by_role("button", name="Herinnering sturen aan de geselecteerde gemeenten").click()
    page.wait_for_load_state("load")
    visitor.check()
    assert (
        "Herinnering verstuurd aan 1 organisatie: Gemeente Aadorp"
        in page.locator(".portal-messages").inner_text()
    )
    assert "zoeken=Aadorp" in page.url
    check_small_screens(visitor)
