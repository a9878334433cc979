"""Errors as ``application/problem+json`` (RFC 9457), as the REST API Design Rules require,
and the translation of a service's ``ValidationError`` into an API error."""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Conflict(exceptions.APIException):
    """409: the request is fine, but the object's state does not allow it (a deadline passed,
    a question already answered, a report not ready)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


def camel_case(name: str) -> str:
    """A service's form-field name as the API's JSON field: ``public_question`` →
    ``publicQuestion``."""
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def service_errors(
    exc: DjangoValidationError, *, location: Callable[[str], str] = camel_case
) -> exceptions.APIException:
    """The API error for a service's ``ValidationError``: problems keyed by a field are bad
    input (400, each reported in ``invalidParams`` at ``location(field)``); a plain message is
    a conflict with the object's state (409). The API's exception handler applies it to any
    service error a view lets through; raise it ``from exc`` for a custom ``location``."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {
                ("nonFieldErrors" if key == NON_FIELD_ERRORS else location(key)): messages
                for key, messages in exc.message_dict.items()
            }
        )
    return Conflict(" ".join(exc.messages))


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A service refused: 400 with invalidParams, or 409 (see service_errors). Views that
        # name fields differently catch it themselves and call service_errors with a location.
        exc = service_errors(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    problem: dict = {
        "type": "about:blank",
        "status": response.status_code,
        "title": _title(response.status_code),
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = "The request contains invalid input."
        problem["invalidParams"] = _invalid_params(data)
    elif isinstance(data, dict) and "detail" in data:
        problem["detail"] = str(data["detail"])
    else:
        problem["detail"] = str(data)
    request = context.get("request")
    if request is not None:
        problem["instance"] = request.path
    response.data = problem
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


_TITLES = {
    status.HTTP_400_BAD_REQUEST: "Bad Request",
    status.HTTP_401_UNAUTHORIZED: "Unauthorized",
    status.HTTP_403_FORBIDDEN: "Forbidden",
    status.HTTP_404_NOT_FOUND: "Not Found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "Method Not Allowed",
    status.HTTP_409_CONFLICT: "Conflict",
    status.HTTP_429_TOO_MANY_REQUESTS: "Too Many Requests",
}


def _title(status_code: int) -> str:
    if status_code in _TITLES:
        return _TITLES[status_code]
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def _invalid_params(data, prefix: str = "") -> list[dict]:
    params: list[dict] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            params.extend(_invalid_params(value, name))
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict | list):
                params.extend(_invalid_params(item, prefix))
            else:
                params.append({"name": prefix or "nonFieldErrors", "reason": str(item)})
    else:
        params.append({"name": prefix or "nonFieldErrors", "reason": str(data)})
    return params


def problem_response(status_code: int, title: str, detail: str, instance: str) -> JsonResponse:
    return JsonResponse(
        {
            "type": "about:blank",
            "status": status_code,
            "title": title,
            "detail": detail,
            "instance": instance,
        },
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


API_PREFIX = "/api/"


def _detail(status_code: int) -> str:
    # Django answers these itself, before any API view runs: the path matches no route (a
    # path parameter that does not fit its converter included), or something broke.
    if status_code == status.HTTP_404_NOT_FOUND:
        return _("There is no API resource at this path.")
    if status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        return _("This method is not allowed on this resource.")
    if status_code >= 500:
        return _("Something went wrong on our side. Please try again later.")
    return _("The request could not be handled.")


class ApiProblemMiddleware:
    """Every error under ``/api/`` is ``application/problem+json``, also the ones Django
    answers before an API view runs (an unmatched path, a path parameter that does not match
    its converter, a server error): the HTML error pages are for people, not for clients."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
        ):
            return response
        status_code = response.status_code
        problem = problem_response(
            status_code, _title(status_code), _detail(status_code), request.path
        )
        if response.has_header("Allow"):
            problem["Allow"] = response["Allow"]
        return problem
