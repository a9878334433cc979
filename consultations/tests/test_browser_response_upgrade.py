"""A supplier whose answers belong to an older questionnaire version, in a real Chromium with
every page axe-checked: its answers page says so and changes nothing; the summary shows what
moving drops; the supplier confirms and its answers belong to the new version."""

from __future__ import annotations

import pytest

from consultations.tests.test_response_upgrade import _catalogue as _catalogue
from consultations.tests.test_response_upgrade import consultation as consultation
from consultations.tests.test_response_upgrade import outdated as outdated
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supplier_sees_what_changes_and_moves_its_answers(visitor, personas, outdated):
    page = visitor.page
    log_in_browser(visitor, personas["supplier_x"].user)
    visitor.goto("/marktconsultaties/mc-resp/antwoorden")
    visitor.check()
    assert "nieuwe versie van de vragenlijst" in page.locator("main").inner_text()
    outdated.refresh_from_db()
    assert (outdated.version.number, outdated.status) == (1, "submitted")

    with page.expect_navigation():
        page.get_by_role("link", name="Bekijk wat er verandert").click()
    visitor.check()
    main = page.locator("main").inner_text()
    assert "Eén antwoord vervalt" in main and "Visie?" in main and "Circulair" in main
    assert "Garantietermijn?" in main

    with page.expect_navigation():
        page.get_by_role("button", name="Mijn antwoorden overzetten").click()
    visitor.check()
    assert "Uw antwoorden horen nu bij versie 2" in page.locator("body").inner_text()
    outdated.refresh_from_db()
    assert (outdated.version.number, outdated.status) == (2, "draft")
