"""Checks for the identifiers a supplier registers with (see docs in DOMAIN.md): KvK number,
Dutch postcode and VAT number (btw-id). Each returns the normalised value or raises a
ValidationError whose message says what to do."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import btw as nl_btw

KVK_RE = re.compile(r"^[0-9]{8}$")
# Four digits, the first not 0, then two letters; SA, SD and SS are never issued.
POSTCODE_RE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")
POSTCODE_NEVER_ISSUED = frozenset({"SA", "SD", "SS"})


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_kvk_number(value: str) -> str:
    """A KvK number is exactly 8 digits (no check digit). Spaces and dots are ignored."""
    compact = _compact(value)
    if not KVK_RE.match(compact):
        raise ValidationError(
            _("Enter a KvK number of exactly 8 digits, like 12345678."), code="kvk_number"
        )
    return compact


def normalise_postcode(value: str) -> str:
    """Return a Dutch postcode as "1234 AB"; accept "1234ab" and "1234 ab"."""
    candidate = re.sub(r"\s+", " ", (value or "").strip().upper())
    match = POSTCODE_RE.match(candidate)
    if not match or match.group(2) in POSTCODE_NEVER_ISSUED:
        raise ValidationError(
            _("Enter a Dutch postcode of 4 digits and 2 letters, like 1234 AB."),
            code="postcode",
        )
    return f"{match.group(1)} {match.group(2)}"


def validate_vat_number(value: str, *, country: str = "NL") -> str:
    """Check a VAT number (btw-id): ``stdnum.nl.btw`` for Dutch numbers, ``stdnum.eu.vat`` for
    other EU countries. Returns the compact form with country prefix, e.g. NL000099998B57."""
    compact = _compact(value)
    if not compact:
        raise ValidationError(_("Enter a VAT number."), code="vat_number")
    is_dutch = compact.startswith("NL") or (country == "NL" and compact[:1].isdigit())
    try:
        if is_dutch:
            return "NL" + nl_btw.validate(compact.removeprefix("NL"))
        if compact[:1].isdigit() and country:
            compact = country.upper() + compact
        return eu_vat.validate(compact)
    except StdnumValidationError as exc:
        if is_dutch:
            message = _(
                "Enter a Dutch VAT number as NL, 9 digits, B and 2 digits, like NL000099998B57."
            )
        else:
            message = _("Enter a valid EU VAT number with its country code, like DE136695976.")
        raise ValidationError(message, code="vat_number") from exc
