"""A supplier's whole journey through a market consultation in a real Chromium, every page
axe-checked: a visitor finds the open consultation on the public home page, creates an account
(with e-mail verification) from the consultation page, registers the company, answers several
questions including a PDF upload, saves a draft, logs out, comes back, is told by a named error
summary which question is missing, completes it and submits, ending on a receipt with a
reference. The public pages and the receipt are also checked at 375 px (axe) and 320 px (no
horizontal scrolling)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from consultations.models import ConsultationResponse
from consultations.services import consultation as consultations
from portal.models import Membership, Organisation, OutboxMessage, Role
from suppliers.models import KvkExtract
from suppliers.verification import extract_decide
from tenders.models import Programme
from tests.browser.fixtures import check_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "inkoop@groenehardware.nl"
PASSWORD = "Zeer-geheim-wachtwoord-2035"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[9 0 R]/Count 1>>endobj\n"
    b"9 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PDF_WITH_JAVASCRIPT = PDF.replace(
    b"/Pages 2 0 R>>", b"/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>"
)


def click_and_wait(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def check_narrow(visitor) -> None:
    """The page passes axe at 375 px and needs no horizontal scrolling at 320 px."""
    page = visitor.page
    page.set_viewport_size({"width": 375, "height": 800})
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def publish_consultation(project_team_user):
    programme = Programme.objects.create(
        slug="gt-reis", name="GT Hardware", status="consultation", contract_start_year=2028
    )
    now = timezone.now()
    item = consultations.consultation_create(
        actor=project_team_user,
        programme=programme,
        title="Marktconsultatie werkplek",
        slug="mc-werkplek",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=30),
    )
    version = item.versions.get()
    section = consultations.section_add(actor=project_team_user, version=version, title="Algemeen")
    for kwargs in [
        {"type": "short_text", "text": "Wat is de naam van uw product?", "key": "naam"},
        {"type": "yes_no", "text": "Levert u refurbished apparaten?", "key": "refurbished"},
        {
            "type": "long_text",
            "text": "Hoe kijkt u naar circulariteit?",
            "key": "visie",
            "max_length": 2000,
            "required": False,
        },
        {"type": "file", "text": "Productbrochure", "key": "brochure"},
    ]:
        consultations.question_add(
            actor=project_team_user, version=version, section=section, **kwargs
        )
    consultations.questionnaire_publish(actor=project_team_user, version=version)
    return consultations.consultation_publish(actor=project_team_user, consultation=item)


def log_in(visitor, email: str, password: str) -> None:
    visitor.goto("/accounts/login/")
    page = visitor.page
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    click_and_wait(visitor, page.get_by_role("button", name="Inloggen"))


def test_a_supplier_registers_answers_saves_comes_back_and_submits(
    visitor, project_team_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    consultation = publish_consultation(project_team_user)
    page = visitor.page
    answers_url = f"/marktconsultaties/{consultation.slug}/antwoorden"

    # A visitor finds the open consultation on the public home page, and there the "take
    # part" route: register as a supplier, which first needs an account; the e-mail address is
    # verified with the link in the mail.
    visitor.goto("/")
    check_narrow(visitor)
    open_list = page.get_by_role("region", name="Open marktconsultaties")
    click_and_wait(visitor, open_list.get_by_role("link", name="Marktconsultatie werkplek"))
    assert page.url.endswith(f"/marktconsultaties/{consultation.slug}")
    check_narrow(visitor)
    assert page.get_by_role("link", name="Inloggen", exact=True).last.is_visible()
    click_and_wait(visitor, page.get_by_role("link", name="Registreren als leverancier"))
    assert "/accounts/login/" in page.url
    click_and_wait(visitor, page.get_by_role("link", name=re.compile("account aan", re.I)))
    assert "/accounts/signup/" in page.url
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (bevestigen)").fill(PASSWORD)
    click_and_wait(visitor, page.get_by_role("button", name="Account aanmaken"))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    visitor.page.goto(link)
    visitor.check()
    click_and_wait(visitor, page.get_by_role("button", name="Bevestigen"))

    # The new account registers its company and becomes its administrator.
    visitor.goto("/leveranciers/registreren")
    page.get_by_label("Bedrijfsnaam").fill("Groene Hardware B.V.")
    page.get_by_label("KvK-nummer").fill("87654321")
    page.get_by_label("Straat").fill("Stationsplein")
    page.get_by_label("Huisnummer").fill("1")
    page.get_by_label("Postcode").fill("3511ed")
    page.get_by_label("Plaats").fill("Utrecht")
    click_and_wait(visitor, page.get_by_role("button", name="Bedrijf registreren"))
    organisation = Organisation.objects.get(kind=Organisation.Kind.SUPPLIER)
    assert Membership.objects.get(user__email=EMAIL, organisation=organisation).role == Role.ADMIN

    # A new company is not verified yet: it uploads its KvK extract on the page it lands on,
    # and the project team approves the extract.
    assert f"/leveranciers/{organisation.slug}/verificatie" in page.url
    assert "nog niet geverifieerd" in page.locator("main").inner_text()
    page.get_by_label(re.compile("KvK-uittreksel")).set_input_files(
        {"name": "uittreksel.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    click_and_wait(visitor, page.get_by_role("button", name="Uittreksel uploaden"))
    assert "wacht op het projectteam" in page.locator("main").inner_text()
    extract_decide(actor=project_team_user, extract=KvkExtract.objects.get(), approve=True)

    # Answer some questions. A PDF with JavaScript is refused; what was typed stays.
    visitor.goto(answers_url)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Uw antwoorden")
    page.get_by_label("Wat is de naam van uw product?").fill("EcoBook 14")
    page.get_by_label(re.compile("Hoe kijkt u naar circulariteit?")).fill(
        "Wij nemen apparaten terug en wissen gegevens gecertificeerd."
    )
    page.get_by_label("Productbrochure").set_input_files(
        {"name": "brochure.pdf", "mimeType": "application/pdf", "buffer": PDF_WITH_JAVASCRIPT}
    )
    click_and_wait(visitor, page.get_by_role("button", name="Concept opslaan"))
    assert page.title().startswith("Fout: ")
    assert "JavaScript" in page.locator("#id_brochure-error").inner_text()
    assert page.get_by_label("Wat is de naam van uw product?").input_value() == "EcoBook 14"
    assert not ConsultationResponse.objects.get().answers.exists()

    page.get_by_label("Productbrochure").set_input_files(
        {"name": "EcoBook brochure.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    click_and_wait(visitor, page.get_by_role("button", name="Concept opslaan"))
    assert "als concept opgeslagen" in page.locator(".portal-messages").inner_text()
    response = ConsultationResponse.objects.get()
    assert response.status == "draft"
    assert response.answers.get(question_key="brochure").value["name"] == "EcoBook brochure.pdf"

    # Log out, and come back later.
    click_and_wait(visitor, page.get_by_role("button", name=re.compile("Uitloggen")))
    assert page.get_by_role("link", name="Inloggen").first.is_visible()
    log_in(visitor, EMAIL, PASSWORD)
    visitor.goto(answers_url)
    assert page.get_by_label("Wat is de naam van uw product?").input_value() == "EcoBook 14"
    assert "gecertificeerd" in page.get_by_label(re.compile("circulariteit")).input_value()
    stored = page.get_by_role("link", name="EcoBook brochure.pdf")
    with page.expect_download() as download:
        stored.click()
    assert download.value.suggested_filename == "brochure-ecobook-brochure.pdf"
    assert download.value.path().read_bytes() == PDF

    # The questions are shown under their section's heading.
    assert page.get_by_role("heading", level=2, name="Algemeen").is_visible()

    # Submitting without the required yes/no answer is refused at that question; the error
    # summary names the question and its link moves the focus to it.
    click_and_wait(visitor, page.get_by_role("button", name="Antwoorden versturen"))
    assert page.title().startswith("Fout: ")
    assert "Beantwoord deze vraag." in page.locator("#id_refurbished-error").inner_text()
    named = page.get_by_role("link", name="Vraag 2 – Levert u refurbished apparaten?: beantwoord")
    named.click()
    assert page.evaluate("document.activeElement.id") == "id_refurbished_0"
    page.get_by_role("radio", name="Ja").check()
    click_and_wait(visitor, page.get_by_role("button", name="Antwoorden versturen"))

    # The receipt: a reference and the time, and a confirmation mail to the submitter.
    response.refresh_from_db()
    reference = f"I-{response.public_id.hex[:8].upper()}-1"
    assert f"{answers_url}/ontvangstbewijs/1" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "We hebben uw antwoorden ontvangen"
    assert page.get_by_test_id("receipt-reference").inner_text() == reference
    assert page.locator(".portal-messages").count() == 0  # the heading says it, once
    assert EMAIL in page.locator("main").inner_text()
    check_narrow(visitor)
    assert OutboxMessage.objects.filter(recipient=EMAIL, subject__contains=reference).exists()
    assert response.status == "submitted" and response.submitted_at is not None
    assert response.organisation == organisation
    answers = {a.question_key: a.value for a in response.answers.all()}
    assert answers["refurbished"] is True and answers["naam"] == "EcoBook 14"
