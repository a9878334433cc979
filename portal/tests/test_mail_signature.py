"""Mails carry the portal's name and public address, never the host of the request."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@override_settings(PORTAL_NAME="GT-portaal", PORTAL_BASE_URL="https://gt-portaal.example.nl")
def test_sign_up_mail_names_the_portal_not_the_host(client, mailoutbox, password):
    response = client.post(
        reverse("account_signup"),
        {"email": "nieuw@zeist.nl", "password1": password, "password2": password},
        HTTP_HOST="127.0.0.1",
    )
    assert response.status_code == 302
    body = mailoutbox[-1].body
    assert "GT-portaal" in body
    assert "https://gt-portaal.example.nl" in body
    assert "Hallo van" not in body and "Hello from" not in body
    assert "127.0.0.1!" not in body


@override_settings(PORTAL_NAME="GT-portaal", PORTAL_BASE_URL="https://gt-portaal.example.nl")
def test_invitation_mail_names_the_portal(
    personas, org_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        personas["admin_a"].client().post(
            reverse("portal:invitation-create", args=[org_a.slug]),
            {"email": "nieuw@aadorp.nl", "role": "viewer"},
        )
    assert "GT-portaal\nhttps://gt-portaal.example.nl" in mailoutbox[-1].body
