"""Compressed HTML, JSON and text (decision 0026).

Django's ``GZipMiddleware`` with two limits: only text-like answers are compressed (a PDF, an
Excel workbook or an image is compressed already: gzip would cost CPU and save nothing), and
static files never reach it (WhiteNoise, outside it, serves their precompressed variants).

BREACH: the middleware pads every gzip header with a random number of bytes (Django's "Heal
The Breach"), CSRF tokens are masked anew in every response, and the session cookie never
appears in a body; the decision note lists the rest."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

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
