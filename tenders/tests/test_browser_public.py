# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The public tender page and following it by e-mail, in a real Chromium, every page
axe-checked: a visitor reads the page, opens a lot's page of authorities and searches it for a
municipality, gives a wrong address and is told next to the field, subscribes, confirms with
the link from the mail, and stops the mails again with the link every mail carries."""

import re

import pytest

from tenders.models import Subscription
from tenders.tests.public_helpers import published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/aanbestedingen/VNG-GT-AGG"


def submit(visitor, locator) -> None:
    with visitor.page.expect_navigation():
        locator.click()
    visitor.check()


def link(mail, kind: str) -> str:
    found = re.search(rf"https?://[^/\s]+(/aanbestedingen/\S+/volgen/{kind}/\S+)", mail.body)
    assert found, mail.body
    return found.group(1)


def test_a_visitor_reads_subscribes_confirms_and_unsubscribes(visitor, setup, personas, mailoutbox):
    published_tender(setup, personas)
    page = visitor.page
    visitor.goto("/aanbestedingen")
    submit(visitor, page.get_by_role("link", name="GT Agg"))
    assert page.url.endswith(URL)
    main = page.locator("main")
    assert "€ 116.000,00" in main.inner_text()
    assert page.locator('link[rel="alternate"][type="application/json"]').count() == 1

    submit(visitor, page.get_by_role("link", name="Perceel 1: Werkplek"))
    table = page.get_by_role("table", name="4 organisaties")
    assert "Aadorp" in table.inner_text()
    page.get_by_role("searchbox", name="Naam of kenmerk").fill("Cadorp")
    submit(visitor, page.get_by_role("button", name="Zoeken"))
    rows = page.get_by_role("table", name="2 organisaties komen overeen met “Cadorp”")
    assert "Werkorganisatie Duo" in rows.inner_text() and "Aadorp" not in rows.inner_text()
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})
    submit(visitor, page.get_by_role("link", name="Terug naar GT Agg"))
    assert page.url.endswith(URL)

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("E-mailadres").fill("geen-adres")
    submit(visitor, page.get_by_role("button", name="Aanbesteding volgen"))
    assert page.title().startswith("Fout: ")
    assert "zoals naam@voorbeeld.nl" in page.locator("#id_email-error").inner_text()

    page.get_by_label("E-mailadres").fill("lezer@voorbeeld.nl")
    submit(visitor, page.get_by_role("button", name="Aanbesteding volgen"))
    assert "Kijk in uw e-mail" in page.locator("h1").inner_text()
    [mail] = mailoutbox

    visitor.goto(link(mail, "bevestigen"))
    assert Subscription.objects.get().confirmed_at is None  # the GET changed nothing
    submit(visitor, page.get_by_role("button", name="Aanmelding bevestigen"))
    assert "Uw aanmelding is bevestigd." in page.locator("main").inner_text()
    assert Subscription.objects.get().is_active

    visitor.goto(link(mail, "afmelden"))
    assert Subscription.objects.get().is_active
    submit(visitor, page.get_by_role("button", name="Afmelden"))
    assert "U bent afgemeld." in page.locator("main").inner_text()
    assert not Subscription.objects.get().is_active

    visitor.goto(link(mail, "bevestigen"))  # used: the page says why it does not work
    assert "Deze link werkt niet" in page.locator("h1").inner_text()
