"""The tender's open data in the API: the same OCDS release package as the public URL."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from portal.compression import precompressed_response
from tenders.selectors.ocds_package import ocds_package_json_public


class TenderOcdsView(APIView):
    """The OCDS 1.1 release package of a published tender (every release, oldest first)."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="OCDS release package of a published tender",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, reference: str) -> HttpResponse:
        # The same stored JSON as the public URL (made once per release), served as it is.
        content = ocds_package_json_public(reference=reference, uri=request.build_absolute_uri())
        if content is None:
            raise Http404
        return precompressed_response(request, content, content_type="application/json")
