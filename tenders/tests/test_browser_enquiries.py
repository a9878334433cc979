# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The nota van inlichtingen in a real Chromium, every page axe-checked: a supplier's member
logs in from the public tender page and asks a question (first forgetting it, told next to the
field); a team member answers it in a neutral wording (the original, which names the supplier,
is refused) and asks to publish; the same member cannot confirm, a second one does; the public
page and a subscriber's mail show the numbered question and answer without the asker, and the
supplier sees its question as published."""

import re

import pytest
from playwright.sync_api import expect

from tenders.models import Enquiry
from tenders.tests.change_helpers import second_member, subscribe
from tenders.tests.public_helpers import published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401
from tests.browser.sessions import log_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_URL = "/aanbestedingen/VNG-GT-AGG"
TEAM_URL = "/programmas/gt-agg/aanbesteding/vragen"
QUESTION = "Wij, Leverancier X B.V., vragen: mogen de laptops ook met 8 GB geheugen komen?"
PUBLIC = "Mogen de laptops ook met 8 GB geheugen worden geleverd?"
ANSWER = "Nee, het minimum is 16 GB (eis 3.2)."


def submit(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def test_a_question_is_asked_answered_and_published_without_the_asker(
    visitor, setup, personas, password, mailoutbox
):
    tender = published_tender(setup, personas)
    subscribe(tender, "lezer@voorbeeld.nl")
    page = visitor.page

    # A supplier's member comes from the public page and logs in to ask.
    visitor.goto(PUBLIC_URL)
    ask = page.get_by_test_id("ask-question")
    assert "22 maart 2027" in ask.inner_text()
    submit(visitor, page.get_by_role("link", name="Log in als geregistreerde leverancier"))
    page.get_by_label(re.compile("E-mail", re.I)).fill(personas["supplier_x"].user.email)
    page.get_by_label(re.compile("Wachtwoord", re.I)).fill(password)
    submit(visitor, page.get_by_role("button", name=re.compile("Inloggen|Aanmelden", re.I)))
    assert page.url.endswith(f"{PUBLIC_URL}/vragen")
    assert "Leverancier X B.V." in page.locator("main").inner_text()

    page.get_by_label("Perceel").select_option("2")
    page.get_by_label("Document en paragraaf").fill("Programma van eisen 3.2")
    submit(visitor, page.get_by_role("button", name="Vraag versturen"))
    assert page.title().startswith("Fout: ")
    assert "Vul uw vraag in." in page.locator("#id_question-error").inner_text()
    assert page.locator('.portal-error-summary a[href="#id_question"]').count() == 1
    assert page.get_by_label("Document en paragraaf").input_value() == "Programma van eisen 3.2"

    page.get_by_label("Uw vraag").fill(QUESTION)
    expect(page.locator("#id_question-count")).to_have_text(
        f"U heeft nog {2000 - len(QUESTION)} tekens over."
    )
    submit(visitor, page.get_by_role("button", name="Vraag versturen"))
    enquiry = Enquiry.objects.get()
    assert enquiry.lot_number == 2 and enquiry.section == "Programma van eisen 3.2"
    reference = "V-" + enquiry.public_id.hex[:8].upper()
    receipt = page.locator(".portal-messages").inner_text()
    assert "Uw vraag is ontvangen op" in receipt and f"kenmerk {reference}" in receipt
    row = page.locator(f'tr[data-reference="{reference}"]')
    assert "Ingediend" in row.inner_text() and "Perceel 2" in row.inner_text()

    # A team member answers, first with the original wording (it names the supplier).
    log_in_browser(visitor, personas["project_team"].user)
    visitor.goto("/programmas/gt-agg/aanbesteding")
    assert "(1 open vraag)" in page.get_by_test_id("open-questions").inner_text()
    submit(visitor, page.get_by_role("link", name="Vragen van leveranciers en nota's van"))
    row = page.locator(f'tr[data-reference="{reference}"]')
    assert "Leverancier X B.V." in row.inner_text()
    submit(visitor, row.get_by_role("link", name=f"Vraag beantwoorden ({reference})"))
    assert page.get_by_label("Vraag zoals gepubliceerd").input_value() == QUESTION
    page.get_by_label("Antwoord", exact=True).fill(ANSWER)
    submit(visitor, page.get_by_role("button", name="Antwoord opslaan"))
    assert page.title().startswith("Fout: ")
    error = page.locator("#id_answer-public_question-error").inner_text()
    assert "formuleer de vraag neutraal" in error
    assert page.get_by_label("Antwoord", exact=True).input_value() == ANSWER
    page.get_by_label("Vraag zoals gepubliceerd").fill(PUBLIC)
    submit(visitor, page.get_by_role("button", name="Antwoord opslaan"))
    assert "Het antwoord op vraag" in page.locator(".portal-messages").inner_text()

    submit(visitor, page.get_by_role("button", name="Nota van inlichtingen publiceren"))
    pending = page.get_by_test_id("pending-round")
    assert PUBLIC in pending.inner_text() and ANSWER in pending.inner_text()
    assert "een ander lid van het projectteam moet haar bevestigen" in pending.inner_text()
    assert (
        page.get_by_role("button", name="Bevestigen: nota van inlichtingen publiceren").count() == 0
    )

    # A second member confirms.
    log_in_browser(visitor, second_member(personas))
    mailoutbox.clear()
    visitor.goto(TEAM_URL)
    submit(visitor, page.get_by_role("button", name="Bevestigen: nota van inlichtingen publiceren"))
    assert "Nota van inlichtingen 1 is gepubliceerd." in page.locator("main").inner_text()

    # The public page: the numbered question and its answer, without the asker.
    page.context.clear_cookies()
    visitor.goto(PUBLIC_URL)
    notices = page.locator("section[aria-labelledby='notices-title']").inner_text()
    assert "Nota van inlichtingen 1" in notices and "Vraag 1" in notices
    assert PUBLIC in notices and ANSWER in notices
    main = page.locator("main").inner_text()
    assert "Leverancier X" not in main and "Wij, Leverancier" not in main
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})

    # The subscriber's mail.
    [mail] = mailoutbox
    assert mail.to == ["lezer@voorbeeld.nl"]
    assert mail.subject == "Nota van inlichtingen 1 voor GT Agg"
    assert PUBLIC in mail.body and ANSWER in mail.body
    assert "Leverancier X" not in mail.body and "Wij, Leverancier" not in mail.body

    # The supplier sees its question as published, with a link to it.
    log_in_browser(visitor, personas["supplier_x"].user)
    visitor.goto(f"{PUBLIC_URL}/vragen")
    row = page.locator(f'tr[data-reference="{reference}"]')
    assert "gepubliceerd in nota van inlichtingen 1, vraag 1" in row.inner_text()
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})
    submit(visitor, row.get_by_role("link", name=re.compile("gepubliceerd in nota")))
    assert page.url.endswith(f"{PUBLIC_URL}#vraag-1")
