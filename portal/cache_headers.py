"""``Cache-Control: no-store`` on everything a signed-in user gets, apart from an explicit list
of public resources that are the same for everyone (decision 0014)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Public and the same for every visitor: these keep the caching they have (none is added or
# removed), also for a signed-in user. Everything else a signed-in user requests — pages,
# downloads of non-public files, API responses — is ``no-store``.
PUBLIC_CACHEABLE = tuple(
    re.compile(pattern)
    for pattern in (
        r"^/static/",
        r"^/favicon\.ico$",
        r"^/robots\.txt$",
        # The public tender pages, their public documents and open data (OCDS).
        r"^/aanbestedingen$",
        r"^/aanbestedingen/[^/]+$",
        r"^/aanbestedingen/[^/]+/ocds\.json$",
        r"^/aanbestedingen/[^/]+/percelen/\d+/aanbestedende-diensten$",
        r"^/aanbestedingen/[^/]+/documenten/[0-9a-f-]+$",
        r"^/api/v1/tenders/[^/]+/ocds$",
    )
)


def is_public_cacheable(path: str) -> bool:
    return any(pattern.match(path) for pattern in PUBLIC_CACHEABLE)


def _signed_in(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in: do not touch the session (that would add
    # ``Vary: Cookie`` to public pages).
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreMiddleware:
    """Confidential answers must not stay in a browser's or a proxy's cache: every response
    to a signed-in user outside ``PUBLIC_CACHEABLE`` gets ``Cache-Control: no-store, private``
    and ``Pragma: no-cache``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _signed_in(request) and not is_public_cacheable(request.path):
            # Merged with what the view set; ``private`` drops a ``public``.
            patch_cache_control(response, no_store=True, private=True)
            response["Pragma"] = "no-cache"
        return response
