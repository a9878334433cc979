"""Clarification questions in a real Chromium, every page axe-checked: supplier X asks a
question, the project team rephrases it (the asker's own words are refused), answers and
publishes it, and supplier Y and an anonymous visitor read it on the public page without
learning who asked."""

import pytest

from consultations.models import ClarificationQuestion
from tenders.tests.conftest import open_consultation
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "mc-browser-vragen"
ASKER = "Xaveria Vraagsteller"
SECRET = "Mag Leverancier X B.V. haar eigen Vraagmerk-laptops aanbieden?"
REPHRASED = "Mogen refurbished laptops van één merk worden aangeboden?"
ANSWER = "Ja, als ze aan het programma van eisen voldoen."


def consultation_for(actor):
    return open_consultation(
        actor,
        slug=SLUG,
        programme_slug="gt-browser-vragen",
        question_key="r",
        programme_status="consultation",
    )


def click(visitor, name: str, role: str = "button") -> None:
    visitor.page.get_by_role(role, name=name).click()
    visitor.page.wait_for_load_state("load")
    visitor.check()


def test_supplier_asks_project_team_publishes_and_others_read_it_anonymously(
    visitor, supplier_x_user, supplier_y_user, project_team_user
):
    supplier_x_user.name = ASKER
    supplier_x_user.save(update_fields=["name"])
    consultation_for(project_team_user)
    page = visitor.page

    # Supplier X finds the questions page from its answers and asks a question.
    log_in_browser(visitor, supplier_x_user)
    visitor.goto(f"/marktconsultaties/{SLUG}/antwoorden")
    click(visitor, "Stel het projectteam een vraag of lees de gepubliceerde antwoorden", "link")
    assert page.url.endswith(f"/marktconsultaties/{SLUG}/vragen")
    click(visitor, "Vraag versturen")
    assert page.locator(".portal-error-summary").count() == 1
    assert page.locator("#id_question-error").inner_text() == "Vul uw vraag in."
    page.fill("#id_question", SECRET)
    click(visitor, "Vraag versturen")
    main = page.locator("main").inner_text()
    assert "Uw vraag is naar het projectteam gestuurd." in main
    assert SECRET in main and "Wacht op antwoord" in main
    question = ClarificationQuestion.objects.get()

    # The project team answers from the consultation's management page.
    log_in_browser(visitor, project_team_user)
    visitor.goto(f"/marktconsultaties/{SLUG}/beheer")
    assert "1 vraag wacht op antwoord." in page.locator("main").inner_text()
    click(visitor, "Vragen van leveranciers beantwoorden", "link")
    assert "Leverancier X B.V." in page.locator("main").inner_text()
    page.locator(f'a[href$="/vragen/{question.public_id}/beantwoorden"]').click()
    page.wait_for_load_state("load")
    visitor.check()
    # The public wording starts neutral, not from the asker's words.
    assert (
        page.input_value("#id_publish-public_question")
        == "Mag [verwijderd] haar eigen Vraagmerk-laptops aanbieden?"
    )
    # The asker's own words are refused next to the field, naming what was found.
    page.fill("#id_publish-public_question", SECRET)
    page.fill("#id_publish-answer", ANSWER)
    click(visitor, "Antwoord publiceren")
    error = page.locator("#id_publish-public_question-error").inner_text()
    assert "Deze tekst maakt een leverancier die meedoet herkenbaar" in error
    assert "de naam ‘Leverancier X B.V.’" in error
    question.refresh_from_db()
    assert question.status == "open"
    page.fill("#id_publish-public_question", REPHRASED)
    page.fill("#id_publish-answer", ANSWER)
    click(visitor, "Antwoord publiceren")
    assert "Vraag 1 en het antwoord zijn gepubliceerd." in page.locator("main").inner_text()
    question.refresh_from_db()
    assert (question.status, question.number) == ("published", 1)

    # Supplier Y and an anonymous visitor read it on the public page, without the asker.
    for user in (supplier_y_user, None):
        if user is None:
            page.context.clear_cookies()
        else:
            log_in_browser(visitor, user)
        visitor.goto(f"/marktconsultaties/{SLUG}")
        section = page.locator("main").inner_text()
        assert "Vragen en antwoorden" in section
        assert "Vraag 1" in section and REPHRASED in section and ANSWER in section
        html = page.content()
        for text in ("Leverancier X", ASKER, supplier_x_user.email, "Vraagmerk"):
            assert text not in html, text

    # Supplier X sees that its question was published under number 1.
    log_in_browser(visitor, supplier_x_user)
    visitor.goto(f"/marktconsultaties/{SLUG}/vragen")
    main = page.locator("main").inner_text()
    assert "Gepubliceerd als vraag 1" in main and "Beantwoord en gepubliceerd" in main
