"""The upload's values are read in the pass that checks its shape (``shape.read_sheets``), not by
openpyxl: they must be exactly what openpyxl's read-only ``iter_rows(values_only=True)`` gives
(without ``data_only``), for every kind of cell a spreadsheet program writes."""

from __future__ import annotations

import io
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from municipalities.excel.parts import too_large_message, unreadable_message
from municipalities.excel.shape import TemplateShape, read_sheets
from municipalities.tests.excel_helpers import members_of, zip_with

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHAPE = TemplateShape(
    municipalities=[None] * 3,
    categories=[None] * 60,
    years=[2028, 2029, 2030, 2031],
    services=[],
    column_keys=[f"k{n}" for n in range(20)],
)


def openpyxl_values(content: bytes) -> list[tuple[str, list[tuple]]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        sheets = []
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            # (openpyxl gives a missing row as [] and a present one as a tuple)
            rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
            sheets.append((sheet.title, rows))
        return sheets
    finally:
        workbook.close()


def ours(content: bytes):
    values, error = read_sheets(content, SHAPE, deadline=time.monotonic() + 10)
    assert error is None, error
    return values


def saved(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_every_kind_of_cell_reads_as_openpyxl_reads_it():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Waarden"
    sheet.append([1, -2, 3.5, 1e-7, 12345678901234, Decimal("2.25"), 0])
    sheet.append(["tekst", "", "  spaties  ", "regel\nnieuwe regel", "ünïcödé €", "=SUM(A1:B1)"])
    sheet.append([True, False, None, "#N/A", "'=geen formule"])
    sheet.append([date(2028, 1, 31), datetime(2029, 6, 1, 13, 45), clock(8, 30)])
    sheet.append([timedelta(hours=30)])
    sheet["A9"] = "na een gat van drie rijen"
    sheet["Z9"] = 7  # a row as wide as its last cell
    sheet["C11"] = CellRichText("vet ", TextBlock(InlineFont(b=True), "en"), " gewoon")
    sheet["A12"].number_format = "0.00"  # a styled cell without a value
    sheet.cell(row=13, column=2, value="=A1*2")
    second = workbook.create_sheet("Tweede")
    second.append(["gedeelde tekst", "gedeelde tekst", 42])
    content = saved(workbook)

    values = ours(content)
    assert [(name, rows) for name, rows in values.sheets] == openpyxl_values(content)
    assert values["Waarden"][1][5] == "=SUM(A1:B1)"
    assert values.formulas["Waarden"] == {(2, 6), (13, 2)}
    assert values.sheetnames == ["Waarden", "Tweede"]


def with_sheet_data(
    rows_xml: str, *, date1904: bool = False, strings: list[str] | None = None
) -> bytes:
    """A workbook whose first sheet holds ``rows_xml`` as other programs write it."""
    workbook = Workbook()
    workbook.active["A1"] = "x"
    workbook.active["B1"] = 45000
    workbook.active["B1"].number_format = "dd-mm-yyyy"
    members = members_of(saved(workbook))
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    start, end = sheet.index("<sheetData>"), sheet.index("</sheetData>")
    members["xl/worksheets/sheet1.xml"] = (
        sheet[: start + len("<sheetData>")] + rows_xml + sheet[end:]
    ).encode()
    if strings is not None:
        # Shared strings, as Excel writes them (openpyxl itself writes inline strings).
        items = "".join(
            f"<si>{text}</si>" if text.startswith("<") else f"<si><t>{text}</t></si>"
            for text in strings
        )
        members["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{MAIN_NS}" count="{len(strings)}">{items}</sst>'
        ).encode()
        types = members["[Content_Types].xml"].decode()
        members["[Content_Types].xml"] = types.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ).encode()
    if date1904:
        book = members["xl/workbook.xml"].decode()
        members["xl/workbook.xml"] = book.replace("<workbookPr", '<workbookPr date1904="1"', 1)
    return zip_with(members)


@pytest.mark.parametrize(
    "rows_xml",
    [
        # Inline strings, plain and rich, as some tools write them.
        '<row r="1"><c r="A1" t="inlineStr"><is><t>inline</t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><t>ri</t></r><r><t xml:space="preserve">ch </t></r>'
        '<rPh sb="0" eb="1"><t>phonetic</t></rPh></is></c></row>',
        # Rows and cells without their reference, a row left out, one out of order.
        '<row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c r="C4"><v>3</v></c></row>'
        '<row r="2"><c r="A2"><v>9</v></c></row>',
        # A cell without a value, an empty one, an error, a formula's text result, a boolean.
        '<row r="1"><c r="A1" s="0"/><c r="B1"><v></v></c><c r="C1" t="e"><v>#DIV/0!</v></c>'
        '<c r="D1" t="str"><f>A1&amp;"x"</f><v>x</v></c><c r="E1" t="b"><v>1</v></c></row>',
        # A shared formula: the master and a child without its own text.
        '<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1+1</f><v>2</v></c></row>'
        '<row r="2"><c r="A2"><f t="shared" si="0"/><v>3</v></c></row>',
        # Numbers as text with exponents, an ISO date cell, a number in a date style.
        '<row r="1"><c r="A1"><v>1E3</v></c><c r="B1"><v>2.5e-2</v></c>'
        '<c r="C1" t="d"><v>2028-03-01T00:00:00</v></c><c r="D1" s="1"><v>45000</v></c></row>',
        # An empty row element.
        '<row r="1"/><row r="2"><c r="B2"><v>5</v></c></row>',
    ],
    ids=["inline", "references", "kinds", "shared-formula", "numbers-dates", "empty-row"],
)
def test_what_other_programs_write_reads_as_openpyxl_reads_it(rows_xml):
    content = with_sheet_data(rows_xml)
    values = ours(content)
    expected = openpyxl_values(content)
    # A shared formula's child: openpyxl translates the master's text, the check needs "=".
    if "shared" in rows_xml:
        assert values.sheets[0][1] == [("=B1+1",), ("=",)]
        assert [row[0] for row in expected[0][1]] == ["=B1+1", "=B2+1"]
        return
    assert [(name, rows) for name, rows in values.sheets] == expected


def test_shared_strings_read_as_openpyxl_reads_them():
    strings = [
        "gewoon",
        '<r><t>rij</t></r><r><rPr><b/></rPr><t xml:space="preserve">k opgemaakt</t></r>',
        '<t>met</t><rPh sb="0" eb="1"><t>uitspraak</t></rPh>',
        "escape_x005F_x000D_",
        "",
    ]
    rows_xml = "".join(f'<c r="{letter}1" t="s"><v>{n}</v></c>' for n, letter in enumerate("ABCDE"))
    content = with_sheet_data(f'<row r="1">{rows_xml}</row>', strings=strings)
    values = ours(content)
    assert [(name, rows) for name, rows in values.sheets] == openpyxl_values(content)
    assert values.sheets[0][1][0][:3] == ("gewoon", "rijk opgemaakt", "met")


def test_the_1904_calendar_is_followed():
    row = '<row r="1"><c r="A1" s="1"><v>45000</v></c></row>'
    in_1904, in_1900 = ours(with_sheet_data(row, date1904=True)), ours(with_sheet_data(row))
    assert in_1904.sheets[0][1] == openpyxl_values(with_sheet_data(row, date1904=True))[0][1]
    assert in_1904.sheets[0][1][0][0] - in_1900.sheets[0][1][0][0] == timedelta(days=1462)


@pytest.mark.parametrize(
    "rows_xml",
    [
        '<row r="1"><c r="A1" t="s"><v>999</v></c></row>',  # no such shared string
        '<row r="1"><c r="A1"><v>twelve</v></c></row>',  # not a number
        '<row r="1"><c r="A1" t="b"><v>yes</v></c></row>',
    ],
    ids=["string-index", "number", "boolean"],
)
def test_a_value_that_cannot_be_read_refuses_the_file(rows_xml):
    content = with_sheet_data(rows_xml, strings=["een"])
    values, error = read_sheets(content, SHAPE, deadline=time.monotonic() + 10)
    assert values is None
    assert error == unreadable_message()


def test_more_shared_strings_than_the_template_has_cells_are_refused(monkeypatch):
    content = with_sheet_data(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=[f"t{n}" for n in range(30)]
    )
    monkeypatch.setattr(TemplateShape, "max_cells", property(lambda self: 29))
    values, error = read_sheets(content, SHAPE, deadline=time.monotonic() + 10)
    assert values is None and error == too_large_message()
    monkeypatch.setattr(TemplateShape, "max_cells", property(lambda self: 30))
    assert read_sheets(content, SHAPE, deadline=time.monotonic() + 10)[1] is None
