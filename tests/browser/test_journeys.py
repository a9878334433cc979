"""Journeys through the foundation in a real Chromium, each page axe-checked."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from conftest import TOTP_SECRET, totp_code
from portal.models import Invitation, Membership, Role
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(visitor, email: str, password: str) -> None:
    visitor.goto("/accounts/login/")
    page = visitor.page
    page.get_by_label(re.compile("E-mail", re.I)).fill(email)
    page.get_by_label(re.compile("Wachtwoord", re.I)).fill(password)
    page.get_by_role("button", name=re.compile("Inloggen|Aanmelden", re.I)).click()
    page.wait_for_load_state("load")


def test_project_team_logs_in_with_mfa(visitor, project_team_user, password):
    log_in(visitor, project_team_user.email, password)
    page = visitor.page
    assert "/accounts/2fa/authenticate" in page.url
    visitor.check()
    page.get_by_label(re.compile("Code", re.I)).fill(totp_code(TOTP_SECRET))
    page.get_by_role("button", name=re.compile("Inloggen|Aanmelden|Bevestig", re.I)).click()
    page.wait_for_load_state("load")
    assert page.url.rstrip("/") == visitor.url("")
    visitor.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Overzicht"
    visitor.goto("/organisaties/")
    assert page.get_by_role("heading", level=1).inner_text() == "Organisaties"


def test_switch_organisation(visitor, editor_a, org_a, org_b, password):
    MembershipFactory(user=editor_a, organisation=org_b, role=Role.VIEWER)
    log_in(visitor, editor_a.email, password)
    visitor.check()
    page = visitor.page
    assert org_a.name in page.locator(".utrecht-paragraph--lead").inner_text()
    page.get_by_label("Werkzaam voor").select_option(label=org_b.name)
    page.get_by_role("button", name="Wisselen").click()
    page.wait_for_load_state("load")
    visitor.check()
    assert org_b.name in page.locator(".utrecht-paragraph--lead").inner_text()


def test_invite_a_colleague(visitor, admin_a, org_a, password):
    log_in(visitor, admin_a.email, password)
    visitor.goto(f"/organisaties/{org_a.slug}/")
    page = visitor.page
    page.get_by_role("link", name="Collega uitnodigen").click()
    page.wait_for_load_state("load")
    visitor.check()
    # First a mistake: the error summary and the inline error appear, input is kept.
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.wait_for_load_state("load")
    visitor.check()
    assert page.title().startswith("Fout: ")
    summary = page.locator(".portal-error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('portal-error-summary')")
    assert page.get_by_label("E-mailadres").input_value() == "geen-adres"
    assert page.get_by_label("E-mailadres").get_attribute("aria-invalid") == "true"

    page.get_by_label("E-mailadres").fill("collega@aadorp.nl")
    page.get_by_label("Redacteur").check()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.wait_for_load_state("load")
    visitor.check()
    assert "collega@aadorp.nl" in page.locator(".portal-messages").inner_text()
    invitation = Invitation.objects.get(email="collega@aadorp.nl")
    assert invitation.role == Role.EDITOR
    assert len(mail.outbox) == 1


def test_change_language(visitor, editor_a, password):
    log_in(visitor, editor_a.email, password)
    page = visitor.page
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    visitor.check()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Overview"
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == "Overzicht"


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never received focus by Tab")


def test_keyboard_only_invitation(visitor, admin_a, org_a, password):
    """Log in and invite a colleague without touching the mouse."""
    page = visitor.page
    visitor.goto("/accounts/login/")
    page.keyboard.press("Tab")
    # The first Tab reaches the skip link, which is then visible.
    assert page.evaluate("document.activeElement.classList.contains('utrecht-skip-link')")
    tab_to(page, "input[name=login]")
    page.keyboard.type(admin_a.email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visitor.check()
    # From the overview to the organisation, by keyboard.
    tab_to(page, f"a[href='/organisaties/{org_a.slug}/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visitor.check()
    tab_to(page, f"a[href='/organisaties/{org_a.slug}/uitnodigen']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visitor.check()
    tab_to(page, "input[name=email]")
    page.keyboard.type("toetsenbord@aadorp.nl")
    # Tab to the role radios; arrow keys choose within the group.
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visitor.check()
    invitation = Invitation.objects.get(email="toetsenbord@aadorp.nl")
    assert invitation.organisation == org_a
    assert not Membership.objects.filter(user__email="toetsenbord@aadorp.nl").exists()
