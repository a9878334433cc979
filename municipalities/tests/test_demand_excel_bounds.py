"""Workbooks bounded by the template: refused before a row is read when they have more sheets,
rows or columns than the download makes (half a million rows within every size limit
included); cleared or changed hidden keys and figures outside the keyed rows and columns
refused at their cell, never read as empty; at most 100 problems shown, with the total."""

from __future__ import annotations

import html
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from municipalities import excel
from municipalities.excel import parts as parts_module
from municipalities.excel import rows as rows_module
from municipalities.excel import shape as shape_module
from municipalities.excel.layout import FIRST_CATEGORY_ROW, MAX_INSTRUCTION_ROWS
from municipalities.tests.excel_helpers import (
    SHEET,
    download,
    edit,
    members_of,
    state,
    upload,
    zip_with,
)
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import demand as demand
from municipalities.tests.excel_helpers import editor as editor

pytestmark = pytest.mark.django_db

TOO_LARGE = (
    "Het bestand heeft meer tabbladen, rijen of kolommen dan het Excelbestand van deze "
    "inventarisatie. Download het Excelbestand en vul daarin uw gegevens in."
)
COLUMN_KEY = (
    "De verborgen code van deze kolom is veranderd of verwijderd. Download het Excelbestand "
    "opnieuw en vul daarin uw gegevens in."
)
ROW_KEY = (
    "De verborgen code van deze rij is veranderd of verwijderd. Download het Excelbestand "
    "opnieuw en vul daarin uw gegevens in."
)
OUTSIDE = (
    "Dit vak ligt buiten de rijen en kolommen van het gedownloade Excelbestand, dus de waarde "
    "zou niet worden gelezen. Verwijder de waarde of vul haar in de tabel in."
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_PART = "xl/worksheets/sheet2.xml"  # the municipality's sheet, after the instructions


@pytest.fixture
def counted(monkeypatch):
    """How often the upload's values were read and how often a sheet's rows were checked."""
    calls = {"read_sheets": 0, "rows": 0}
    read_sheets, parse_sheet = shape_module.read_sheets, rows_module._parse_sheet

    def counting_read(*args, **kwargs):
        calls["read_sheets"] += 1
        return read_sheets(*args, **kwargs)

    def counting_rows(*args, **kwargs):
        calls["rows"] += 1
        return parse_sheet(*args, **kwargs)

    monkeypatch.setattr(shape_module, "read_sheets", counting_read)
    monkeypatch.setattr(rows_module, "_parse_sheet", counting_rows)
    return calls


def with_sheet_xml(content: bytes, rows_xml: str) -> bytes:
    members = members_of(content)
    assert b"gemeente:GM9001" in members[SHEET_PART] or b"<sheetData>" in members[SHEET_PART]
    members[SHEET_PART] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>'
    ).encode()
    return zip_with(members)


def half_a_million_rows(content: bytes) -> bytes:
    """The municipality's sheet replaced by 550,000 rows of one figure each."""
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>gemeente:GM9001</t></is></c></row>']
    rows += [f'<row r="{n}"><c r="D{n}"><v>{n % 97}</v></c></row>' for n in range(2, 550_001)]
    return with_sheet_xml(content, "".join(rows))


def parse(demand, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with translation.override("nl"):
        data, problems = excel.parse_demand_workbook(
            demand, SimpleUploadedFile("inventarisatie.xlsx", content)
        )
    return data, problems


def dutch_upload(client, demand, content: bytes):
    response = upload(client, demand, content, "inventarisatie.xlsx")
    return response, html.unescape(response.content.decode())


def test_the_shape_is_that_of_the_download(editor, demand):
    shape = shape_module.template_shape(demand)
    workbook = load_workbook(io.BytesIO(download(editor, demand)))
    assert len(workbook.sheetnames) == shape.sheets
    municipality = workbook[SHEET]
    assert municipality.max_row == FIRST_CATEGORY_ROW - 1 + len(shape.categories)
    assert municipality.max_column == shape.columns
    assert workbook.worksheets[0].max_row < MAX_INSTRUCTION_ROWS
    assert max(sheet.max_column for sheet in workbook.worksheets) == shape.columns


def test_half_a_million_rows_are_refused_before_a_row_is_read(editor, demand, counted):
    content = half_a_million_rows(download(editor, demand))
    # Within every limit of the container: the size, the ratio and the inflated size.
    assert len(content) <= 5 * 1024 * 1024
    assert excel.check_xlsx_container(content) is None
    before = state(demand)

    data, problems = parse(demand, content)
    assert data is None and [p.message for p in problems] == [TOO_LARGE]
    assert counted["rows"] == 0

    response, page = dutch_upload(editor, demand, content)
    assert response.status_code == 422 and TOO_LARGE in page
    assert counted["rows"] == 0
    assert state(demand) == before


def test_the_xml_scan_stops_at_the_first_row_past_the_template(
    editor, demand, counted, monkeypatch
):
    """With the byte budget out of the way, the stream itself stops within its first chunks."""
    monkeypatch.setattr(shape_module, "FIXED_BYTES", 10**9)
    fed = []

    class CountingParser(parts_module.XMLPullParser):
        def feed(self, data):
            fed.append(len(data))
            return super().feed(data)

    monkeypatch.setattr(parts_module, "XMLPullParser", CountingParser)
    content = half_a_million_rows(download(editor, demand))
    data, problems = parse(demand, content)
    assert data is None and [p.message for p in problems] == [TOO_LARGE]
    sheet_chunks = [size for size in fed if size == parts_module.CHUNK]
    assert fed  # the counting parser is the one that read
    assert len(sheet_chunks) <= 2  # of the ~420 chunks of 64 KB the sheet holds
    assert counted["rows"] == 0


def _far_row(content: bytes) -> bytes:
    members = members_of(content)
    members[SHEET_PART] = members[SHEET_PART].replace(
        b"</sheetData>", b'<row r="1048576"><c r="D1048576"><v>5</v></c></row></sheetData>'
    )
    return zip_with(members)


def _far_column(content: bytes) -> bytes:
    members = members_of(content)
    members[SHEET_PART] = members[SHEET_PART].replace(
        b"</sheetData>", b'<row r="60"><c r="XFD60"><v>5</v></c></row></sheetData>'
    )
    return zip_with(members)


def _extra_sheet(content: bytes) -> bytes:
    return edit(content, lambda workbook: workbook.create_sheet("Extra"))


def _many_cells_in_a_row(content: bytes) -> bytes:
    cells = "".join("<c><v>1</v></c>" for _ in range(200))
    return with_sheet_xml(content, f"<row>{cells}</row>")


@pytest.mark.parametrize(
    "change", [_far_row, _far_column, _extra_sheet, _many_cells_in_a_row], ids=lambda f: f.__name__
)
def test_past_the_template_is_refused_before_reading(editor, demand, counted, change):
    content = change(download(editor, demand))
    before = state(demand)
    data, problems = parse(demand, content)
    assert data is None and [p.message for p in problems] == [TOO_LARGE]
    assert counted["rows"] == 0
    response, page = dutch_upload(editor, demand, content)
    assert response.status_code == 422 and TOO_LARGE in page
    assert state(demand) == before


def test_reading_has_a_deadline(editor, demand, monkeypatch, counted):
    monkeypatch.setattr(shape_module, "PARSE_SECONDS", -1.0)
    data, problems = parse(demand, download(editor, demand))
    assert data is None
    assert [p.message for p in problems] == [
        "We konden het bestand niet veilig lezen. Sla het opnieuw op als .xlsx-bestand."
    ]
    assert counted["rows"] == 0


def test_a_cell_openpyxl_cannot_read_is_a_file_problem_not_a_500(editor, demand):
    members = members_of(download(editor, demand))
    members[SHEET_PART] = members[SHEET_PART].replace(
        b"</sheetData>", b'<row r="40"><c r="D40"><v>' + b"9" * 5000 + b"</v></c></row></sheetData>"
    )
    content = zip_with(members)
    before = state(demand)
    data, problems = parse(demand, content)
    assert data is None
    assert [p.message for p in problems] == [
        "We konden het bestand niet lezen. Sla het opnieuw op als .xlsx-bestand."
    ]
    response, _page = dutch_upload(editor, demand, content)
    assert response.status_code == 422
    assert state(demand) == before
