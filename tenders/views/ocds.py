"""The tender's open data at a stable public URL: the OCDS release package as JSON."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from tenders.selectors.ocds import ocds_package_public


@require_GET
def tender_ocds(request: HttpRequest, reference: str) -> HttpResponse:
    """Anyone may read it once the tender is published; a draft is 404 like an unknown one."""
    package = ocds_package_public(reference=reference, uri=request.build_absolute_uri())
    if package is None:
        raise Http404
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2})
    # Open data: other sites may read it from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response
