"""The shape of the workbook the download makes (sheets, rows, columns and the hidden keys), and
the reading of an upload's values in one pass over its zip directory and its sheets' XML that
checks, as it goes, that the upload fits in that shape.

Why bounded: a workbook within every size limit can still hold half a million rows, and
reading them cell by cell would hold a web worker for longer than its timeout. The XML is read
as a stream that stops at the first row or column past the template, so refusing such a file
costs about as much as reading the template itself; a deadline bounds whatever is left. The
values are those openpyxl would read (``parts``), without opening the file a second time."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl.utils.datetime import from_excel, from_ISO8601

from catalog.models import Category
from municipalities.excel.layout import (
    FIRST_CATEGORY_ROW,
    FIRST_DATA_COLUMN,
    MAX_INSTRUCTION_ROWS,
    column_keys,
)
from municipalities.excel.parts import (
    MAIN,
    Parts,
    ShapeError,
    plain_text,
    read_parts,
    stream_events,
    too_large_message,
    unreadable_message,
    unsafe_message,
)
from municipalities.models import Demand
from municipalities.selectors import demand_scope, service_slugs

# Room past the template, so that a figure typed just outside the table is reported at its cell
# (see ``rows``) instead of refusing the whole file.
ROW_SLACK = 10
COLUMN_SLACK = 5
# Generous per cell: a remark of 500 characters, escaped, with its shared string and style.
CELL_BYTES = 2048
# Parts every workbook has whatever its size (styles, theme, properties), as Excel writes them.
FIXED_BYTES = 2 * 1024 * 1024
# Excel keeps at most 32,767 characters in a cell.
CELL_TEXT_MAX = 32_767
PARSE_SECONDS = 10.0
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_ROW, _CELL, _FORMULA = f"{MAIN}row", f"{MAIN}c", f"{MAIN}f"
_VALUE, _INLINE = f"{MAIN}v", f"{MAIN}is"
_TEXTS = {_VALUE, f"{MAIN}t", _FORMULA}


@dataclass(frozen=True)
class TemplateShape:
    """What the download makes for one inventory, and the bounds an upload must stay within."""

    municipalities: list
    categories: list[Category]
    years: list[int]
    services: list[Category]
    column_keys: list[str]

    @property
    def sheets(self) -> int:
        return len(self.municipalities) + 2  # the instructions and the hidden meta sheet

    @property
    def rows(self) -> int:
        return max(FIRST_CATEGORY_ROW - 1 + len(self.categories), MAX_INSTRUCTION_ROWS)

    @property
    def columns(self) -> int:
        return FIRST_DATA_COLUMN - 1 + len(self.column_keys)

    @property
    def max_rows(self) -> int:
        return self.rows + ROW_SLACK

    @property
    def max_columns(self) -> int:
        return self.columns + COLUMN_SLACK

    @property
    def max_bytes(self) -> int:
        return self.sheets * self.max_rows * self.max_columns * CELL_BYTES + FIXED_BYTES

    @property
    def max_cells(self) -> int:
        return self.sheets * self.max_rows * self.max_columns

    @property
    def max_elements(self) -> int:
        """XML elements one sheet may hold: a cell is at most three (c, v or is/t, f)."""
        return 4 * self.max_rows * self.max_columns + 10_000


def workbook_services() -> list[Category]:
    """The services that get a column, in the order of the columns."""
    return list(Category.objects.filter(slug__in=service_slugs()).order_by("sort_order", "slug"))


def template_shape(demand: Demand) -> TemplateShape:
    municipalities, categories, years = demand_scope(demand)
    services = workbook_services()
    return TemplateShape(
        municipalities=municipalities,
        categories=categories,
        years=years,
        services=services,
        column_keys=column_keys(years, [s.slug for s in services]),
    )


@dataclass
class SheetValues:
    """The values of an upload's sheets as openpyxl's ``iter_rows(values_only=True)`` gives
    them (a row per row number, a missing row empty; a formula as its text, "=…"), and the
    (row, column) of each formula cell per sheet."""

    sheets: list[tuple[str, list[tuple[Any, ...]]]]
    formulas: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    @property
    def sheetnames(self) -> list[str]:
        return [name for name, _rows in self.sheets]

    def __getitem__(self, name: str) -> list[tuple[Any, ...]]:
        return next(rows for title, rows in self.sheets if title == name)


def read_sheets(
    content: bytes, shape: TemplateShape, *, deadline: float
) -> tuple[SheetValues | None, str | None]:
    """The values of ``content`` (a zip already checked by ``check_xlsx_container``), or why
    it does not fit ``shape``. Reads the zip directory, the workbook's small parts and each
    sheet's XML as a stream, and stops at the first thing past the template."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(m.file_size for m in archive.infolist()) > shape.max_bytes:
                return None, too_large_message()
            parts = read_parts(archive, max_strings=shape.max_cells, deadline=deadline)
            if len(parts.sheets) > shape.sheets:
                return None, too_large_message()
            values = SheetValues(sheets=[])
            for name, path in parts.sheets:
                rows, formulas = _read_sheet(archive, path, shape, parts, deadline=deadline)
                values.sheets.append((name, rows))
                values.formulas.setdefault(name, set()).update(formulas)
    except ShapeError as exc:
        return None, str(exc)
    except (zipfile.BadZipFile, KeyError, ParseError, OSError, EOFError, RuntimeError):
        return None, unreadable_message()
    return values, None


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


class _Row:
    """The cells of the row being read: (column, value) in document order."""

    def __init__(self) -> None:
        self.cells: list[tuple[int, Any]] = []

    def values(self) -> tuple[Any, ...]:
        """As openpyxl's read-only rows: as wide as the column of the last cell."""
        if not self.cells:
            return ()
        row: list[Any] = [None] * self.cells[-1][0]
        for column, value in self.cells:
            if column <= len(row):
                row[column - 1] = value
        return tuple(row)


def _read_sheet(
    archive: zipfile.ZipFile, path: str, shape: TemplateShape, parts: Parts, *, deadline
) -> tuple[list[tuple[Any, ...]], set[tuple[int, int]]]:
    """Stream one sheet's XML into its rows of values; raise ShapeError at the first row,
    column or element past the template. Rows are cleared as they end, so the XML held is that
    of one row. Also returns the (row, column) of each formula cell (a cell with an ``<f>``)."""
    elements = row = column = 0
    formulas: set[tuple[int, int]] = set()
    rows: list[tuple[Any, ...]] = []
    current = _Row()
    # The bounds, computed once (the loop runs per XML element).
    max_elements, max_rows, max_columns = shape.max_elements, shape.max_rows, shape.max_columns
    events = stream_events(archive, path, events=("start", "end"), deadline=deadline)
    for event, element in events:
        tag = element.tag
        if event == "end":
            if tag == _CELL:
                current.cells.append((column, _cell_value(element, parts)))
            elif tag in _TEXTS:
                if len(element.text or "") > CELL_TEXT_MAX:
                    raise ShapeError(unsafe_message())
            elif tag == _ROW:
                # A row numbered before one already read is left out, as openpyxl does.
                if row > len(rows):
                    rows.extend([()] * (row - 1 - len(rows)))
                    rows.append(current.values())
                element.clear()
            continue
        elements += 1
        if elements > max_elements:
            raise ShapeError(too_large_message())
        if tag == _ROW:
            row = _position(element.get("r"), row + 1)
            column = 0
            current = _Row()
            if row > max_rows:
                raise ShapeError(too_large_message())
        elif tag == _CELL:
            column = _cell_column(element.get("r"), column + 1, row)
            if column > max_columns:
                raise ShapeError(too_large_message())
        elif tag == _FORMULA:
            formulas.add((row, column))
    return rows, formulas


def _cell_value(cell, parts: Parts) -> Any:
    """A cell's value as openpyxl reads it without ``data_only``: a formula as its text, a
    shared string as its text, a number as an int or a float (a date in a date style), a
    boolean as such, an error as its code."""
    kind = cell.get("t", "n")
    formula = cell.find(_FORMULA)
    if formula is not None:
        return "=" + (formula.text or "")
    if kind == "inlineStr":
        inline = cell.find(_INLINE)
        return plain_text(inline) if inline is not None else None
    value = cell.findtext(_VALUE) or None
    if value is None:
        return None
    try:
        if kind == "n":
            number = float(value) if "." in value or "e" in value.lower() else int(value)
            style = int(cell.get("s") or 0)
            if style in parts.date_styles:
                try:
                    return from_excel(
                        number, parts.epoch, timedelta=style in parts.timedelta_styles
                    )
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return parts.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
    except (ValueError, IndexError):
        raise ShapeError(unreadable_message()) from None
    return value  # "str" (a formula's text result) and "e" (an error code)


def _position(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        raise ShapeError(too_large_message())
    return int(raw)


def _cell_column(raw: str | None, default: int, row: int) -> int:
    if raw is None:
        return default
    match = _REFERENCE.fullmatch(raw)
    if match is None:
        raise ShapeError(unreadable_message())
    if int(match.group(2)) != row:
        # A cell outside its row would put a value where the row count did not look.
        raise ShapeError(too_large_message())
    return _column_number(match.group(1))
