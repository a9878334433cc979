"""The project team's pages in a real Chromium, each axe-checked: the participation and demand
overviews, the aggregation dashboard with drill-down and snapshot, reference prices, and a new
programme."""

import pytest

from tenders.tests.test_aggregation import run_now, setup, submit  # noqa: F401 - fixture
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_project_team_pages_are_accessible(visitor, setup, project_team_user):  # noqa: F811
    submit(setup, "a", [("GM9101", "laptop", 2028, 100), ("GM9101", "monitor", 2029, 20)])
    submit(setup, "b", [("GM9102", "phone", 2029, 40)])
    snapshot = run_now(setup["programme"])
    page = visitor.page
    log_in_browser(visitor, project_team_user)
    base = "/programmas/gt-agg"
    for path in (
        "/",
        f"{base}/deelnemers",
        f"{base}/inventarisatie",
        f"{base}/aggregatie",
        f"{base}/aggregatie/{snapshot.public_id}",
        f"{base}/aggregatie/{snapshot.public_id}/perceel/1/0",
        f"{base}/percelen",
        f"{base}/percelen/1/wijzigen",
        "/catalogus/prijzen",
        "/programma-aanmaken",
    ):
        response = visitor.goto(path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
    # The dashboard shows lot 1's term total (100 laptops + 20 monitors).
    visitor.goto(f"{base}/aggregatie")
    assert "120" in page.locator("main").inner_text()
