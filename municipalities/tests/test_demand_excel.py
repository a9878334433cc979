"""The Excel round trip of the demand inventory: download, fill in, upload, review, take over,
and who may do what. Every bad workbook is made here, by the test, and must leave the inventory
untouched (the bad ones are in test_demand_excel_problems.py)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from municipalities import excel
from municipalities.demand_data import DemandData
from municipalities.models import DemandLine, DemandProfile
from municipalities.services.demand import demand_save_draft
from municipalities.tests.excel_helpers import (
    SHEET,
    coordinate,
    download,
    edit,
    row_of,
    set_cell,
    state,
    upload,
    urls,
)
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import (
    demand as demand,
)
from municipalities.tests.excel_helpers import (
    editor as editor,
)

pytestmark = pytest.mark.django_db


def test_the_workbook_is_prefilled_protected_and_keyed(editor, demand, municipalities):
    workbook = load_workbook(io.BytesIO(download(editor, demand)))
    assert workbook.sheetnames == ["Instructies", SHEET, "_portal"]
    assert workbook["_portal"].sheet_state == "veryHidden"
    assert workbook["_portal"]["B1"].value == str(demand.public_id)
    sheet = workbook[SHEET]
    assert sheet["A1"].value == "gemeente:GM9001"
    assert sheet.column_dimensions["A"].hidden
    assert sheet.protection.sheet
    quantity = sheet[coordinate(sheet, "laptop", "q:2028")]
    assert quantity.value == 7
    assert quantity.protection.locked is False
    assert sheet["B9"].protection.locked is True  # labels stay protected
    kinds = {v.type for v in sheet.data_validations.dataValidation}
    assert {"whole", "list"} <= kinds


def test_round_trip_download_fill_upload_review_confirm(editor, demand, municipalities):
    from catalog.models import Category

    def fill(workbook):
        sheet = workbook[SHEET]
        sheet[coordinate(sheet, "laptop", "q:2028")] = 10
        sheet[coordinate(sheet, "laptop", "q:2029")] = 1234
        sheet[coordinate(sheet, "laptop", "min:2029")] = 1000
        sheet[coordinate(sheet, "laptop", "max:2029")] = 1500
        sheet[coordinate(sheet, "desktop", "q:2030")] = "1.234"  # Dutch thousands point
        sheet[coordinate(sheet, "laptop", "svc:installation")] = "ja"
        sheet[coordinate(sheet, "laptop", "remark")] = "Inclusief tassen"
        sheet.cell(row=row_of(sheet, "werkplekken"), column=3, value=900)
        sheet.cell(row=row_of(sheet, "medewerkers"), column=3, value=1000)

    content = edit(download(editor, demand), fill)
    before = state(demand)
    review = upload(editor, demand, content)
    assert review.status_code == 200, review.content.decode()[:3000]
    page = review.content.decode()
    assert "1234" in page or "1.234" in page
    assert "Inclusief tassen" in page
    assert page.count("<h1") == 1
    assert state(demand) == before  # the review stores nothing

    confirm = editor.post(urls(demand)["demand-excel-apply"])
    assert confirm.status_code == 302
    assert confirm["Location"] == reverse("municipalities:demand-edit", args=[demand.public_id])
    m = municipalities["a"].pk
    laptop, desktop = (Category.objects.get(slug=s).pk for s in ("laptop", "desktop"))
    rows = {
        (line.municipality_id, line.category_id, line.year): (
            line.quantity,
            line.min_quantity,
            line.max_quantity,
        )
        for line in DemandLine.objects.filter(demand=demand)
    }
    assert rows == {
        (m, laptop, 2028): (10, None, None),
        (m, laptop, 2029): (1234, 1000, 1500),
        (m, desktop, 2030): (1234, None, None),
    }
    option = demand.options.get(category_id=laptop)
    assert option.services == ["installation"] and option.remark == "Inclusief tassen"
    profile = DemandProfile.objects.get(demand=demand)
    assert (profile.workplaces, profile.employees) == (900, 1000)
    demand.refresh_from_db()
    assert demand.revision == before[1] + 1
    # A second confirm has nothing left to take over.
    assert editor.post(urls(demand)["demand-excel-apply"]).status_code == 422


def test_unchanged_download_uploads_back_to_the_same_lines(editor, demand):
    before = state(demand)[2]
    assert upload(editor, demand, download(editor, demand)).status_code == 200
    assert editor.post(urls(demand)["demand-excel-apply"]).status_code == 302
    assert state(demand)[2] == before


def test_conflict_between_upload_and_confirm_saves_nothing(editor, demand, admin_a):
    content = edit(download(editor, demand), set_cell("laptop", "q:2028", 99))
    assert upload(editor, demand, content).status_code == 200
    # Someone else saves in between.
    demand_save_draft(actor=admin_a, demand=demand, revision=demand.revision, data=DemandData())
    between = state(demand)
    response = editor.post(urls(demand)["demand-excel-apply"])
    assert response.status_code == 409
    page = response.content.decode()
    assert _("Someone else saved the inventory in the meantime") in page
    assert _("Upload the file again") in page
    assert state(demand) == between


def test_an_older_download_warns_on_review(editor, demand, admin_a):
    content = download(editor, demand)
    demand_save_draft(actor=admin_a, demand=demand, revision=demand.revision, data=DemandData())
    response = upload(editor, demand, content)
    assert response.status_code == 200
    assert _("Taking over the file replaces those changes.") in response.content.decode()


def test_it_requires_login(client, demand):
    for url in urls(demand).values():
        assert client.get(url).status_code == 302


def test_viewer_may_download_but_not_upload(personas, demand):
    viewer = personas["viewer_a"].client()
    assert viewer.get(urls(demand)["demand-excel"]).status_code == 200
    assert viewer.get(urls(demand)["demand-excel-upload"]).status_code == 403
    before = state(demand)
    response = upload(viewer, demand, excel.demand_workbook(demand))
    assert response.status_code == 403
    assert viewer.post(urls(demand)["demand-excel-apply"]).status_code == 403
    assert state(demand) == before


def test_project_team_may_download_but_not_upload(personas, demand):
    team = personas["project_team"].client()
    assert team.get(urls(demand)["demand-excel"]).status_code == 200
    assert team.get(urls(demand)["demand-excel-upload"]).status_code == 403


@pytest.mark.parametrize("persona", ["editor_b", "joint_body", "supplier_x"])
def test_other_tenants_get_404(personas, demand, persona):
    client = personas[persona].client()
    for name, url in urls(demand).items():
        method = client.post if name == "demand-excel-apply" else client.get
        assert method(url).status_code == 404, name
    assert upload(client, demand, excel.demand_workbook(demand)).status_code == 404


def test_upload_is_closed_after_the_deadline(editor, demand):
    from datetime import timedelta

    from django.utils import timezone

    demand.deadline_extended_until = None
    demand.save()
    from tenders.models import Milestone

    Milestone.objects.create(
        programme=demand.participation.programme,
        kind="demand_deadline",
        due_at=timezone.now() - timedelta(hours=1),
    )
    assert editor.get(urls(demand)["demand-excel-upload"]).status_code == 403
    assert editor.get(urls(demand)["demand-excel"]).status_code == 200
