"""The one writer of the spreadsheets the portal hands out (Excel workbooks and CSV files): a
text that starts like a formula is written as text, never as a live formula (formula
injection, OWASP "CSV injection"; the DDE forms such as ``=cmd|' /C calc'!A0`` included).

Every workbook is saved through ``workbook_bytes``, which guards every cell of every sheet just
before saving, so a writer cannot forget a cell. A formula the portal means to write (the
totals of the price sheet) is written with ``formula`` and is the only formula that survives.
CSV files are written with ``csv_bytes``, which puts a quote before such a text (the cell then
opens as text in a spreadsheet).

Exports that grow with the data are written in openpyxl's write-only mode (``Workbook(
write_only=True)``): each row goes to a temporary file as it is appended (``append_row`` guards
it first), the workbook is saved into a temporary file, and ``xlsx_response`` streams that file
out, so memory stays flat however many rows there are."""

from __future__ import annotations

import csv
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from copy import copy
from datetime import date, time, timedelta
from io import BytesIO, StringIO
from typing import IO, Any

from django.http import FileResponse
from openpyxl.cell import Cell
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

# A spreadsheet reads a cell starting with one of these as a formula (or, for the controls,
# shifts it into the next cell, where the rest may start a formula). The full-width forms are
# read as formulas by East Asian editions of Excel.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Leading characters a spreadsheet may drop before it looks at the first one.
_IGNORED_LEADING = " \u00a0\u2007\u202f\u3000\ufeff\u200b"

# The formulas the portal wrote on purpose, per sheet (by coordinate).
_INTENDED: weakref.WeakKeyDictionary[Worksheet, set[str]] = weakref.WeakKeyDictionary()


def starts_like_formula(value: object) -> bool:
    """True for a text a spreadsheet could read as a formula: one that starts (after spaces)
    with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), or with a control character
    such as a tab, carriage return or line feed."""
    if not isinstance(value, str) or not value:
        return False
    if value[0] < " " or "\x7f" <= value[0] <= "\x9f":
        return True
    return value.lstrip(_IGNORED_LEADING).startswith(FORMULA_PREFIXES)


def guard_cell(cell: Any) -> Any:
    """Make ``cell`` hold its text as text when it starts like a formula: a text cell with
    Excel's quote prefix (the cell shows and keeps the text, and editing it does not turn it
    into a formula). Returns the cell."""
    if starts_like_formula(cell.value):
        if isinstance(cell, _SharedStyleCell):
            cell.own_style()
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row with every text guarded at once. A value may be a cell of ``sheet`` (to
    give it a style). The row goes after the last one without looking at the sheet's cells."""
    row = []
    for value in values:
        if starts_like_formula(value):
            value = guard_cell(Cell(sheet, value=value))
        elif isinstance(value, Cell):
            guard_cell(value)
        row.append(value)
    sheet.append(row)


def formula(sheet: Worksheet, *, row: int, column: int, expression: str) -> Cell:
    """Write a formula the portal means (never one built from what a user entered)."""
    if not expression.startswith("="):
        raise ValueError("A formula starts with '='.")
    cell = sheet.cell(row=row, column=column, value=expression)
    _INTENDED.setdefault(sheet, set()).add(cell.coordinate)
    return cell


def guard_workbook(workbook: Workbook) -> None:
    """Guard every cell of every sheet, except the formulas written with ``formula``."""
    for sheet in workbook.worksheets:
        intended = _INTENDED.get(sheet, set())
        # ``_cells`` holds the cells that exist; iter_rows would create the empty ones.
        for cell in sheet._cells.values():
            if starts_like_formula(cell.value) and cell.coordinate not in intended:
                cell.data_type = "s"
                cell.quotePrefix = True


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes, with every text cell guarded."""
    guard_workbook(workbook)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


# Values whose binding sets a cell's number format (a datetime is a date).
DATE_TYPES = (date, time, timedelta)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _WriteOnlySheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, placing a prepared cell (a styled or guarded one) without
    first trying it as a value (which fails, slowly, for every such cell)."""

    def _values_to_row(self, values, row_idx):
        cell = Cell(self)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                value.column, value.row = col_idx, row_idx
                yield value
                continue
            cell.value = value
            cell.column, cell.row = col_idx, row_idx
            yield cell  # written before the next value is bound
            if cell.has_style:  # a date gets its number format: the next value a new cell
                cell = Cell(self)


def write_only_sheet(workbook: Workbook, title: str) -> WriteOnlyWorksheet:
    """A new sheet of a write-only workbook (``Workbook(write_only=True)``)."""
    sheet = _WriteOnlySheet(parent=workbook, title=title)
    workbook._add_sheet(sheet)
    return sheet


def workbook_file(workbook: Workbook) -> IO[bytes]:
    """The workbook saved into a temporary file (deleted when closed), at its start. A
    write-only workbook's rows were guarded as they were appended; any other is guarded
    here."""
    if not workbook.write_only:
        guard_workbook(workbook)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response that streams it)
    workbook.save(out)
    out.seek(0)
    return out


def xlsx_response(file: IO[bytes], *, filename: str, no_store: bool = False) -> FileResponse:
    """A download streamed from ``file`` (from ``workbook_file``), closed when sent."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
    if no_store:
        response["Cache-Control"] = "no-store"
    return response


class _SharedStyleCell(Cell):
    """A cell of a write-only sheet with a style shared by many cells: the style's index in the
    workbook's styles is known, not looked up again for every cell as it is written."""

    __slots__ = ("_style_index",)

    @property
    def style_id(self) -> int:
        if self._style_index is None:
            return super().style_id
        return self._style_index

    @property
    def has_style(self) -> bool:
        return self._style_index is not None or super().has_style

    def own_style(self) -> None:
        """Give the cell a style of its own before something changes it."""
        self._style = copy(self._style)
        self._style_index = None


class SharedStyle:
    """One style for many cells of a write-only sheet (a number format, an alignment):
    added to the workbook's styles once, then given to each cell as it is made."""

    def __init__(self, sheet, **attributes: Any):
        cell = Cell(sheet)
        for name, value in attributes.items():
            setattr(cell, name, value)
        self.sheet = sheet
        self._index = cell.style_id
        # The cells share a copy: the workbook's own entry never changes through a cell.
        self._style = copy(cell._style)
        self._dates = is_date_format(cell.number_format)

    def __call__(self, value: Any) -> Cell:
        cell = _SharedStyleCell(self.sheet)
        cell._style, cell._style_index = self._style, self._index
        if not self._dates and isinstance(value, DATE_TYPES):
            cell.own_style()  # binding a date sets the cell's number format
        cell.value = value
        return cell


class ColumnStyles:
    """Per column of a (write-only) sheet: a style applied to every value that is not empty."""

    def __init__(self, sheet, styles: dict[int, dict[str, Any]]):
        shared = {column: SharedStyle(sheet, **attrs) for column, attrs in styles.items()}
        # Column by column from the first (the last with a style ends the list).
        self._styles = [shared.get(column) for column in range(1, max(shared, default=0) + 1)]

    def row(self, values: Iterable[Any]) -> list[Any]:
        """The values with the column styles applied (as cells where a style applies)."""
        row = list(values)
        for index, style in enumerate(self._styles[: len(row)]):
            value = row[index]
            if style is not None and value is not None and not isinstance(value, Cell):
                row[index] = style(value)
        return row


def header_row(sheet, headers: list[str], widths: Iterable[int], **style: Any) -> None:
    """The column widths, a frozen first row and the header (bold, with ``style``): for a
    write-only sheet, before any other row."""
    from openpyxl.styles import Font

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = SharedStyle(sheet, font=Font(bold=True), **style)
    append_row(sheet, [bold(header) for header in headers])


def filter_all(sheet, *, columns: int, rows: int) -> None:
    """An auto filter over the header and ``rows`` rows below it (a write-only sheet does not
    know its own size)."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(columns, 1))}{rows + 1}"


def csv_value(value: Any) -> Any:
    """A CSV value: a text that starts like a formula gets a quote in front."""
    if value is None:
        return ""
    return f"'{value}" if starts_like_formula(value) else value


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as CSV in UTF-8 with a byte order mark (so that Excel reads the accents), every
    text guarded."""
    return b"".join(csv_chunks(rows))


def csv_chunks(rows: Iterable[Iterable[Any]], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The same CSV as ``csv_bytes``, yielded in chunks so that a long file (an audit trail)
    never has to be in memory at once."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_value(value) for value in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
