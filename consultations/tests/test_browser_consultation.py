"""The market consultation in a real Chromium, every page axe-checked: the project team
creates a consultation, uploads a document, builds a questionnaire with every question type,
publishes it and the consultation; an anonymous visitor reads the announcement."""

import pytest

from catalog.services import catalog_load_reference
from consultations.models import Consultation, Question
from tenders.models import Programme
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[9 0 R]/Count 1>>endobj\n"
    b"9 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
T = Question.Type
EXTRA = {
    T.LONG_TEXT: {"#id_question-max_length": "2000"},
    T.SINGLE_CHOICE: {"#id_question-options": "Fabrikant\nReseller"},
    T.MULTIPLE_CHOICE: {"#id_question-options": "TCO Certified\nEPEAT\nEnergielabel"},
    T.NUMBER: {"#id_question-unit": "dagen"},
}


def submit(page, action: str) -> None:
    page.locator(f'form:has(input[name="action"][value="{action}"]) button[type=submit]').click()
    page.wait_for_load_state("load")


def test_project_team_builds_and_publishes_a_consultation(
    visitor, project_team_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    catalog_load_reference()
    Programme.objects.create(
        slug="gt-mc", name="GT Marktconsultatie", status="consultation", contract_start_year=2028
    )
    page = visitor.page
    log_in_browser(visitor, project_team_user)
    visitor.goto("/")
    assert page.locator('a[href="/programmas/gt-mc/marktconsultaties"]').count() == 1

    # Create the consultation.
    visitor.goto("/programmas/gt-mc/marktconsultaties")
    page.fill("#id_title", "Marktconsultatie werkplek")
    page.fill("#id_introduction", "Wij horen graag hoe u naar de werkplek kijkt.")
    page.fill("#id_opens_date", "01-02-2035")
    page.fill("#id_opens_time", "09:00")
    page.fill("#id_closes_date", "01-03-2035")
    page.get_by_role("button", name="Marktconsultatie aanmaken").click()
    page.wait_for_load_state("load")
    visitor.check()
    consultation = Consultation.objects.get()
    assert page.url.endswith(f"/marktconsultaties/{consultation.slug}/beheer")

    # Upload a document: a non-PDF is refused next to the field, a PDF is accepted.
    page.fill("#id_document-title", "Concept programma van eisen")
    page.set_input_files(
        "#id_document-file", {"name": "x.pdf", "mimeType": "application/pdf", "buffer": b"GIF89a"}
    )
    submit(page, "document")
    visitor.check()
    assert page.locator("#id_document-file-error").count() == 1
    assert page.input_value("#id_document-title") == "Concept programma van eisen"
    page.set_input_files(
        "#id_document-file", {"name": "pve.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    submit(page, "document")
    visitor.check()
    assert consultation.documents.count() == 1

    # Build the questionnaire: a section, a refused question, then every question type.
    visitor.goto(f"/marktconsultaties/{consultation.slug}/vragenlijst")
    page.fill("#id_section-title", "Algemeen")
    submit(page, "section")
    visitor.check()
    page.select_option("#id_question-type", T.SINGLE_CHOICE)
    page.fill("#id_question-text", "Wat is uw rol?")
    page.fill("#id_question-options", "Alleen deze")
    submit(page, "question")
    visitor.check()
    assert page.locator("#id_question-options-error").count() == 1
    assert page.input_value("#id_question-text") == "Wat is uw rol?"
    for type_ in T.values:
        page.select_option("#id_question-type", type_)
        page.fill("#id_question-text", f"Vraag van het type {type_}?")
        page.fill("#id_question-options", "")
        for selector, value in EXTRA.get(type_, {}).items():
            page.fill(selector, value)
        if type_ == T.PRICE_PER_ITEM:
            page.check("#id_question-categories_0")
        submit(page, "question")
        assert page.locator(".portal-error-summary").count() == 0, type_
    visitor.check()
    version = consultation.versions.get()
    assert sorted(version.questions.values_list("type", flat=True)) == sorted(T.values)

    submit(page, "publish")
    visitor.check()
    version.refresh_from_db()
    assert version.status == "published"
    assert page.locator('input[value="new_version"]').count() == 1

    # Publish the consultation.
    visitor.goto(f"/marktconsultaties/{consultation.slug}/beheer")
    page.get_by_role("button", name="Marktconsultatie publiceren").click()
    page.wait_for_load_state("load")
    visitor.check()
    consultation.refresh_from_db()
    assert consultation.status == "published"

    # The announcement, anonymously.
    page.context.clear_cookies()
    visitor.goto("/programmas/gt-mc")
    page.locator(f'a[href="/marktconsultaties/{consultation.slug}"]').click()
    page.wait_for_load_state("load")
    visitor.check()
    main = page.locator("main")
    assert "Marktconsultatie werkplek" in main.inner_text()
    assert main.locator('a[href="/leveranciers/registreren"]').count() == 1
    assert main.locator("time").count() == 2
    document = consultation.documents.get()
    link = main.locator(
        f'a[href="/marktconsultaties/{consultation.slug}/documenten/{document.public_id}"]'
    )
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
