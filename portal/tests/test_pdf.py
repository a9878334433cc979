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


def test_the_lean_default_stylesheet_leaves_out_only_unused_pseudo_elements():
    from weasyprint import html as weasyprint_html

    stock = weasyprint_html.UA.splitlines()
    lean = pdf.lean_ua_css(weasyprint_html.UA).splitlines()
    removed = [line for line in stock if line not in lean]
    added = [line for line in lean if line not in stock]
    assert [line.split(" {")[0] for line in removed] == [
        "::marker",
        "::footnote-call",
        "::footnote-marker",
        "::note-call",
        "::note-marker",
        "::note-callback",
    ]
    assert [line.split(" {")[0] for line in added] == ["li::marker, summary::marker"]
    with pytest.raises(PdfRenderError):  # a WeasyPrint that changed its stylesheet is noticed
        pdf.lean_ua_css("p { margin: 0 }")


SAMPLE = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Proef</title>
<meta name="dcterms.created" content="2026-11-02">
<link rel="stylesheet" href="/static/pdf/document.css"></head><body><h1>Proef</h1>
<ol class="clauses"><li>Eerste lid.</li><li>Tweede lid.</li></ol><ul><li>Punt</li></ul>
<table class="data"><thead><tr><th>Naam</th><th>Kenmerk</th></tr></thead><tbody>
{rows}</tbody></table><p>Slot, met <q>aanhaling</q>.<br>Nieuwe regel.</p></body></html>"""


def test_documents_come_out_byte_for_byte_the_same_with_the_lean_stylesheet():
    from weasyprint import HTML

    rows = "".join(f"<tr><td>Gemeente {n}</td><td>GM{n:04d}</td></tr>" for n in range(80))
    html = SAMPLE.replace("{rows}", rows)
    made = [
        kind(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf.StaticFilesURLFetcher())
        .render()
        .write_pdf(pdf_tags=True)
        for kind in (HTML, pdf.DocumentHTML)
    ]
    assert made[0].startswith(b"%PDF-") and made[0] == made[1]
