"""The API documentation page: a plain, accessible portal page generated from the OpenAPI
document (which stays the machine-readable source), instead of the Swagger UI bundle, which
failed four axe rules and carried no ``lang``."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@cache
def api_operations() -> tuple[dict, tuple[dict, ...]]:
    """The schema's info and its operations grouped by tag, built once per process (the
    schema only changes with a deploy)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    groups: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": (operation.get("summary") or operation.get("description") or "")
                    .strip()
                    .split("\n")[0],
                    "id": operation.get("operationId", ""),
                }
            )
    tags = tuple(
        {"name": name, "id": f"api-{name}", "operations": tuple(operations)}
        for name, operations in sorted(groups.items())
    )
    return schema.get("info", {}), tags


@require_safe
def api_documentation(request: HttpRequest) -> HttpResponse:
    info, tags = api_operations()
    return render(
        request,
        "portal/api_docs.html",
        {"info": info, "tags": tags, "base_path": "/api/v1"},
    )
