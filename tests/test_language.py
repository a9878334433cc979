"""The Dutch side speaks Dutch, with "u": every page of the permission matrix (as every persona
that may see it) and the account pages, rendered in Dutch, show no English sentence of
django-allauth (whose pages and messages we use) and never address the reader with "je"; the
sign-up form's validator messages are Dutch; and every mail names the portal."""

from __future__ import annotations

import gettext
import html
import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD
from tests.permission_matrix import GLOBS, MATRIX, PERSONAS
from tests.test_permission_matrix import PERSONA_FIXTURES, fill
from tests.test_permission_matrix import world as world

pytestmark = pytest.mark.django_db

# The account pages as a logged-in member and as a visitor sees them (allauth renders them).
ACCOUNT_PAGES_LOGGED_IN = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/logout/",
]
# The project team's member has TOTP: the pages to manage it.
ACCOUNT_PAGES_WITH_TOTP = [
    "/accounts/2fa/",
    "/accounts/2fa/reauthenticate/",
    "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/generate/",
]
ACCOUNT_PAGES_ANONYMOUS = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
]
# Informal Dutch: the portal says "u" and "uw" (woordenlijst).
INFORMAL = re.compile(r"\b(je|jou|jouw|jij|jezelf)\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def allauth_english() -> list[str]:
    """allauth's English sentences: its msgids of at least two words, the placeholders cut out
    (what is left of each piece is searched for)."""
    path = Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    phrases = set()
    for key in catalog:
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue
        for piece in PLACEHOLDER.split(re.sub(r"<[^>]+>", " ", msgid)):
            piece = " ".join(piece.split()).strip(" .,:;!?")
            if len(piece.split()) >= 2:
                phrases.add(piece)
    return sorted(phrases)


def visible_text(content: str) -> str:
    """What a reader (or a screen reader) gets: no scripts, styles or attributes."""
    content = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", content)
    content = re.sub(r"(?s)<!--.*?-->", " ", content)
    # English passages marked as such (lang="en") are allowed on a Dutch page.
    content = re.sub(r'(?is)<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', " ", content)
    text = html.unescape(re.sub(r"<[^>]+>", " ", content))
    return " ".join(text.split())


def problems(path: str, content: str, english: list[str]) -> list[str]:
    text = visible_text(content)
    found = [f"{path}: English “{p}”" for p in english if p in text]
    found += [f"{path}: informal “{m.group(0)}”" for m in INFORMAL.finditer(text)]
    return found


def dutch_pages(world) -> list[tuple[str, str, str]]:
    """Every GET page of the matrix with its HTML, as each persona that gets it (200)."""
    clients = {
        key: world["personas"][fixture].client() for key, fixture in PERSONA_FIXTURES.items()
    }
    rows = [(route, None, expected) for route, method, expected in MATRIX if method == "GET"]
    rows += [
        (glob, sample, expected) for glob, sample, method, expected in GLOBS if method == "GET"
    ]
    pages = []
    for route, sample, expected in rows:
        path = sample or fill(route, "GET", world)[0]
        for persona, status in zip(PERSONAS, expected, strict=True):
            if status != 200:
                continue
            response = clients[persona].get(path)
            if "text/html" in response.get("Content-Type", ""):
                pages.append((f"{path} as {persona}", path, response.content.decode()))
    return pages


def test_dutch_pages_have_no_english_account_texts_and_say_u(world):
    english = allauth_english()
    found = []
    for label, _path, content in dutch_pages(world):
        found += problems(label, content, english)
    member = world["personas"]["editor_a"].client()
    for path in ACCOUNT_PAGES_LOGGED_IN:
        found += problems(path, member.get(path, follow=True).content.decode(), english)
    team = world["personas"]["project_team"].client()
    for path in ACCOUNT_PAGES_WITH_TOTP:
        found += problems(path, team.get(path, follow=True).content.decode(), english)
    for path in ACCOUNT_PAGES_ANONYMOUS:
        found += problems(path, Client().get(path, follow=True).content.decode(), english)
    assert not found, "\n".join(sorted(set(found)))


def test_the_check_finds_english_and_je():
    """The harness itself: an English allauth sentence and a "je" are both reported."""
    english = allauth_english()
    assert "Forgot your password" in english
    page = '<p>Forgot your password?</p><p lang="en">Sign In</p><p>Heb je een account?</p>'
    assert problems("/x", page, english) == [
        "/x: English “Forgot your password”",
        "/x: informal “je”",
    ]


def test_sign_up_errors_are_dutch():
    response = Client().post(
        "/accounts/signup/",
        {"email": "nieuw@voorbeeld.nl", "password1": "kort", "password2": "kort"},
    )
    text = visible_text(response.content.decode())
    assert "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten." in text
    assert "This password" not in text
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "nieuwe.gebruiker@voorbeeld.nl",
            "password1": "nieuwe.gebruiker",
            "password2": "nieuwe.gebruiker",
        },
    )
    assert "Het wachtwoord lijkt te veel op uw e-mailadres." in response.content.decode()


def test_account_pages_use_the_portals_words():
    login = visible_text(Client().get("/accounts/login/").content.decode())
    assert "Inloggen" in login and "Aanmelden" not in login
    signup = visible_text(Client().get("/accounts/signup/").content.decode())
    assert "Account aanmaken" in signup and "Registreren" not in signup


def test_account_mails_name_the_portal_in_u(mailoutbox):
    Client().post(
        "/accounts/signup/",
        {"email": "nieuw@voorbeeld.nl", "password1": PASSWORD, "password2": PASSWORD},
    )
    Client().post("/accounts/password/reset/", {"email": "onbekend@voorbeeld.nl"})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert settings.PORTAL_NAME in message.subject
        greeting, *_, closing = message.body.strip().splitlines()
        assert greeting == "Geachte heer, mevrouw,"
        assert settings.PORTAL_NAME in message.body
        assert closing == settings.PORTAL_BASE_URL
        assert not INFORMAL.search(message.body), message.body


def test_every_portal_mail_names_the_portal(world, mailoutbox):
    """Every mail the portal writes goes through the outbox, which signs it with the portal's
    name and address; the world of the matrix sends an invitation, so there is at least one."""
    from portal.models import OutboxMessage

    messages = list(OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAIL))
    assert messages
    for message in messages:
        assert settings.PORTAL_NAME in message.body
        assert settings.PORTAL_BASE_URL in message.body
