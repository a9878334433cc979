"""Demand values on their way between a channel and the database, and the one validation core.

The form, the Excel upload and the API each give a list of ``Cell`` values with a location of
their own (a field id, a sheet and cell, a JSON pointer), and get back either clean values
(``DemandData``) or every problem, in Dutch, at its location. Reads (the working copy as
``DemandData``) and writes (saving it) share these types, so they live apart from both."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_QUANTITY = 10_000_000
MAX_REVISION = 2**31 - 1  # the largest value of the revision column
# Longer than any count with separators and spaces around it: refused before int() sees it.
MAX_TEXT_LENGTH = 40
_PLAIN = re.compile(r"[0-9]+")
# Dutch thousands separators: one kind (a dot or a space) between groups of exactly three.
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+")
# One separator with digits on both sides that is not a thousands group: a decimal number.
_DECIMAL = re.compile(r"[0-9]*[.,][0-9]+|[0-9]+,")
_LONG_NUMBER = re.compile(r"[-0-9 .,]+")


@dataclass(frozen=True)
class Cell:
    """One raw input value and where it came from (for the error message)."""

    location: str
    value: Any


@dataclass
class Problem:
    location: str
    message: str


@dataclass
class DemandData:
    """Clean demand values, keyed by (municipality id, category id, year) etc."""

    lines: dict[tuple[int, int, int], tuple[int, int | None, int | None]] = field(
        default_factory=dict
    )
    options: dict[tuple[int, int], tuple[list[str], str]] = field(default_factory=dict)
    profiles: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)


def parse_count(
    raw: Any, *, required: bool, maximum: int = MAX_QUANTITY
) -> tuple[int | None, str | None]:
    """A whole number from 0 to ``maximum``: the one number parser of the grid, the Excel
    workbook and the API. Accepts 1234, and Dutch thousands separators ("1.234", "1 234") only
    between groups of three digits, so "2.5", "1.23" and "1.5.0" are refused instead of read
    as 25, 123 or 150. Returns (value, None) or (None, error message)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return (0 if required else None), None
    if isinstance(raw, bool):
        return None, _("Enter a whole number.")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            return None, _("Enter a whole number, without decimals.")
        value = int(raw)
    elif isinstance(raw, str):
        parsed = _parse_text(raw)
        if isinstance(parsed, str):
            return None, parsed
        value = parsed
    else:
        return None, _("Enter a whole number.")
    if value < 0:
        return None, _("Enter 0 or more.")
    if value > maximum:
        if maximum == MAX_QUANTITY:
            return None, _("Enter at most 10,000,000.")
        return None, _("Enter a smaller number.")
    return value, None


def _parse_text(raw: str) -> int | str:
    """The number a person typed, or why it is not one. The length is capped before anything
    else, so int() never sees thousands of digits (which Python refuses with a ValueError)."""
    text = raw.strip()
    if len(text) > MAX_TEXT_LENGTH:
        if _LONG_NUMBER.fullmatch(text[:MAX_TEXT_LENGTH]):
            return _("Enter at most 10,000,000.")
        return _("Enter a whole number.")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    negative = text.startswith("-")
    digits = text[1:].lstrip() if negative else text
    if _PLAIN.fullmatch(digits):
        number = digits
    elif _GROUPED.fullmatch(digits):
        number = digits.replace(".", "").replace(" ", "")
    elif _DECIMAL.fullmatch(digits):
        return _("Enter a whole number, without decimals.")
    else:
        return _("Enter a whole number.")
    if negative:
        return _("Enter 0 or more.")
    return int(number)


def validate_lines(
    cells: dict[tuple[int, int, int], tuple[Cell, Cell | None, Cell | None]],
) -> tuple[dict, list[Problem]]:
    """Validate quantity/min/max per (municipality, category, year)."""
    lines: dict = {}
    problems: list[Problem] = []
    for key, (quantity_cell, min_cell, max_cell) in cells.items():
        quantity, error = parse_count(quantity_cell.value, required=True)
        if error:
            problems.append(Problem(quantity_cell.location, error))
            continue
        minimum = maximum = None
        if min_cell is not None:
            minimum, error = parse_count(min_cell.value, required=False)
            if error:
                problems.append(Problem(min_cell.location, error))
                continue
        if max_cell is not None:
            maximum, error = parse_count(max_cell.value, required=False)
            if error:
                problems.append(Problem(max_cell.location, error))
                continue
        if minimum is not None and minimum > quantity:
            problems.append(
                Problem(min_cell.location, _("The minimum cannot be higher than the quantity."))
            )
            continue
        if maximum is not None and maximum < quantity:
            problems.append(
                Problem(max_cell.location, _("The maximum cannot be lower than the quantity."))
            )
            continue
        lines[key] = (quantity, minimum, maximum)
    return lines, problems
