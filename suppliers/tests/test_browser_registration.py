"""Supplier registration in a real Chromium, every page axe-checked."""

from __future__ import annotations

import pytest

from portal.models import Membership, Organisation, Role
from suppliers.models import JoinRequest
from tests.browser.sessions import log_in_browser
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_and_wait(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def fill_company(page, *, kvk_number: str) -> None:
    page.get_by_label("Bedrijfsnaam").fill("Hardware Huis B.V.")
    page.get_by_label("KvK-nummer").fill(kvk_number)
    page.get_by_label("Straat").fill("Stationsplein")
    page.get_by_label("Huisnummer").fill("1")
    page.get_by_label("Postcode").fill("3511ed")
    page.get_by_label("Plaats").fill("Utrecht")


def test_register_a_company_and_a_colleague_asks_to_join(visitor):
    page = visitor.page
    founder = UserFactory(email="oprichter@hardwarehuis.nl")
    log_in_browser(visitor, founder)
    visitor.goto("/")
    click_and_wait(visitor, page.get_by_role("link", name="Uw bedrijf registreren"))

    # A wrong KvK number: the error is shown, what was entered is kept.
    fill_company(page, kvk_number="1234")
    click_and_wait(visitor, page.get_by_role("button", name="Bedrijf registreren"))
    assert page.title().startswith("Fout: ")
    assert page.get_by_label("Bedrijfsnaam").input_value() == "Hardware Huis B.V."
    page.get_by_label("KvK-nummer").fill("12345678")
    click_and_wait(visitor, page.get_by_role("button", name="Bedrijf registreren"))
    organisation = Organisation.objects.get(kind=Organisation.Kind.SUPPLIER)
    # A new company first proves who it is (KvK extract or a mail at its domain).
    assert page.url.endswith(f"/leveranciers/{organisation.slug}/verificatie")
    assert Membership.objects.get(user=founder).role == Role.ADMIN
    assert organisation.supplier_profile.postcode == "3511 ED"

    # A colleague registers the same KvK number and is sent to the "request sent" page.
    colleague = UserFactory(email="collega@hardwarehuis.nl")
    log_in_browser(visitor, colleague)
    visitor.goto("/leveranciers/registreren")
    fill_company(page, kvk_number="12345678")
    click_and_wait(visitor, page.get_by_role("button", name="Bedrijf registreren"))
    assert page.url.endswith("/leveranciers/aanvraag-verstuurd")
    assert Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).count() == 1
    join_request = JoinRequest.objects.get(user=colleague)
    assert join_request.organisation == organisation

    # The founder approves the request.
    log_in_browser(visitor, founder)
    visitor.goto(f"/organisaties/{organisation.slug}/")
    click_and_wait(visitor, page.get_by_role("link", name="Aanvragen om lid te worden"))
    click_and_wait(visitor, page.get_by_role("button", name="Goedkeuren collega@hardwarehuis.nl"))
    assert Membership.objects.filter(user=colleague, organisation=organisation).exists()
