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
_NUMBER = re.compile(r"^\d+$")


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


def parse_count(raw: Any, *, required: bool) -> tuple[int | None, str | None]:
    """A whole number >= 0. Accepts 1234, 1.234 and '1 234' (Dutch thousands separators).
    Returns (value, None) or (None, error message)."""
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
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(".", "")
        if text.startswith("-") and _NUMBER.match(text[1:]):
            return None, _("Enter 0 or more.")
        if "," in text:
            return None, _("Enter a whole number, without decimals.")
        if not _NUMBER.match(text):
            return None, _("Enter a whole number.")
        value = int(text)
    if value < 0:
        return None, _("Enter 0 or more.")
    if value > MAX_QUANTITY:
        return None, _("Enter at most 10,000,000.")
    return value, None


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
