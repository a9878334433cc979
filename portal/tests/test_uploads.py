"""Every PDF upload of the portal (mandates, consultation documents, answers, minutes) goes
through one check: size, real PDF, no encryption, no active content."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.uploads import validate_pdf_upload

PLAIN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[9 0 R]/Count 1>>endobj\n"
    b"9 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("x.pdf", content, "application/pdf")


def test_a_plain_pdf_passes():
    assert validate_pdf_upload(upload(PLAIN), max_bytes=1024 * 1024) == PLAIN


@pytest.mark.parametrize(
    "inserted",
    [
        b"3 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n",
        b"3 0 obj<</S/J#61vaScript/JS(app.alert(1))>>endobj\n",
        b"3 0 obj<</S/Launch/F(cmd.exe)>>endobj\n",
        b"3 0 obj<</Type/EmbeddedFile>>endobj\n",
        b"trailer<</Encrypt 9 0 R>>\n",
    ],
)
def test_active_or_encrypted_content_is_refused_for_every_upload(inserted):
    content = PLAIN.replace(b"trailer", inserted + b"trailer", 1)
    with pytest.raises(ValidationError):
        validate_pdf_upload(upload(content), max_bytes=1024 * 1024)
