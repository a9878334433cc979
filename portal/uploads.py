"""Checks on uploaded files before anything is stored: size, and content (not the name)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_pdf_upload(file, *, max_bytes: int) -> bytes:
    """Return the bytes of ``file`` if it is a real PDF no larger than ``max_bytes``."""
    if file is None:
        raise ValidationError(_("Choose a PDF file."))
    if file.size > max_bytes:
        raise ValidationError(
            _("The file must be smaller than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}
        )
    content = file.read(max_bytes + 1)
    if not content:
        raise ValidationError(_("The file is empty."))
    if len(content) > max_bytes:
        raise ValidationError(
            _("The file must be smaller than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}
        )
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise ValidationError(_("The file must be a PDF file."))
    return content
