"""Errors as ``application/problem+json`` (RFC 9457), as the REST API Design Rules require."""

from __future__ import annotations

from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    problem: dict = {
        "type": "about:blank",
        "status": response.status_code,
        "title": _title(exc, response.status_code),
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


def _title(exc, status_code: int) -> str:
    return {
        status.HTTP_400_BAD_REQUEST: "Bad Request",
        status.HTTP_401_UNAUTHORIZED: "Unauthorized",
        status.HTTP_403_FORBIDDEN: "Forbidden",
        status.HTTP_404_NOT_FOUND: "Not Found",
        status.HTTP_405_METHOD_NOT_ALLOWED: "Method Not Allowed",
        status.HTTP_409_CONFLICT: "Conflict",
        status.HTTP_429_TOO_MANY_REQUESTS: "Too Many Requests",
    }.get(status_code, "Error")


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
