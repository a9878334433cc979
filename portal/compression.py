"""Compressed HTML, JSON and text (decision 0026).

Django's ``GZipMiddleware`` with two limits: only text-like answers are compressed (a PDF, an
Excel workbook or an image is compressed already: gzip would cost CPU and save nothing), and
static files never reach it (WhiteNoise, outside it, serves their precompressed variants).

BREACH: the middleware pads every gzip header with a random number of bytes (Django's "Heal
The Breach"), CSRF tokens are masked anew in every response, and the session cookie never
appears in a body; the decision note lists the rest."""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from typing import Protocol

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/vnd.oai.openapi",
    "application/javascript",
    "application/xml",
    "application/xhtml+xml",
    "image/svg+xml",
)


# Pages that show a secret that stays the same across responses (a new TOTP secret and its QR
# code, recovery codes): never compressed, so no length can tell anything about them.
NEVER_COMPRESSED_PREFIXES = ("/accounts/",)


def is_compressible(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower().startswith(COMPRESSIBLE_TYPES)


class TextGZipMiddleware(GZipMiddleware):
    """``GZipMiddleware`` for text-like content types only, and not for the account pages."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path.startswith(NEVER_COMPRESSED_PREFIXES) or not is_compressible(
            response.get("Content-Type", "")
        ):
            return response
        return super().process_response(request, response)


class _WithHeaders(Protocol):
    headers: Mapping[str, str]


def precompressed_response(
    request: _WithHeaders, compressed: bytes, *, content_type: str
) -> HttpResponse:
    """A body kept gzip-compressed (public data made once and served many times) as the
    response: sent as it is to a client that takes gzip, unpacked for one that does not.
    The middleware leaves it alone (it has its Content-Encoding already)."""
    if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
