# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""Rate limits on mail users make the portal send and on unknown tokens in links, with real
values: over the limit a clear message on the page, nothing sent, nothing stored; a lock on
link tokens is audited; with the cache down the limits refuse rather than let through."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client, TestCase
from django.urls import reverse

from portal.models import AuditEvent, Invitation
from tenders.models import Subscription
from tenders.tests.public_helpers import published_tender  # noqa: F401
from tenders.tests.test_aggregation import setup  # noqa: F401

pytestmark = pytest.mark.django_db

TENDER = "/aanbestedingen/VNG-GT-AGG"


@pytest.fixture
def tender(setup, personas):
    return published_tender(setup, personas)


@pytest.fixture
def limits(settings):
    def set_limits(**limits):
        settings.ATTEMPT_LIMITS = {**django_settings.ATTEMPT_LIMITS, **limits}

    return set_limits


def _invite(client, org, email):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("portal:invitation-create", args=[org.slug]),
            {"email": email, "role": "viewer"},
        )


def test_invitations_are_limited_per_user(limits, personas, org_a, mailoutbox):
    limits(invitation_user=(2, 3600, 0))
    admin = personas["admin_a"].client()
    for n in range(2):
        assert _invite(admin, org_a, f"nieuw{n}@aadorp.nl").status_code == 302
    response = _invite(admin, org_a, "te-veel@aadorp.nl")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Er is niets verstuurd" in page
    assert "te-veel@aadorp.nl" in page  # what was typed is kept
    assert not Invitation.objects.filter(email="te-veel@aadorp.nl").exists()
    assert [m.to for m in mailoutbox] == [["nieuw0@aadorp.nl"], ["nieuw1@aadorp.nl"]]


def test_invitations_are_limited_per_organisation(limits, personas, org_a, mailoutbox):
    limits(invitation_organisation=(1, 3600, 0))
    assert _invite(personas["admin_a"].client(), org_a, "een@aadorp.nl").status_code == 302
    # Another person inviting into the same organisation shares its limit.
    response = _invite(personas["project_team"].client(), org_a, "twee@aadorp.nl")
    assert response.status_code == 422
    assert not Invitation.objects.filter(email="twee@aadorp.nl").exists()
    assert len(mailoutbox) == 1


def _subscribe(client, email):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"{TENDER}/volgen", {"email": email})


def test_subscriptions_are_limited_per_client_address(limits, tender, personas, mailoutbox):
    limits(mail_address=(2, 3600, 0))
    client = personas["anonymous"].client()
    for n in range(2):
        assert _subscribe(client, f"volger{n}@example.nl").status_code == 302
    response = _subscribe(client, "derde@example.nl")
    assert response.status_code == 422
    assert "Er is niets verstuurd" in response.content.decode()
    assert not Subscription.objects.filter(email="derde@example.nl").exists()
    assert len(mailoutbox) == 2


def test_unknown_link_tokens_lock_the_client_out(limits, tender, personas):
    limits(link_token=(3, 900, 600))
    client = personas["anonymous"].client()
    for n in range(3):
        assert client.get(f"{TENDER}/volgen/bevestigen/geraden{n}").status_code == 404
    event = AuditEvent.objects.get(action="attempts.locked")
    assert event.data["purpose"] == "link_token"
    # Locked: also a real token is not looked up, here or in an invitation link.
    response = client.get(f"{TENDER}/volgen/afmelden/nog-een")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Te veel verkeerde codes" in response.content.decode()
    assert client.get("/uitnodiging/iets").status_code == 429


def test_with_the_cache_down_link_tokens_are_refused(settings, tender, personas):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = personas["anonymous"].client().get(f"{TENDER}/volgen/bevestigen/iets")
    assert response.status_code == 503
    assert "niet beschikbaar" in response.content.decode()


def test_questions_about_a_tender_are_limited_per_user(limits, tender, personas):
    from tenders.models import Enquiry

    limits(mail_user=(1, 3600, 0))
    client = personas["supplier_x"].client()
    url = reverse("tenders:enquiry-ask", args=[tender.reference])
    data = {"lot_number": "", "section": "", "question": "Mag het ook in het Engels?"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "question": "Nog een vraag?"})
    assert response.status_code == 422
    assert "Er is niets verstuurd" in response.content.decode()
    assert "Nog een vraag?" in response.content.decode()
    assert Enquiry.objects.count() == 1


def test_join_requests_are_limited_per_user(limits, mailoutbox):
    """Registering a known company asks to join it and mails its admins: limited per user."""
    from suppliers.models import JoinRequest
    from suppliers.services import supplier_register
    from suppliers.tests.test_services import COMPANY
    from tests.factories import UserFactory

    limits(mail_user=(1, 3600, 0))
    other = {**COMPANY, "name": "Tweede B.V.", "kvk_number": "87654321"}
    supplier_register(actor=UserFactory(email="admin@hardwarehuis.nl"), **COMPANY)
    supplier_register(actor=UserFactory(email="admin@tweede.nl"), **other)
    client = Client()
    client.force_login(UserFactory(email="nieuw@voorbeeld.nl"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post("/leveranciers/registreren", COMPANY).status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/leveranciers/registreren", other)
    assert response.status_code == 422
    assert "Er is niets verstuurd" in response.content.decode()
    assert JoinRequest.objects.count() == 1
    assert [m.to for m in mailoutbox] == [["admin@hardwarehuis.nl"]]
