# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""Following a tender by e-mail: double opt-in, a confirmation and an unsubscribe that only a
POST carries out, one mail an hour from the form, the same answer for every address, and the
news mailed to confirmed subscribers only, once each, with an unsubscribe link."""

import re
from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from tenders.models import Subscription
from tenders.services.subscriptions import subscribers_notify, subscription_request
from tenders.tests.public_helpers import published_tender
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/aanbestedingen/VNG-GT-AGG"


def link(mail, kind: str) -> str:
    found = re.search(rf"https?://[^/\s]+(/aanbestedingen/\S+/volgen/{kind}/\S+)", mail.body)
    assert found, mail.body
    return found.group(1)


def subscribe(client, email: str):
    """The form's POST, with the mail it writes to the outbox sent (after the commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"{URL}/volgen", {"email": email})


def test_the_subscription_journey(setup, personas, mailoutbox, django_capture_on_commit_callbacks):
    tender = published_tender(setup, personas)
    client = personas["anonymous"].client()
    response = subscribe(client, " Lezer@Voorbeeld.nl ")
    assert response.status_code == 302 and response.url == f"{URL}/volgen/verstuurd"
    sent = client.get(response.url).content.decode()
    assert "We sturen een e-mail naar <strong>lezer@voorbeeld.nl</strong>." in sent
    [mail] = mailoutbox
    assert mail.to == ["lezer@voorbeeld.nl"]
    assert mail.subject == "Bevestig dat u GT Agg wilt volgen"
    confirm = link(mail, "bevestigen")
    assert link(mail, "afmelden")  # every mail can stop the mails

    page = client.get(confirm)
    assert page.status_code == 200 and "Aanmelding bevestigen" in page.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    response = client.post(confirm, follow=True)
    assert "Uw aanmelding is bevestigd." in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.is_active and not subscription.confirm_token_hash
    assert client.post(confirm).status_code == 404  # used once

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent_to = subscribers_notify(
            tender=tender,
            subject="Nieuwe versie van de leidraad",
            template="tenders/email/subscription_already.txt",
            context={},
        )
    assert sent_to == 1
    [news] = mailoutbox
    assert news.to == ["lezer@voorbeeld.nl"] and news.subject == "Nieuwe versie van de leidraad"
    unsubscribe = link(news, "afmelden")
    assert "Geen e-mail meer over deze aanbesteding? Meld u af:" in news.body

    assert "Afmelden" in client.get(unsubscribe).content.decode()
    response = client.post(unsubscribe, follow=True)
    assert "U bent afgemeld." in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None and not subscription.is_active
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert subscribers_notify(tender=tender, subject="x", template=FOOTER, context={}) == 0
    assert mailoutbox == []
    # The link keeps working: unsubscribing twice is not an error.
    assert client.post(unsubscribe).status_code == 302


FOOTER = "tenders/email/subscription_footer.txt"


def test_a_get_on_the_links_changes_nothing(setup, personas, mailoutbox):
    published_tender(setup, personas)
    client = personas["anonymous"].client()
    subscribe(client, "lezer@voorbeeld.nl")
    confirm, unsubscribe = link(mailoutbox[0], "bevestigen"), link(mailoutbox[0], "afmelden")
    before = Subscription.objects.values().get()
    for _ in range(3):
        assert client.get(confirm).status_code == 200
        assert client.get(unsubscribe).status_code == 200
        assert client.head(unsubscribe).status_code == 200
    assert Subscription.objects.values().get() == before

    client.post(confirm)
    before = Subscription.objects.values().get()
    assert before["confirmed_at"] is not None
    for _ in range(3):
        assert client.get(unsubscribe).status_code == 200
    assert Subscription.objects.values().get() == before


def test_the_answer_is_the_same_for_every_address(setup, personas, mailoutbox):
    """No enumeration: new, waiting, subscribed and unsubscribed addresses get the same
    status, the same redirect and the same page (but for the address they typed)."""
    tender = published_tender(setup, personas)
    for email in ("wacht@voorbeeld.nl", "volgt@voorbeeld.nl", "gestopt@voorbeeld.nl"):
        subscription_request(tender=tender, email=email, base_url="http://testserver/")
    Subscription.objects.filter(email="volgt@voorbeeld.nl").update(confirmed_at=timezone.now())
    Subscription.objects.filter(email="gestopt@voorbeeld.nl").update(
        confirmed_at=timezone.now(), unsubscribed_at=timezone.now()
    )
    Subscription.objects.update(last_requested_mail_at=timezone.now() - timedelta(hours=2))
    pages = set()
    for email in ("nieuw@voorbeeld.nl", "wacht@voorbeeld.nl", "volgt@voorbeeld.nl"):
        client = personas["anonymous"].client()
        response = subscribe(client, email)
        assert (response.status_code, response.url) == (302, f"{URL}/volgen/verstuurd")
        page = client.get(response.url)
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
        pages.add((page.status_code, html.replace(email, "ADRES")))
    response = subscribe(personas["anonymous"].client(), "gestopt@voorbeeld.nl")
    assert (response.status_code, response.url) == (302, f"{URL}/volgen/verstuurd")
    assert len(pages) == 1
    # What differs goes to the address's owner only: a confirmed address is told it follows.
    subjects = {m.to[0]: m.subject for m in mailoutbox[-4:]}
    assert subjects["volgt@voorbeeld.nl"] == "U volgt GT Agg al"
    assert subjects["nieuw@voorbeeld.nl"] == "Bevestig dat u GT Agg wilt volgen"
    assert subjects["gestopt@voorbeeld.nl"] == "Bevestig dat u GT Agg wilt volgen"


def test_the_same_address_gets_at_most_one_mail_an_hour(setup, personas, mailoutbox):
    published_tender(setup, personas)
    client = personas["anonymous"].client()
    for email in ("lezer@voorbeeld.nl", "LEZER@voorbeeld.nl ", "lezer@voorbeeld.nl"):
        assert subscribe(client, email).status_code == 302
    assert len(mailoutbox) == 1 and Subscription.objects.count() == 1
    first_link = link(mailoutbox[0], "bevestigen")
    Subscription.objects.update(last_requested_mail_at=timezone.now() - timedelta(minutes=61))
    subscribe(client, "lezer@voorbeeld.nl")
    assert len(mailoutbox) == 2
    # A new link replaces the old one.
    assert client.get(first_link).status_code == 404
    assert client.get(link(mailoutbox[1], "bevestigen")).status_code == 200


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Vul uw e-mailadres in."),
        ("geen-adres", "Vul een e-mailadres in de goede vorm in, zoals naam@voorbeeld.nl."),
    ],
)
def test_a_wrong_address_is_refused_next_to_the_field(setup, personas, mailoutbox, email, message):
    published_tender(setup, personas)
    response = subscribe(personas["anonymous"].client(), email)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_email-error">{message}</p>' in html
    assert 'aria-invalid="true"' in html
    assert html.count(message) == 2  # the summary and the field
    assert not Subscription.objects.exists() and mailoutbox == []


def test_notify_mails_confirmed_subscribers_only_each_with_its_own_link(
    setup, personas, mailoutbox, django_capture_on_commit_callbacks
):
    tender = published_tender(setup, personas)
    for email in ("a@voorbeeld.nl", "b@voorbeeld.nl", "wacht@voorbeeld.nl", "weg@voorbeeld.nl"):
        subscription_request(tender=tender, email=email, base_url="http://testserver/")
    now = timezone.now()
    Subscription.objects.exclude(email="wacht@voorbeeld.nl").update(confirmed_at=now)
    Subscription.objects.filter(email="weg@voorbeeld.nl").update(unsubscribed_at=now)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = subscribers_notify(tender=tender, subject="Nieuws", template=FOOTER, context={})
    assert count == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["a@voorbeeld.nl", "b@voorbeeld.nl"]
    links = {link(m, "afmelden") for m in mailoutbox}
    assert len(links) == 2
    client = personas["anonymous"].client()
    for mail in mailoutbox:
        page = client.get(link(mail, "afmelden")).content.decode()
        assert f"<strong>{mail.to[0]}</strong>" in page


def test_an_expired_or_unknown_link_does_not_work(setup, personas, mailoutbox):
    published_tender(setup, personas)
    client = personas["anonymous"].client()
    subscribe(client, "lezer@voorbeeld.nl")
    confirm = link(mailoutbox[0], "bevestigen")
    Subscription.objects.update(last_requested_mail_at=timezone.now() - timedelta(days=8))
    for response in (client.get(confirm), client.post(confirm)):
        assert response.status_code == 404
        assert "Deze link werkt niet" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    assert client.get(f"{URL}/volgen/afmelden/onzin").status_code == 404
    assert client.post(f"{URL}/volgen/afmelden/onzin").status_code == 404
