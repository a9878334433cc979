"""How one answer of a supplier is checked and normalised before it is stored: the value
typed (or sent through the API) for each question type, and an uploaded PDF's name and bytes.
Pure functions: no writes, no audit."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from portal.uploads import validate_pdf_upload

# The question types, as stored by tenders.Question.Type.
SHORT_TEXT, LONG_TEXT = "short_text", "long_text"
SINGLE_CHOICE, MULTIPLE_CHOICE = "single_choice", "multiple_choice"
YES_NO, NUMBER, DATE, FILE, PRICE_PER_ITEM = "yes_no", "number", "date", "file", "price_per_item"
SHORT_TEXT_MAX = 200
DATE_RE = re.compile(r"^\s*(\d{1,2})-(\d{1,2})-(\d{4})\s*$")


def _parse_decimal(raw: str) -> Decimal | None:
    """A number as people type it in the Netherlands: ``1.234,56`` or ``1234,56``, and also
    ``1234.56``."""
    text = raw.strip().replace(" ", "").replace("€", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple):
        return not [r for r in raw if str(r).strip()]
    if isinstance(raw, dict):
        return all(is_empty(v) for v in raw.values())
    return False


def clean_answer(question, raw: Any) -> Any:
    """The stored value of one raw answer, or ValidationError with a message for the question.
    ``None`` means "not answered"."""
    if is_empty(raw):
        return None
    kind = question.type
    if kind in (SHORT_TEXT, LONG_TEXT):
        text = str(raw).strip()
        limit = question.max_length or (SHORT_TEXT_MAX if kind == SHORT_TEXT else None)
        if limit and len(text) > limit:
            raise ValidationError(
                _("Use at most %(max)s characters (you used %(count)s).")
                % {"max": limit, "count": len(text)}
            )
        return text
    if kind == SINGLE_CHOICE:
        if str(raw) not in question.options:
            raise ValidationError(_("Choose one of the options."))
        return str(raw)
    if kind == MULTIPLE_CHOICE:
        values = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw]) if str(v)]
        if any(v not in question.options for v in values):
            raise ValidationError(_("Choose from the options."))
        return [o for o in question.options if o in values]
    if kind == YES_NO:
        mapping = {"yes": True, "ja": True, "true": True, "no": False, "nee": False, "false": False}
        key = str(raw).strip().lower()
        if key not in mapping:
            raise ValidationError(_("Choose yes or no."))
        return mapping[key]
    if kind == NUMBER:
        value = _parse_decimal(str(raw))
        if value is None:
            raise ValidationError(_("Enter a number, for example 1250 or 12,5."))
        return str(value)
    if kind == DATE:
        match = DATE_RE.match(str(raw))
        try:
            if not match:
                raise ValueError
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day).isoformat()
        except ValueError:
            raise ValidationError(
                _("Enter a date as dd-mm-yyyy, for example 01-03-2035.")
            ) from None
    if kind == PRICE_PER_ITEM:
        if not isinstance(raw, dict):
            raise ValidationError(_("Enter a price per category."))
        allowed = {str(c.pk) for c in question.categories.all()}
        prices = {}
        for category_id, price in raw.items():
            if str(category_id) not in allowed:
                raise ValidationError(_("Enter prices only for the categories asked."))
            if is_empty(price):
                continue
            value = _parse_decimal(str(price))
            if value is None or value < 0:
                raise ValidationError(
                    _("Enter every price as an amount of 0 or more, for example 450,00.")
                )
            prices[str(category_id)] = str(value)
        return prices or None
    # A file question is answered with an upload (see clean_answer_file), never with text.
    raise ValidationError(_("Upload a PDF file for this question."))


# --- Files --------------------------------------------------------------------------------

FILE_NAME_MAX = 120


def clean_file_name(name: str) -> str:
    """The uploaded file's own name, fit to show and store: no path, no control or reserved
    characters, at most FILE_NAME_MAX characters, ending in .pdf."""
    name = unicodedata.normalize("NFKC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if unicodedata.category(c).startswith(("C", "Z")) else c
        for c in name
        if c not in '<>:"|?*'
    )
    name = " ".join(name.split())
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = stem.strip(" .")[: FILE_NAME_MAX - 4].rstrip(" .")
    return f"{stem or 'bestand'}.pdf"


def clean_answer_file(question, file: UploadedFile) -> tuple[bytes, dict[str, Any]]:
    """The bytes of an uploaded answer file and the value stored with it, or ValidationError
    with a message for the question."""
    if question.type != FILE:
        raise ValidationError(_("This question does not take a file."))
    content = validate_pdf_upload(file, max_bytes=settings.UPLOAD_MAX_BYTES)
    return content, {
        "name": clean_file_name(getattr(file, "name", "")),
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
