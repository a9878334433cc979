"""The parts of an uploaded workbook that give its cells their values, read as openpyxl reads
them, but bounded: the shared strings (texts are stored once there and referred to by number),
the styles (a number in a date format is a date) and the workbook's calendar (1900 or 1904).
``shape.read_sheets`` uses them while it streams the sheets.

Reading the values here, in the one pass that checks the shape, instead of opening the file
again with openpyxl, makes an upload cost about a third of what openpyxl alone takes to read
it (decision 0027)."""

from __future__ import annotations

import posixpath
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import XMLPullParser

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
STYLES = "xl/styles.xml"
CHUNK = 64 * 1024
# Styles of a workbook as Excel and LibreOffice write them are a few KB; generous.
STYLES_MAX_BYTES = 2 * 1024 * 1024
SMALL_PART_MAX_BYTES = 1024 * 1024


class ShapeError(Exception):
    """The upload does not fit the template, or cannot be read within the bounds; the message
    says so to the user."""


def unreadable_message() -> str:
    return _("The file could not be read. Save it again as an .xlsx file.")


def unsafe_message() -> str:
    return _("The file could not be read safely. Save it again as an .xlsx file.")


def too_large_message() -> str:
    return _(
        "The file has more sheets, rows or columns than the template of this inventory. "
        "Download the template and enter your figures in it."
    )


@dataclass
class Parts:
    """What the sheets' cells need: the sheets (name and zip member, in the workbook's order),
    the shared strings, the styles that make a number a date or a duration, and the epoch."""

    sheets: list[tuple[str, str]]
    strings: list[str] = field(default_factory=list)
    date_styles: frozenset[int] = frozenset()
    timedelta_styles: frozenset[int] = frozenset()
    epoch: datetime = CALENDAR_WINDOWS_1900


def small_part(archive: zipfile.ZipFile, name: str, limit: int = SMALL_PART_MAX_BYTES) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ShapeError(unsafe_message())
    return archive.read(info)


def parse_small(data: bytes) -> list:
    parser = XMLPullParser(events=("start",))
    parser.feed(data)
    parser.close()
    return [element for _event, element in parser.read_events()]


def read_parts(archive: zipfile.ZipFile, *, max_strings: int, deadline: float) -> Parts:
    """The sheets, found the way a reader finds them (the sheet list in xl/workbook.xml and its
    relationships), and the parts their values need."""
    workbook = parse_small(small_part(archive, "xl/workbook.xml"))
    targets = {
        element.get("Id", ""): _member(element.get("Target", ""))
        for element in parse_small(small_part(archive, "xl/_rels/workbook.xml.rels"))
        if element.tag == f"{PACKAGE_RELATIONSHIPS}Relationship"
    }
    sheets = []
    for element in workbook:
        if element.tag != f"{MAIN}sheet":
            continue
        path = targets.get(element.get(f"{RELATIONSHIPS}id", ""))
        if not path:
            raise ShapeError(unreadable_message())
        sheets.append((element.get("name", ""), path))
    parts = Parts(sheets=sheets)
    if any(
        element.tag == f"{MAIN}workbookPr" and element.get("date1904") in {"1", "true"}
        for element in workbook
    ):
        parts.epoch = CALENDAR_MAC_1904
    # Where openpyxl looks: the styles at their fixed name, the shared strings by their
    # content type.
    if STYLES in archive.namelist():
        _read_styles(parts, small_part(archive, STYLES, STYLES_MAX_BYTES))
    strings = next(
        (
            element.get("PartName", "").lstrip("/")
            for element in parse_small(small_part(archive, "[Content_Types].xml"))
            if element.tag == f"{CONTENT_TYPES}Override"
            and element.get("ContentType") == SHARED_STRINGS_TYPE
        ),
        None,
    )
    if strings:
        parts.strings = _read_strings(archive, strings, max_strings=max_strings, deadline=deadline)
    return parts


def _member(target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _read_styles(parts: Parts, data: bytes) -> None:
    """Which cell styles (the index of an ``xf`` in ``cellXfs``) show a number as a date or a
    duration, by their number format, as openpyxl decides it."""
    custom: dict[int, str] = {}
    styles: list[int] = []
    in_cell_xfs = False
    parser = XMLPullParser(events=("start", "end"))
    parser.feed(data)
    parser.close()
    for event, element in parser.read_events():
        if element.tag == f"{MAIN}cellXfs":
            in_cell_xfs = event == "start"
        elif event == "start" and element.tag == f"{MAIN}numFmt":
            custom[_integer(element.get("numFmtId"))] = element.get("formatCode", "")
        elif event == "start" and in_cell_xfs and element.tag == f"{MAIN}xf":
            styles.append(_integer(element.get("numFmtId") or "0"))
    dates, durations = set(), set()
    for index, number_format in enumerate(styles):
        code = custom.get(number_format) or builtin_format_code(number_format)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    parts.date_styles, parts.timedelta_styles = frozenset(dates), frozenset(durations)


def _integer(raw: str | None) -> int:
    try:
        return int(raw or "")
    except ValueError:
        raise ShapeError(unreadable_message()) from None


def _read_strings(
    archive: zipfile.ZipFile, path: str, *, max_strings: int, deadline: float
) -> list[str]:
    """The shared strings as plain text (a rich text's runs joined, its phonetic guides left
    out), as openpyxl reads them; at most ``max_strings`` (one per cell the template has room
    for)."""
    strings: list[str] = []
    for _event, element in stream_events(archive, path, events=("end",), deadline=deadline):
        if element.tag == f"{MAIN}si":
            strings.append(plain_text(element).replace("x005F_", ""))
            element.clear()
            if len(strings) > max_strings:
                raise ShapeError(too_large_message())
    return strings


def stream_events(
    archive: zipfile.ZipFile, path: str, *, events: tuple[str, ...], deadline: float
) -> Iterator[tuple[str, Any]]:
    """The parser events of one zip member's XML, read a chunk at a time; ``ShapeError``
    when the deadline passes."""
    parser = XMLPullParser(events=events)
    with archive.open(path) as stream:
        while chunk := stream.read(CHUNK):
            if time.monotonic() > deadline:
                raise ShapeError(unsafe_message())
            parser.feed(chunk)
            yield from parser.read_events()
        parser.close()
    yield from parser.read_events()


def plain_text(element) -> str:
    """The text of an ``si`` or ``is`` element: its own ``t`` and the ``t`` of each run."""
    snippets = []
    for child in element:
        if child.tag == f"{MAIN}t":
            snippets.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            text = child.find(f"{MAIN}t")
            if text is not None:
                snippets.append(text.text or "")
    return "".join(snippets)
