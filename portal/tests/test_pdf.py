"""Generated documents render with production's static files (hashed names from the manifest
storage, collected under STATIC_ROOT), and a missing resource is an ordinary error that the
tasks retry and then record as a failure."""

from __future__ import annotations

import subprocess

import pytest
from django.core.management import call_command
from django.test import override_settings

from portal import pdf
from portal.pdf import PdfRenderError, render_pdf

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production uses whitenoise's compressing subclass; the hashed names are the same.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def test_documents_render_with_the_collected_hashed_static_files(tmp_path):
    with override_settings(STORAGES=PRODUCTION_STATIC, STATIC_ROOT=str(tmp_path / "static")):
        call_command("collectstatic", interactive=False, verbosity=0)
        html = pdf.render_html("pdf/base.html", {})
        assert "pdf/document.css" not in html  # the manifest gives the hashed name
        content = render_pdf("pdf/base.html", {})
    assert content.startswith(b"%PDF-")
    out = tmp_path / "base.pdf"
    out.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "Liberation" in fonts.replace("-", "")  # the stylesheet was applied


def test_a_missing_stylesheet_is_an_ordinary_error(monkeypatch):
    monkeypatch.setattr(
        pdf,
        "render_html",
        lambda name, context: '<link rel="stylesheet" href="/static/pdf/bestaat-niet.css"><p>x',
    )
    with pytest.raises(PdfRenderError):
        render_pdf("pdf/base.html", {})
    assert issubclass(PdfRenderError, Exception)


def test_static_file_paths_stay_inside_the_static_files():
    assert pdf.static_file_path("pdf/document.css")
    for bad in ("", "/etc/passwd", "../config/settings.py", "pdf/../../manage.py"):
        assert pdf.static_file_path(bad) is None
