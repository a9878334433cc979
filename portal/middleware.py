from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from portal.active import SAFE_METHODS, memberships_of, request_has_mfa

# Paths a project-team member without MFA may still reach (to set MFA up, or log out).
MFA_EXEMPT_PREFIXES = (
    "/accounts/",
    "/static/",
    "/healthz",
    "/i18n/",
    "/toegankelijkheid",
)


class ProjectTeamMfaMiddleware:
    """MFA is mandatory for project-team members: until they have set it up, every page sends
    them to the TOTP set-up page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(MFA_EXEMPT_PREFIXES):
            if request.method in SAFE_METHODS:
                # The memberships the page header reads anyway answer "project team?" too: one
                # query instead of two. A safe request changes no membership, so they stay
                # true for the whole request; a POST may, and asks separately.
                memberships_of(request)
            if user.is_project_team and not request_has_mfa(request):
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether this session's sign-in (or a later re-authentication) included a second
    factor: allauth records every authentication step in the session."""
    from allauth.account.authentication import get_authentication_records

    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


class StaffAdminMfaMiddleware:
    """Every staff user (project team or not, superusers too) passes MFA before any page of
    the admin: without TOTP they are sent to set it up, with TOTP but a session that did not
    ask for the code they confirm it first (allauth's re-authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.urls import reverse
        from django.utils.http import urlencode

        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
        ):
            if not request_has_mfa(request):
                return redirect("mfa_activate_totp")
            if not session_passed_mfa(request):
                next_url = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('mfa_reauthenticate')}?{next_url}")
        return self.get_response(request)


class ApiVersionMiddleware:
    """Every API response carries the full version number (REST API Design Rules)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            from django.conf import settings

            response["API-Version"] = settings.API_VERSION
        return response


class LanguageMiddleware:
    """Dutch unless the user chose English: the language cookie decides, the browser's
    Accept-Language does not (a Dutch government service speaks Dutch by default)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class CacheUnavailableMiddleware:
    """With the shared cache (Redis) down, what needs it (logging in: allauth's rate limits;
    two-factor codes: the store of used codes) answers a Dutch 503 instead of a 500; the rate
    limits are never skipped. Pages that do not touch the cache keep working."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        if not isinstance(exception, RedisConnectionError | RedisTimeoutError):
            return None
        import logging

        from django.template import loader

        logging.getLogger(__name__).error("The cache is unavailable: %r", exception)
        # A static context, like the 500 page: nothing that needs the cache or the session.
        response = HttpResponse(
            loader.render_to_string("503.html", {"static_page": True}), status=503
        )
        response["Retry-After"] = "60"
        return response
