"""The review of a consultation's answers in a real Chromium, every page axe-checked: the
project team closes a consultation whose deadline has passed, compares the suppliers' answers
to one question, and anonymises an open answer for the report (an answer that still names the
supplier is refused next to the field)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import AnswerReview, Consultation
from consultations.services import consultation as consultations
from consultations.services import responses
from portal.models import Organisation, Role
from suppliers.models import SupplierProfile
from tenders.models import Programme
from tests.browser.sessions import log_in_browser
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def supplier(name: str, slug: str):
    organisation = OrganisationFactory(name=name, slug=slug, kind=Organisation.Kind.SUPPLIER)
    return MembershipFactory(
        organisation=organisation, role=Role.ADMIN, user=UserFactory(email=f"verkoop@{slug}.nl")
    ).user


def setup_consultation(actor) -> Consultation:
    """A consultation with three questions, answered by two suppliers (submitted) and a third
    (a draft), whose deadline has just passed."""
    programme = Programme.objects.create(slug="gt-rv", name="GT Review", contract_start_year=2028)
    now = timezone.now()
    consultation = consultations.consultation_create(
        actor=actor,
        programme=programme,
        title="Marktconsultatie werkplek",
        slug="mc-rv",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=3),
    )
    version = consultation.versions.get()
    section = consultations.section_add(actor=actor, version=version, title="Algemeen")
    for kwargs in [
        {"type": "short_text", "text": "Naam van uw product?", "key": "naam"},
        {"type": "long_text", "text": "Wat is uw visie?", "key": "visie", "max_length": 2000},
        {
            "type": "single_choice",
            "text": "Wat is uw rol?",
            "key": "rol",
            "options": ["Fabrikant", "Reseller"],
        },
    ]:
        consultations.question_add(actor=actor, version=version, section=section, **kwargs)
    consultations.questionnaire_publish(actor=actor, version=version)
    consultation = consultations.consultation_publish(actor=actor, consultation=consultation)

    x = supplier("Leverancier X B.V.", "leverancier-x")
    SupplierProfile.objects.create(
        organisation=x.memberships.get().organisation,
        kvk_number="12345678",
        street="Stationsplein",
        house_number="1",
        city="Utrecht",
        verification_status="verified",
    )
    y = supplier("Leverancier Y B.V.", "leverancier-y")
    z = supplier("Leverancier Z B.V.", "leverancier-z")
    for user, answers, submit in [
        (
            x,
            {
                "naam": "Laptop 14",
                "visie": "Leverancier X kiest voor circulair. Mail info@leverancier-x.nl.",
                "rol": "Reseller",
            },
            True,
        ),
        (
            y,
            {"naam": "Werkplek Go", "visie": "Refurbished waar het kan.", "rol": "Fabrikant"},
            True,
        ),
        (z, {"naam": "Concept", "visie": "Nog niet af.", "rol": "Reseller"}, False),
    ]:
        response = responses.response_get_or_create(actor=user, consultation=consultation)
        responses.response_save(actor=user, response=response, answers=answers)
        if submit:
            responses.response_submit(actor=user, response=response)
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=5)
    )
    return consultation


def test_project_team_closes_compares_and_anonymises(visitor, project_team_user):
    consultation = setup_consultation(project_team_user)
    page = visitor.page
    log_in_browser(visitor, project_team_user)

    # Close the consultation after its deadline.
    visitor.goto("/marktconsultaties/mc-rv/beheer")
    page.get_by_role("button", name="Marktconsultatie sluiten").click()
    page.wait_for_load_state("load")
    visitor.check()
    consultation.refresh_from_db()
    assert consultation.status == "closed"
    assert (
        "2 leveranciers hebben een reactie ingediend."
        in page.locator("#review-summary").inner_text()
    )

    # Compare one question across the suppliers.
    page.get_by_role("link", name="Antwoorden per vraag vergelijken").click()
    page.wait_for_load_state("load")
    visitor.check()
    assert page.locator("#review-response-count").inner_text() == "2"
    page.get_by_role("link", name="Wat is uw rol?").click()
    page.wait_for_load_state("load")
    visitor.check()
    answers = page.locator("table:has(#answers-caption) tbody tr")
    assert answers.count() == 2
    assert answers.nth(0).inner_text().split("\t") == ["Leverancier X B.V.", "1", "Reseller"]
    assert answers.nth(1).inner_text().split("\t") == ["Leverancier Y B.V.", "1", "Fabrikant"]
    assert "Leverancier Z" not in page.locator("main").inner_text()  # a draft
    assert page.locator('td[data-option="Reseller"]').inner_text() == "1"
    assert page.locator("svg[role=img]").count() == 1

    # Anonymise supplier X's open answer.
    visitor.goto("/marktconsultaties/mc-rv/beoordeling/anonimiseren")
    assert page.locator("#redaction-progress").inner_text() == "0 van 4 open antwoorden beoordeeld."
    x_response = consultation.responses.get(organisation__slug="leverancier-x")
    page.locator(f'tr[data-response="{x_response.public_id}"][data-key="visie"] a').click()
    page.wait_for_load_state("load")
    visitor.check()
    hints = page.locator("#identifying-hints").inner_text()
    assert "Leverancier X" in hints and "info@leverancier-x.nl" in hints
    # The text for the report starts empty: the reviewer writes it beside the original.
    assert page.locator("#id_redacted_text").input_value() == ""
    assert "Leverancier X kiest voor circulair" in page.locator("#original-answer").inner_text()

    page.fill(
        "#id_redacted_text", "Leverancier X kiest voor circulair. Mail info@leverancier-x.nl."
    )
    page.get_by_label("Deze tekst opnemen in het verslag").check()
    page.get_by_role("button", name="Beoordeling opslaan").click()
    page.wait_for_load_state("load")
    visitor.check()
    error = page.locator("#id_redacted_text-error").inner_text()
    assert "Verwijder de naam van de leverancier" in error and "info@leverancier-x.nl" in error
    assert not AnswerReview.objects.exists()

    page.fill("#id_redacted_text", "Een leverancier kiest voor circulair.")
    page.get_by_label("Deze tekst opnemen in het verslag").check()
    page.get_by_role("button", name="Beoordeling opslaan").click()
    page.wait_for_load_state("load")
    visitor.check()
    # On to the next answer that still needs a review.
    assert "/marktconsultaties/mc-rv/beoordeling/anonimiseren/" in page.url
    assert "De beoordeling is opgeslagen." in page.locator("main").inner_text()
    visitor.goto("/marktconsultaties/mc-rv/beoordeling/anonimiseren")
    assert page.locator("#redaction-progress").inner_text() == "1 van 4 open antwoorden beoordeeld."
    row = page.locator(f'tr[data-response="{x_response.public_id}"][data-key="visie"]')
    assert "Opgenomen" in row.inner_text()
    review = AnswerReview.objects.get()
    assert review.include and review.redacted_text == "Een leverancier kiest voor circulair."

    # Work through the answers that still need a review: filter the list.
    page.get_by_label("Beoordeling", exact=True).select_option(label="Nog te beoordelen")
    page.get_by_label("Vraag", exact=True).select_option(value="visie")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_load_state("load")
    visitor.check()
    assert "vraag=visie" in page.url and "status=te-beoordelen" in page.url
    rows = page.locator("table:has(#open-answers-caption) tbody tr")
    assert rows.count() == 1
    assert "Leverancier Y B.V." in rows.nth(0).inner_text()
    assert "1 voldoet aan het filter" in page.locator("#open-answers-matching").inner_text()
    # The progress still counts every open answer.
    assert page.locator("#redaction-progress").inner_text() == "1 van 4 open antwoorden beoordeeld."
