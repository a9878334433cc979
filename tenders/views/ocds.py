"""The tender's open data at a stable public URL: the OCDS release package as JSON."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from portal.compression import precompressed_response
from tenders.selectors.ocds_package import ocds_package_json_public


@require_GET
def tender_ocds(request: HttpRequest, reference: str) -> HttpResponse:
    """Anyone may read it once the tender is published; a draft is 404 like an unknown one."""
    content = ocds_package_json_public(reference=reference, uri=request.build_absolute_uri())
    if content is None:
        raise Http404
    response = precompressed_response(request, content, content_type="application/json")
    # Open data: other sites may read it from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response
