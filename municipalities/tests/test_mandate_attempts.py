"""Signing a mandate with a TOTP code: wrong codes are limited, the lock is audited and says
when it lifts, and with the cache down no code is checked."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from conftest import TOTP_SECRET, totp_code
from municipalities.models import MandateSignature
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db

LIMITS = {
    "mandate_sign": (3, 900, 600),
    "link_token": (20, 900, 900),
    "invitation_user": (20, 3600, 0),
    "invitation_organisation": (50, 3600, 0),
    "mail_user": (30, 3600, 0),
}


def test_too_many_wrong_codes_lock_signing(
    settings, personas, participation_a, ready_document, admin_a
):
    settings.ATTEMPT_LIMITS = LIMITS
    TOTP.activate(admin_a, TOTP_SECRET)
    client = personas["admin_a"].client()
    url = reverse("municipalities:mandate-sign", args=[participation_a.public_id])
    for _attempt in range(2):
        response = client.post(url, {"code": "000000"})
        assert response.status_code == 422
        assert "De code klopt niet" in response.content.decode()
    assert not AuditEvent.objects.filter(action="attempts.locked").exists()
    response = client.post(url, {"code": "000000"})
    assert response.status_code == 422
    assert "Te veel verkeerde codes" in response.content.decode()
    # Locked: even the right code is not checked, and nothing is signed.
    response = client.post(url, {"code": totp_code()})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Te veel verkeerde codes" in page
    assert "geblokkeerd tot" in page
    assert not MandateSignature.objects.exists()
    event = AuditEvent.objects.get(action="attempts.locked")
    assert event.actor == admin_a
    assert event.organisation == participation_a.organisation
    assert event.data["purpose"] == "mandate_sign"
    assert event.data["attempts"] == 3


def test_a_right_code_resets_the_count(
    settings, personas, participation_a, ready_document, admin_a
):
    from municipalities.services.mandates import mandate_sign
    from portal import attempts

    settings.ATTEMPT_LIMITS = LIMITS
    TOTP.activate(admin_a, TOTP_SECRET)
    client = personas["admin_a"].client()
    url = reverse("municipalities:mandate-sign", args=[participation_a.public_id])
    for _attempt in range(2):
        client.post(url, {"code": "000000"})
    assert client.post(url, {"code": totp_code()}).status_code == 302
    assert MandateSignature.objects.count() == 1
    # Two more wrong ones do not lock: the count started again.
    for _attempt in range(2):
        with pytest.raises(attempts.ValidationError) as caught:
            mandate_sign(
                actor=admin_a,
                participation=participation_a,
                document=ready_document,
                code="000000",
            )
        assert not isinstance(caught.value, attempts.Refused)
    assert not AuditEvent.objects.filter(action="attempts.locked").exists()


def test_with_the_cache_down_no_code_is_checked(
    settings, personas, participation_a, ready_document, admin_a
):
    TOTP.activate(admin_a, TOTP_SECRET)
    client = personas["admin_a"].client()
    url = reverse("municipalities:mandate-sign", args=[participation_a.public_id])
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # The setting's change resets the cache connections (Django's setting_changed).
    response = client.post(url, {"code": totp_code()})
    assert response.status_code == 422
    assert "niet beschikbaar" in response.content.decode()
    assert not MandateSignature.objects.exists()
