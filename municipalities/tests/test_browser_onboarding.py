"""Onboarding in a real Chromium, every page axe-checked: a new buyer asks to join Gemeente
Zeist, the project team approves, the buyer lands on the dashboard of Zeist and reaches Zeist's
demand grid from it in one click; the project team invites contacts from a spreadsheet and sees
the refused rows named."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.utils import timezone

from conftest import TOTP_SECRET
from municipalities.models import Municipality, Participation
from municipalities.tests.test_bulk_invite import contacts_workbook, twenty_rows_two_bad
from portal.models import Membership, Organisation, Role, User
from tenders.models import Milestone, Programme
from tenders.tests.conftest import participate
from tests.browser.sessions import log_in_browser
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_and_wait(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def test_a_new_buyer_asks_to_join_zeist_and_the_project_team_approves(visitor, tmp_path):
    from municipalities.services import municipality_register_load

    municipality_register_load()
    zeist = Municipality.objects.get(cbs_code="GM0355").organisation
    # Zeist already takes part in the programme (a colleague joined it before); its demand
    # inventory is open.
    programme = Programme.objects.create(
        slug="gt-hardware",
        name="GT Hardware – werkplek",
        status=Programme.Status.INVENTORY,
        contract_start_year=2028,
    )
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.JOINING_DEADLINE,
        due_at=timezone.now() + timedelta(days=30),
    )
    participate(
        programme,
        zeist,
        [Municipality.objects.get(cbs_code="GM0355")],
        Participation.Status.APPROVED,
    )
    team = OrganisationFactory(
        name="VNG projectteam", slug="vng-projectteam", kind=Organisation.Kind.PROJECT_TEAM
    )
    lead = MembershipFactory(
        organisation=team, role=Role.ADMIN, user=UserFactory(email="team@vng.nl")
    ).user
    TOTP.activate(lead, TOTP_SECRET)  # the project team works with two-factor authentication
    page = visitor.page

    # A new buyer signs up and confirms the address; the confirmation mail names the portal.
    visitor.goto("/accounts/signup/")
    page.get_by_label("E-mail").fill("nieuw@zeist.nl")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (bevestigen)").fill(PASSWORD)
    click_and_wait(visitor, page.get_by_role("button", name="Account aanmaken"))
    assert "GT-portaal" in mail.outbox[-1].body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    visitor.check()
    click_and_wait(visitor, page.get_by_role("button", name="Bevestigen"))
    newcomer = User.objects.get(email="nieuw@zeist.nl")
    visitor.goto("/")
    click_and_wait(
        visitor, page.get_by_role("link", name="Toegang vragen tot uw gemeente of organisatie")
    )
    page.get_by_label("Naam of CBS-code van uw organisatie").fill("GM0355")
    click_and_wait(visitor, page.get_by_role("button", name="Zoeken"))
    click_and_wait(visitor, page.get_by_role("link", name="Toegang vragen tot Gemeente Zeist"))
    page.get_by_label("Uw functie").fill("Inkoper")
    click_and_wait(visitor, page.get_by_role("button", name="Verzoek versturen"))
    assert "Uw verzoek om toegang tot Gemeente Zeist is verstuurd" in page.content()

    log_in_browser(visitor, lead)
    visitor.goto("/")
    click_and_wait(visitor, page.get_by_role("link", name="Beslissen over verzoeken om toegang"))
    page.get_by_label("Beheerder").check()
    click_and_wait(visitor, page.get_by_role("button", name="Goedkeuren nieuw@zeist.nl"))
    assert Membership.objects.get(user=newcomer, organisation=zeist).role == Role.ADMIN

    # The invitation of contacts from a spreadsheet, two rows refused and named.
    visitor.goto("/")
    click_and_wait(
        visitor, page.get_by_role("link", name="Contactpersonen uitnodigen uit een bestand")
    )
    path = tmp_path / "contactpersonen.xlsx"
    path.write_bytes(contacts_workbook(twenty_rows_two_bad()))
    page.get_by_label("Bestand met contactpersonen").set_input_files(str(path))
    click_and_wait(visitor, page.get_by_role("button", name="Uitnodigingen versturen"))
    refused = page.get_by_role("table", name="Geweigerde rijen: verbeter ze en upload ze opnieuw")
    assert "GM9999" in refused.inner_text() and "geen-adres" in refused.inner_text()

    # The same pages on a phone (375 px) pass the accessibility check too.
    report = page.url
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.goto(report.removeprefix(visitor.base_url))
    visitor.goto("/toegangsverzoeken/")
    visitor.goto("/organisatie-toevoegen")
    log_in_browser(visitor, UserFactory(email="ander@zeist.nl"))
    visitor.goto("/aansluiten/?q=zeist")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The buyer now works for Zeist.
    log_in_browser(visitor, newcomer)
    visitor.goto("/")
    assert "Gemeente Zeist" in page.get_by_role("main").inner_text()
    # From the dashboard to Zeist's demand grid: one click after logging in.
    page.get_by_role("button", name="Inventarisatie invullen").click()
    page.wait_for_load_state("load")
    assert re.search(r"/inventarisatie/[0-9a-f-]{36}/$", page.url), page.url
    visitor.check()
