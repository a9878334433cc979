# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The tender's documents page in a real Chromium, axe-checked: the team asks for the set,
sees every document queued, and is told next to the field to say what changed before a new
version is made."""

import pytest

from tenders.models import DocumentVersion
from tenders.tests.documents_helpers import make_tender
from tenders.tests.test_aggregation import setup  # noqa: F401
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def test_the_team_generates_the_documents_and_names_what_changed(visitor, setup, personas):
    tender = make_tender(setup, personas)
    page = visitor.page
    log_in_browser(visitor, personas["project_team"].user)
    visitor.goto("/programmas/gt-agg/aanbesteding/documenten")
    assert page.locator("main").inner_text().count("Nog niet gemaakt.") == 6

    click(visitor, page.get_by_role("button", name="Documenten maken"))
    assert "6 documenten worden gemaakt." in page.locator("body").inner_text()
    assert DocumentVersion.objects.count() == 6

    tender.lots.update(title="Werkplek en randapparatuur")
    click(visitor, page.get_by_role("button", name="Documenten maken"))
    assert page.title().startswith("Fout:")
    assert "Beschrijf wat er anders is in de nieuwe versies." in page.locator("main").inner_text()
    page.get_by_label("Wat is er veranderd").fill("Titel van perceel 1")
    click(visitor, page.get_by_role("button", name="Documenten maken"))
    assert "documenten worden gemaakt." in page.locator("body").inner_text()
    assert "Titel van perceel 1" in page.locator("main").inner_text()
