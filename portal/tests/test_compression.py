"""Weight (decision 0026): pages, JSON and text leave gzip-compressed with Django's BREACH
padding; files that are compressed already are not; static files get precompressed gzip and
Brotli variants and, once hashed, are cached for good."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

from portal.compression import TextGZipMiddleware
from portal.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
FNAME = 0x08  # the gzip header flag of a (random) file name: Django's "Heal The Breach"


def test_a_page_is_sent_gzip_compressed_with_random_padding(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response.content[3] & FNAME
    html = gzip.decompress(response.content).decode()
    assert "<!DOCTYPE html>" in html
    assert int(response["Content-Length"]) == len(response.content) < len(html) / 2


def test_a_signed_in_page_and_the_api_are_compressed_too(personas, org_a):
    MembershipFactory.create_batch(5, organisation=org_a, role=Role.VIEWER)
    client = personas["editor_a"].client()
    page = client.get("/organisaties/", HTTP_ACCEPT_ENCODING="gzip")
    api = client.get(f"/api/v1/organisations/{org_a.slug}/members", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == api.status_code == 200
    assert page["Content-Encoding"] == api["Content-Encoding"] == "gzip"
    assert "Cache-Control" in page and "no-store" in page["Cache-Control"]


def test_the_account_pages_with_their_secrets_are_never_compressed(personas):
    # The TOTP set-up page shows a secret that stays the same from response to response; every
    # page under /accounts/ is left alone (here the e-mail page, reachable without re-login).
    client = personas["editor_a"].client()
    response = client.get("/accounts/email/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"<!DOCTYPE html>" in response.content


def test_without_accept_encoding_the_page_is_plain(client):
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
    assert b"<!DOCTYPE html>" in response.content


@pytest.mark.parametrize(
    ("content_type", "compressed"),
    [
        ("text/html; charset=utf-8", True),
        ("application/json", True),
        ("application/problem+json", True),
        ("application/pdf", False),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
        ("image/png", False),
    ],
)
def test_only_text_like_answers_are_compressed(content_type, compressed):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    middleware = TextGZipMiddleware(lambda _request: HttpResponse(b"a" * 5000, content_type))
    response = middleware(request)
    assert response.has_header("Content-Encoding") is compressed


def _collect(root: Path, name: str, content: bytes) -> CompressedManifestStaticFilesStorage:
    """``name`` collected as production collects it (hashed, compressed) under ``root``."""
    storage = CompressedManifestStaticFilesStorage(location=root, base_url="/static/")
    storage.save(name, _content(content))
    list(storage.post_process({name: (storage, name)}))
    return storage


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)


def test_static_files_have_compressed_variants_and_hashed_names_are_immutable(tmp_path):
    css = b".portal-main { margin: 0 auto; }\n" * 200
    storage = _collect(tmp_path, "css/portal.css", css)
    hashed = storage.stored_name("css/portal.css")
    assert hashed != "css/portal.css"
    assert (tmp_path / f"{hashed}.gz").exists()
    assert (tmp_path / f"{hashed}.br").exists()
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": "/static/"},
        },
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, DEBUG=False):
        middleware = WhiteNoiseMiddleware(lambda _request: HttpResponse(status=404))
        request = RequestFactory().get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip, br")
        response = middleware(request)
        body = b"".join(response.streaming_content)
        unhashed = middleware(RequestFactory().get("/static/css/portal.css"))
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(body) == css
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" not in unhashed["Cache-Control"]


def test_static_files_never_reach_the_gzip_middleware():
    from django.conf import settings

    middleware = settings.MIDDLEWARE
    # WhiteNoise answers static files (with their precompressed variants) before it.
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < middleware.index(
        "portal.compression.TextGZipMiddleware"
    )
