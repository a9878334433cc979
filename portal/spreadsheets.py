"""Text in the spreadsheets the portal writes: a value that starts like a formula is written
as text, never as a live formula (formula injection, OWASP CSV injection)."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
