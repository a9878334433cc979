"""The API's settings (Django REST framework, drf-spectacular), kept apart from
``config/settings.py`` so that each stays readable."""

from __future__ import annotations

from typing import Any

import environ


def rest_framework(*, env: environ.Env, test: bool, debug: bool, proxies: int) -> dict[str, Any]:
    """DRF's settings: session authentication, problem+json errors, paging and rate limits."""
    return {
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
        + (["rest_framework.renderers.BrowsableAPIRenderer"] if debug else []),
        "DEFAULT_PAGINATION_CLASS": "portal.pagination.LimitOffsetPagination",
        "PAGE_SIZE": 50,
        "EXCEPTION_HANDLER": "portal.api_errors.problem_exception_handler",
        "DEFAULT_METADATA_CLASS": "portal.api_metadata.ApiMetadata",
        "URL_FORMAT_OVERRIDE": None,
        # Rate limits (portal.api_throttling): 429 with Retry-After when exceeded.
        "NUM_PROXIES": proxies or None,
        "DEFAULT_THROTTLE_CLASSES": [
            "portal.api_throttling.AnonThrottle",
            "portal.api_throttling.UserThrottle",
            "portal.api_throttling.WriteThrottle",
        ],
        "DEFAULT_THROTTLE_RATES": {
            # The test suite makes many calls per test (the permission matrix): tests of the
            # limits set real rates themselves.
            "anon": env.str("API_THROTTLE_ANON", default="100000/min" if test else "120/min"),
            "user": env.str("API_THROTTLE_USER", default="100000/min" if test else "600/min"),
            "write": env.str("API_THROTTLE_WRITE", default="100000/min" if test else "60/min"),
        },
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "GT-portaal API",
    "DESCRIPTION": (
        "API of the portal for joint tenders of Dutch municipalities.\n\n"
        "Rate limits: anonymous callers per client address, signed-in callers per user, and "
        "a stricter limit on writes (POST, PUT, PATCH, DELETE). Over a limit the API answers "
        "429 Too Many Requests (application/problem+json) with a Retry-After header in "
        "seconds. Answers to signed-in callers carry Cache-Control: no-store."
    ),
    "VERSION": "1.0.0",
    "CONTACT": {"name": "Projectteam GT", "email": "gt-portaal@vng.nl", "url": "https://vng.nl"},
    "LICENSE": {"name": "EUPL-1.2"},
    "SERVERS": [{"url": "/api/v1", "description": "API v1"}],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "COMPONENT_SPLIT_REQUEST": True,
    # Participations and demand both have a "status": name the demand's enum explicitly.
    "ENUM_NAME_OVERRIDES": {"DemandStatusEnum": "municipalities.models.Demand.Status"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.openapi.postprocess",
        "tenders.api.serializers_tender.schema_optional_fields",
    ],
}
