# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""From frozen figures back to a refused demand change, in a real Chromium with every page
axe-checked: the team sees what the freeze needs, freezes, the authorities per lot appear; the
municipality's demand is read-only and says why; the team lifts the freeze with four eyes and
the demand opens again."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from conftest import TOTP_SECRET
from municipalities.models import Demand
from portal.models import Role
from tenders.models import AggregationSnapshot
from tenders.tests.test_aggregation import deadline_passed, run_now, setup, submit  # noqa: F401
from tests.browser.sessions import log_in_browser
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def test_freeze_refuses_a_demand_change_until_the_team_lifts_it(  # noqa: F811
    visitor, setup, project_team_user, editor_a
):
    submit(setup, "a", [("GM9101", "laptop", 2028, 200), ("GM9101", "phone", 2028, 20)])
    submit(setup, "b", [("GM9102", "laptop", 2028, 10)])
    submit(setup, "jb", [("GM9103", "monitor", 2029, 30)])
    snapshot = run_now(setup["programme"])
    page = visitor.page
    url = f"/programmas/gt-agg/aggregatie/{snapshot.public_id}"

    # Before the demand deadline the page lists what blocks the freeze.
    log_in_browser(visitor, project_team_user)
    visitor.goto(url)
    assert "probleem houdt het bevriezen tegen" in page.locator("main").inner_text()
    assert "Europese aanbesteding verplicht" in page.locator("main").inner_text()

    deadline_passed(setup["programme"])
    visitor.goto(url)
    page.get_by_label("Ik bevestig", exact=False).check()
    click(visitor, page.get_by_role("button", name="Deze berekening bevriezen"))
    assert AggregationSnapshot.objects.get(pk=snapshot.pk).is_frozen
    main = page.locator("main").inner_text()
    assert "Aanbestedende diensten per perceel" in main
    assert "Werkorganisatie Duo" in main and "Roept af voor Cadorp" in main

    # The municipality's demand: read-only, with the reason.
    demand = Demand.objects.get(participation=setup["p"]["a"])
    log_in_browser(visitor, editor_a)
    visitor.goto(f"/inventarisatie/{demand.public_id}/")
    main = page.locator("main").inner_text()
    assert "is bevroren op" in main
    assert page.get_by_role("button", name="Concept opslaan").count() == 0
    assert page.locator("input[name^='q-']").count() == 0

    # The team asks to lift the freeze; a second member confirms.
    log_in_browser(visitor, project_team_user)
    visitor.goto(url)
    page.get_by_label("Reden om de bevriezing op te heffen").fill("Vraag van Aadorp was fout")
    click(visitor, page.get_by_role("button", name="Vragen de bevriezing op te heffen"))
    assert page.get_by_role("button", name="Bevestigen: bevriezing opheffen").count() == 0
    second = MembershipFactory(
        organisation=project_team_user.memberships.first().organisation,
        role=Role.EDITOR,
        user=UserFactory(email="tweede@vng.nl"),
    ).user
    TOTP.activate(second, TOTP_SECRET)  # the project team works with two-step verification
    log_in_browser(visitor, second)
    visitor.goto(url)
    click(visitor, page.get_by_role("button", name="Bevestigen: bevriezing opheffen"))
    assert "De bevriezing is opgeheven." in page.locator("body").inner_text()

    log_in_browser(visitor, editor_a)
    visitor.goto(f"/inventarisatie/{demand.public_id}/")
    assert "is bevroren op" not in page.locator("main").inner_text()
