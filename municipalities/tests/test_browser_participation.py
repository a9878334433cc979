"""Joining journeys in a real Chromium, every page axe-checked; the mandate is rendered by a
real Celery worker."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from conftest import TOTP_SECRET, totp_code
from municipalities.models import CoveredMunicipality, Participation
from municipalities.tests.conftest import MINIMAL_PDF
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_and_wait(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def fill_procurement_contact(page) -> None:
    page.get_by_label("Naam, contactpersoon voor inkoop").fill("Ilse Inkoper")
    page.get_by_label("E-mailadres, contactpersoon voor inkoop").fill("inkoop@aadorp.nl")


@pytest.mark.celery
def test_register_record_the_signer_sign_with_mfa_and_approve(
    visitor, celery_worker, programme, municipalities, editor_a, admin_a, project_team_user, org_a
):
    page = visitor.page
    # 1. The municipal editor registers.
    log_in_browser(visitor, editor_a)
    visitor.goto("/deelnames/")
    click_and_wait(visitor, page.get_by_role("link", name=f"Deelnemen aan {programme.name}"))
    page.get_by_label("Einddatum van uw huidige hardwarecontract").fill("31-12-2027")
    fill_procurement_contact(page)
    click_and_wait(visitor, page.get_by_role("button", name="Aanmelding opslaan"))
    participation = Participation.objects.get(organisation=org_a)
    assert participation.status == Participation.Status.DRAFT

    # 2. The editor records the college's decision and the signer (the mayor, admin_a in the
    # portal), then has the mandate generated; a real worker renders it.
    click_and_wait(visitor, page.get_by_role("link", name="2. Mandaat ondertekenen"))
    page.get_by_label("Datum van het collegebesluit").fill("13-01-2026")
    page.get_by_label("Kenmerk van het collegebesluit").fill("B&W 2026/17")
    page.get_by_label("Het collegebesluit (pdf, hoogstens 10 MB)").set_input_files(
        {"name": "besluit.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    page.get_by_label("De burgemeester (Gemeentewet art. 171 lid 1)").check()
    page.get_by_label("Het account van de ondertekenaar in het portaal").select_option(
        str(admin_a.pk)
    )
    page.get_by_label("Naam van degene die ondertekent").fill("Jan de Burgemeester")
    page.get_by_label("Functie van degene die ondertekent").fill("burgemeester")
    click_and_wait(visitor, page.get_by_role("button", name="Vastleggen wie mag ondertekenen"))
    click_and_wait(visitor, page.get_by_role("button", name="Mandaat maken"))
    # The status updates itself (htmx polling) until the worker is done.
    page.get_by_text("Versie 1 is klaar.").wait_for(timeout=60_000)
    visitor.check()

    # 3. The designated signer signs in the portal, re-confirming with a TOTP code.
    TOTP.activate(admin_a, TOTP_SECRET)
    log_in_browser(visitor, admin_a)
    visitor.goto(f"/deelnames/{participation.public_id}/mandaat")
    page.get_by_label("Code uit uw authenticator-app").fill("123456")
    click_and_wait(visitor, page.get_by_role("button", name="Mandaat ondertekenen"))
    assert page.title().startswith("Fout: ")
    page.get_by_label("Code uit uw authenticator-app").fill(totp_code())
    click_and_wait(visitor, page.get_by_role("button", name="Mandaat ondertekenen"))
    signature = participation.mandate_signatures.get()
    assert (signature.signatory, signature.signatory_name) == (admin_a, "Jan de Burgemeester")
    assert signature.sha256 == participation.mandate_documents.get().sha256

    # 4. Check and submit.
    click_and_wait(visitor, page.get_by_role("link", name="3. Controleren en indienen"))
    click_and_wait(visitor, page.get_by_role("button", name="Aanmelding indienen"))
    assert page.get_by_role("heading", level=1).inner_text() == "Aanmelding ontvangen"

    # 5. The project team checks the decision and the signer, then approves.
    log_in_browser(visitor, project_team_user)
    visitor.goto(f"/deelnames/{participation.public_id}/")
    assert "Voordat u kunt goedkeuren:" in page.locator("main").inner_text()
    click_and_wait(visitor, page.get_by_role("link", name="Mandaat controleren"))
    click_and_wait(
        visitor, page.get_by_role("button", name="Controle van besluit en ondertekenaar bevestigen")
    )
    visitor.goto(f"/deelnames/{participation.public_id}/")
    click_and_wait(visitor, page.get_by_role("button", name="Aanmelding goedkeuren"))
    participation.refresh_from_db()
    assert participation.status == Participation.Status.APPROVED


def test_joint_body_joins_for_three_municipalities(
    visitor, programme, municipalities, joint_body_user, joint_body
):
    page = visitor.page
    log_in_browser(visitor, joint_body_user)
    visitor.goto(f"/deelnames/nieuw/{programme.slug}")
    for name in ("Aadorp", "Cadorp", "Dedorp"):
        page.get_by_label(name, exact=True).check()
    fill_procurement_contact(page)
    click_and_wait(visitor, page.get_by_role("button", name="Aanmelding opslaan"))
    participation = Participation.objects.get(organisation=joint_body)
    assert participation.covered.count() == 3
    for name in ("Aadorp", "Cadorp", "Dedorp"):
        assert name in page.locator("main").inner_text()


def test_viewer_cannot_submit(visitor, participation_a, viewer_a):
    page = visitor.page
    log_in_browser(visitor, viewer_a)
    visitor.goto(f"/deelnames/{participation_a.public_id}/")
    assert page.get_by_role("link", name="3. Controleren en indienen").count() == 0
    assert page.get_by_role("link", name=re.compile("Wijzigen")).count() == 0
    response = visitor.goto(f"/deelnames/{participation_a.public_id}/indienen")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "U mag dit niet doen"


def test_municipality_already_covered_is_refused(
    visitor, programme, municipalities, participation_a, joint_body_user
):
    page = visitor.page
    log_in_browser(visitor, joint_body_user)
    visitor.goto(f"/deelnames/nieuw/{programme.slug}")
    page.get_by_label("Aadorp", exact=True).check()
    page.get_by_label("Cadorp", exact=True).check()
    fill_procurement_contact(page)
    click_and_wait(visitor, page.get_by_role("button", name="Aanmelding opslaan"))
    assert page.title().startswith("Fout: ")
    summary = page.locator(".portal-error-summary")
    assert "Aadorp doet al mee via Gemeente Aadorp" in summary.inner_text()
    # Nothing the user entered is lost, nothing is stored.
    assert page.get_by_label("Cadorp", exact=True).is_checked()
    assert not CoveredMunicipality.objects.filter(municipality=municipalities["c"]).exists()
