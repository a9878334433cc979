"""Every page served so far renders in Dutch (the default) and in English."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from portal.services import invitation_create

pytestmark = pytest.mark.django_db

MARKERS = {"nl": "Direct naar de inhoud", "en": "Skip to main content"}
BASE = Path(__file__).resolve().parents[2]


@pytest.fixture
def pages(personas, org_a, admin_a, mailoutbox):
    _, token = invitation_create(
        actor=admin_a,
        organisation=org_a,
        email="nieuw@aadorp.nl",
        role="viewer",
        base_url="http://testserver/",
    )
    anonymous = [
        "/",
        "/toegankelijkheid",
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        f"/uitnodiging/{token}",
        "/bestaat-niet",
    ]
    logged_in = [
        "/",
        "/organisaties/",
        f"/organisaties/{org_a.slug}/",
        f"/organisaties/{org_a.slug}/uitnodigen",
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
    ]
    return [("anonymous", url) for url in anonymous] + [("admin_a", url) for url in logged_in]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_renders_in_language(personas, pages, language):
    for persona, url in pages:
        client = personas[persona].client()
        client.cookies["portal_language"] = language
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, url
        assert MARKERS[language] in html, (url, language)
        other = "en" if language == "nl" else "nl"
        assert MARKERS[other] not in html, url


def test_dutch_is_the_default_language(client):
    assert '<html lang="nl"' in client.get("/").content.decode()


def test_language_switch_sets_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").content.decode()


def test_dutch_catalogue_is_complete():
    """Every message of the portal has a Dutch translation, none fuzzy (gettext's own tools)."""
    po = BASE / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    assert po.read_text(encoding="utf-8").count("msgid ") > 50
    for flag in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert "msgid" not in result.stdout, result.stdout[:2000]


def test_browser_language_does_not_override_dutch(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl"' in response.content.decode()
    assert response["Content-Language"] == "nl"
