"""The hidden keys of the demand workbook: a cleared or changed key, or a figure in a row or
column without one, refuses the file at that cell (never read as empty, so taking the file
over can never delete stored lines); the upload page shows at most 100 problems with the
total; and, property-based, whatever is typed in the cells, the stored numbers are exactly
the ones typed, or nothing is stored."""

from __future__ import annotations

import html
import io

import pytest
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from municipalities import excel
from municipalities.demand_data import MAX_QUANTITY
from municipalities.tests.excel_helpers import (
    SHEET,
    column_of,
    coordinate,
    download,
    edit,
    row_of,
    state,
    upload,
    urls,
)
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import demand as demand
from municipalities.tests.excel_helpers import editor as editor
from municipalities.tests.test_demand_excel_bounds import COLUMN_KEY, OUTSIDE, ROW_KEY, parse

pytestmark = pytest.mark.django_db


def key_cell(sheet, key: str) -> str:
    return sheet.cell(row=row_of(sheet, excel.COLUMNS_KEY), column=column_of(sheet, key)).coordinate


def refused(editor, demand, content: bytes) -> list[tuple[str, str]]:
    """The (cell, message) problems; and the upload and take-over store nothing."""
    before = state(demand)
    data, problems = parse(demand, content)
    assert data is None and problems
    with translation.override("nl"):
        response = upload(editor, demand, content)
        assert response.status_code == 422
        assert editor.post(urls(demand)["demand-excel-apply"]).status_code == 422
    page = html.unescape(response.content.decode())
    for problem in problems:
        assert f">{problem.cell}<" in page
    assert state(demand) == before
    return [(p.cell, p.message.rsplit(": ", 1)[-1]) for p in problems]


@pytest.mark.parametrize("with_figures", [True, False])
def test_a_cleared_column_key_is_refused_at_its_cell(editor, demand, with_figures):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]
    cell = key_cell(sheet, "q:2028")  # the column of the stored laptop line

    def change(workbook):
        workbook[SHEET][cell] = None
        if with_figures:
            workbook[SHEET][coordinate(sheet, "desktop", "q:2028")] = 12

    assert refused(editor, demand, edit(original, change)) == [(cell, COLUMN_KEY)]


def test_a_duplicated_column_key_is_refused_at_its_cell(editor, demand):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]
    cell = key_cell(sheet, "q:2029")

    def change(workbook):
        workbook[SHEET][cell] = "q:2028"

    assert refused(editor, demand, edit(original, change)) == [(cell, COLUMN_KEY)]


def test_a_cleared_row_key_is_refused_at_its_cells(editor, demand):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]
    row = row_of(sheet, "laptop")
    figure = coordinate(sheet, "laptop", "q:2028")  # holds the stored 7

    def change(workbook):
        workbook[SHEET][f"A{row}"] = None

    problems = refused(editor, demand, edit(original, change))
    assert (figure, OUTSIDE) in problems
    assert any(cell == f"A{row}" and "“Laptops”" in message for cell, message in problems)


def test_a_cleared_profile_key_is_refused_at_its_cell(editor, demand):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]
    row = row_of(sheet, "werkplekken")

    def change(workbook):
        workbook[SHEET][f"A{row}"] = None

    assert refused(editor, demand, edit(original, change)) == [(f"A{row}", ROW_KEY)]


def test_a_figure_below_the_table_is_refused_at_its_cell(editor, demand):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]
    cell = f"D{sheet.max_row + 2}"

    def change(workbook):
        workbook[SHEET][cell] = 40

    assert refused(editor, demand, edit(original, change)) == [(cell, OUTSIDE)]


def test_a_figure_right_of_the_table_is_refused_at_its_cell(editor, demand):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]
    cell = sheet.cell(row=row_of(sheet, "laptop"), column=sheet.max_column + 1).coordinate

    def change(workbook):
        workbook[SHEET][cell] = 40

    assert refused(editor, demand, edit(original, change)) == [(cell, OUTSIDE)]


def test_a_text_cell_of_thousands_of_digits_is_refused_at_its_cell(editor, demand):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]
    cell = coordinate(sheet, "desktop", "q:2029")

    def change(workbook):
        workbook[SHEET][cell] = "9" * 5000

    assert refused(editor, demand, edit(original, change)) == [
        (cell, "Vul hoogstens 10.000.000 in.")
    ]


def test_at_most_100_problems_are_shown_with_the_total(editor, demand):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]
    below = range(sheet.max_row + 1, sheet.max_row + 8)  # within the slack past the template

    def change(workbook):
        for row in below:
            for column in range(4, sheet.max_column + 1):
                workbook[SHEET].cell(row=row, column=column, value=1)

    content = edit(original, change)
    _data, problems = parse(demand, content)
    total = len(problems)
    assert total > 100 and {p.message for p in problems} == {OUTSIDE}
    before = state(demand)
    with translation.override("nl"):
        response = upload(editor, demand, content)
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    assert f"De eerste 100 van {total} problemen in het bestand" in page
    assert page.count(OUTSIDE) == 100
    assert state(demand) == before


# --- Property-based: never a wrong number stored, never a 500 --------------------------------

COUNTS = st.integers(min_value=0, max_value=MAX_QUANTITY)
CELL_VALUES = st.one_of(
    COUNTS.map(lambda n: (n, n)),
    COUNTS.map(lambda n: (f"{n:,}".replace(",", "."), n)),
    COUNTS.map(lambda n: (str(n), n)),
    st.none().map(lambda _none: (None, 0)),
    st.sampled_from(["2.5", "0,5", "1.5.0", "1.23", "-3", "veel", "9" * 5000, "=1+1"]).map(
        lambda text: (text, None)
    ),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9).map(
        lambda x: (x, int(x) if x.is_integer() and 0 <= x <= MAX_QUANTITY else None)
    ),
    st.integers(min_value=MAX_QUANTITY + 1).map(lambda n: (n, None)),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.dictionaries(
        st.tuples(st.sampled_from(["laptop", "desktop"]), st.sampled_from([2028, 2029])),
        CELL_VALUES,
        min_size=1,
    ),
    clear_key=st.sampled_from([None, None, None, "q:2028", "q:2029"]),
)
def test_the_workbook_never_stores_a_wrong_number(editor, demand, values, clear_key):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]

    def change(workbook):
        for (slug, year), (raw, _expected) in values.items():
            workbook[SHEET][coordinate(sheet, slug, f"q:{year}")] = raw
        if clear_key:
            workbook[SHEET][key_cell(sheet, clear_key)] = None

    content = edit(original, change)
    before = state(demand)
    response = upload(editor, demand, content)
    assert response.status_code in {200, 422}
    if response.status_code == 200:
        assert editor.post(urls(demand)["demand-excel-apply"]).status_code == 302
    _count, _revision, lines = state(demand)
    stored = {(slug, year): quantity for slug, year, quantity in lines}
    expected = {key: value for key, (_raw, value) in values.items()}
    if clear_key or None in expected.values():
        event("refused")
        assert response.status_code == 422
        assert state(demand) == before
        return
    event("stored")
    assert response.status_code == 200
    previous = {(slug, year): quantity for slug, year, quantity in before[2]}
    wanted = {**previous, **expected}
    assert stored == {key: value for key, value in wanted.items() if value}
