"""The demand workbook never holds a live formula made from what a participant entered: a
remark (or the participant's name) that starts like a formula is written as text, and comes
back unchanged when the workbook is uploaded again."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from municipalities.demand_data import DemandData
from municipalities.models import DemandCategoryOption
from municipalities.services.demand import demand_save_draft
from municipalities.tests.excel_helpers import SHEET, coordinate, download, edit, upload, urls
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import demand as demand
from municipalities.tests.excel_helpers import editor as editor
from portal.tests.test_spreadsheets import PAYLOADS

pytestmark = pytest.mark.django_db
CATEGORIES = ("laptop", "desktop", "monitor", "tablet", "smartphone")


def test_a_remark_that_starts_like_a_formula_is_written_as_text(
    editor, editor_a, demand, municipalities
):
    from catalog.models import Category

    remarks = {slug: PAYLOADS[index] for index, slug in enumerate(CATEGORIES)}
    categories = {c.slug: c for c in Category.objects.filter(slug__in=CATEGORIES)}
    assert set(categories) == set(CATEGORIES)
    municipality = municipalities["a"].pk
    demand.participation.organisation.__class__.objects.filter(
        pk=demand.participation.organisation.pk
    ).update(name="=cmd|' /C calc'!A0")
    demand_save_draft(
        actor=editor_a,
        demand=demand,
        revision=demand.revision,
        data=DemandData(
            lines={(municipality, categories["laptop"].pk, 2028): (7, None, None)},
            options={
                (municipality, categories[slug].pk): ([], remark)
                for slug, remark in remarks.items()
            },
        ),
    )
    assert DemandCategoryOption.objects.filter(demand=demand).count() == len(CATEGORIES)
    demand.refresh_from_db()

    content = download(editor, demand)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[SHEET]
    for slug, remark in remarks.items():
        cell = sheet[coordinate(sheet, slug, "remark")]
        assert cell.value == remark
        assert cell.data_type == "s" and cell.quotePrefix is True
    assert workbook["_portal"]["B4"].value == "=cmd|' /C calc'!A0"
    assert workbook["_portal"]["B4"].data_type == "s"
    formulas = [
        f"{ws.title}!{cell.coordinate}"
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []

    # Uploaded again, the remarks are read as the text they are.
    review = upload(editor, demand, edit(content, lambda workbook: None))
    assert review.status_code == 200, review.content.decode()[-3000:]
    applied = editor.post(urls(demand)["demand-excel-apply"])
    assert applied.status_code == 302
    stored = dict(
        DemandCategoryOption.objects.filter(demand=demand).values_list("category__slug", "remark")
    )
    assert stored == remarks


def test_a_real_formula_in_a_remark_cell_is_refused(editor, demand):
    from django.utils.translation import gettext as _

    from municipalities.tests.excel_helpers import set_cell, state

    before = state(demand)
    content = edit(download(editor, demand), set_cell("laptop", "remark", "=1+1"))
    response = upload(editor, demand, content)
    assert response.status_code == 422
    assert _("Enter text, not a formula.") in response.content.decode()
    assert state(demand) == before
