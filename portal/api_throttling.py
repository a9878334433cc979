"""Rate limits of the API (DRF throttling, counters in the shared cache): anonymous callers per
client address, signed-in callers per user, and a stricter limit on writes. A caller over a
limit gets 429 as ``application/problem+json`` with ``Retry-After`` (``portal.api_errors``).
The rates are in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``; see docs/api.md."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class _CurrentRates:
    """Read the rate from the settings when asked (DRF binds the rates when it is imported,
    so a changed setting would otherwise not count)."""

    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_CurrentRates, AnonRateThrottle):
    """Anonymous callers (the public tender data), per client address."""

    scope = "anon"


class UserThrottle(_CurrentRates, UserRateThrottle):
    """Signed-in callers, per user."""

    scope = "user"


class WriteThrottle(_CurrentRates, SimpleRateThrottle):
    """POST, PUT, PATCH and DELETE: per user (or client address), stricter than reads."""

    scope = "write"

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        if request.user and request.user.is_authenticated:
            ident = str(request.user.pk)
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
