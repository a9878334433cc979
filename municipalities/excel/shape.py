"""The shape of the workbook the download makes (sheets, rows, columns and the hidden keys), and
the check that an upload fits in it, made on the zip directory and the sheets' XML before
openpyxl reads a row.

Why before: a workbook within every size limit can still hold half a million rows, and reading
them cell by cell would hold a web worker for longer than its timeout. The XML is scanned as a
stream that stops at the first row or column past the template, so refusing such a file costs
about as much as reading the template itself; a deadline bounds whatever is left."""

from __future__ import annotations

import io
import posixpath
import re
import time
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, XMLPullParser

from django.utils.translation import gettext as _

from catalog.models import Category
from municipalities.excel.layout import (
    FIRST_CATEGORY_ROW,
    FIRST_DATA_COLUMN,
    MAX_INSTRUCTION_ROWS,
    column_keys,
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
_CHUNK = 64 * 1024
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


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


class ShapeError(Exception):
    """The upload does not fit the template, or cannot be read within the bounds."""


def too_large_message() -> str:
    return _(
        "The file has more sheets, rows or columns than the template of this inventory. "
        "Download the template and enter your figures in it."
    )


def unsafe_message() -> str:
    return _("The file could not be read safely. Save it again as an .xlsx file.")


def check_shape(
    content: bytes,
    shape: TemplateShape,
    *,
    deadline: float,
    formulas: dict[str, set[tuple[int, int]]] | None = None,
) -> str | None:
    """Why ``content`` (a zip already checked by ``check_xlsx_container``) does not fit
    ``shape``, or None. Reads the zip directory, the workbook part and each sheet's XML as a
    stream, and stops at the first thing past the template. On the way it puts the (row,
    column) of every formula cell in ``formulas`` under its sheet's name, so that the rows
    can then be read as bare values."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(m.file_size for m in archive.infolist()) > shape.max_bytes:
                return too_large_message()
            paths = _sheet_paths(archive)
            if len(paths) > shape.sheets:
                return too_large_message()
            for name, path in paths:
                found = _scan_sheet(archive, path, shape, deadline=deadline)
                if formulas is not None:
                    formulas.setdefault(name, set()).update(found)
    except ShapeError as exc:
        return str(exc)
    except (zipfile.BadZipFile, KeyError, ParseError, OSError, EOFError, RuntimeError):
        return _("The file could not be read. Save it again as an .xlsx file.")
    return None


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > 1024 * 1024:
        raise ShapeError(unsafe_message())
    return archive.read(info)


def _parse_small(data: bytes):
    parser = XMLPullParser(events=("start",))
    parser.feed(data)
    parser.close()
    return [element for _event, element in parser.read_events()]


def _sheet_paths(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """The names and zip members of the workbook's sheets, found the way a reader finds
    them: the sheet list in xl/workbook.xml and its relationships."""
    sheets = [
        (element.get("name", ""), element.get(f"{_RELATIONSHIPS}id"))
        for element in _parse_small(_small_part(archive, "xl/workbook.xml"))
        if element.tag == f"{_MAIN}sheet"
    ]
    if not sheets:
        return []
    targets = {
        element.get("Id"): element.get("Target", "")
        for element in _parse_small(_small_part(archive, "xl/_rels/workbook.xml.rels"))
        if element.tag == f"{_PACKAGE_RELATIONSHIPS}Relationship"
    }
    paths = []
    for name, relation in sheets:
        target = targets.get(relation)
        if not target:
            raise ShapeError(_("The file could not be read. Save it again as an .xlsx file."))
        if target.startswith("/"):
            paths.append((name, target.lstrip("/")))
        else:
            paths.append((name, posixpath.normpath(posixpath.join("xl", target))))
    return paths


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _scan_sheet(
    archive: zipfile.ZipFile, path: str, shape: TemplateShape, *, deadline
) -> set[tuple[int, int]]:
    """Stream one sheet's XML; raise ShapeError at the first row, column or element past the
    template. Rows are cleared as they end, so memory stays that of one row. Returns the
    (row, column) of each formula cell (a cell with an ``<f>``)."""
    parser = XMLPullParser(events=("start", "end"))
    elements = row = column = 0
    formulas: set[tuple[int, int]] = set()
    with archive.open(path) as stream:
        while chunk := stream.read(_CHUNK):
            if time.monotonic() > deadline:
                raise ShapeError(unsafe_message())
            parser.feed(chunk)
            for event, element in parser.read_events():
                tag = element.tag
                if event == "end":
                    if tag in {f"{_MAIN}v", f"{_MAIN}t", f"{_MAIN}f"}:
                        if len(element.text or "") > CELL_TEXT_MAX:
                            raise ShapeError(unsafe_message())
                    elif tag == f"{_MAIN}row":
                        element.clear()
                    continue
                elements += 1
                if elements > shape.max_elements:
                    raise ShapeError(too_large_message())
                if tag == f"{_MAIN}row":
                    row = _position(element.get("r"), row + 1)
                    column = 0
                    if row > shape.max_rows:
                        raise ShapeError(too_large_message())
                elif tag == f"{_MAIN}c":
                    column = _cell_column(element.get("r"), column + 1, row)
                    if column > shape.max_columns:
                        raise ShapeError(too_large_message())
                elif tag == f"{_MAIN}f":
                    formulas.add((row, column))
        parser.close()
    return formulas


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
        raise ShapeError(_("The file could not be read. Save it again as an .xlsx file."))
    if int(match.group(2)) != row:
        # A cell outside its row would put a value where the row count did not look.
        raise ShapeError(too_large_message())
    return _column_number(match.group(1))
