"""The Excel round trip of the demand inventory: download, fill in, upload, review, take over.
Every bad workbook is made here, by the test, and must leave the inventory untouched."""

from __future__ import annotations

import html
import io
import re
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook

from municipalities import excel
from municipalities.demand_data import DemandData
from municipalities.models import DemandLine, DemandProfile, Participation
from municipalities.services.demand import demand_for_participation, demand_save_draft
from municipalities.tests.conftest import CONTACTS

pytestmark = pytest.mark.django_db

SHEET = "GM9001 Aadorp"


@pytest.fixture
def catalogue(db):
    from catalog.services import catalog_load_reference

    catalog_load_reference()


@pytest.fixture
def demand(participation_a, catalogue, editor_a, municipalities):
    from catalog.models import Category

    participation_a.status = Participation.Status.APPROVED
    participation_a.save()
    demand = demand_for_participation(participation=participation_a)
    # Something already stored, so "nothing changed" is a real check.
    laptop = Category.objects.get(slug="laptop")
    demand_save_draft(
        actor=editor_a,
        demand=demand,
        revision=demand.revision,
        data=DemandData(lines={(municipalities["a"].pk, laptop.pk, 2028): (7, None, None)}),
    )
    demand.refresh_from_db()
    return demand


@pytest.fixture
def editor(personas):
    return personas["editor_a"].client()


def urls(demand) -> dict[str, str]:
    return {
        name: reverse(f"municipalities:{name}", args=[demand.public_id])
        for name in ("demand-excel", "demand-excel-upload", "demand-excel-apply")
    }


def download(client, demand) -> bytes:
    response = client.get(urls(demand)["demand-excel"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


def column_of(sheet, key: str) -> int:
    for row in sheet.iter_rows():
        if row[0].value == excel.COLUMNS_KEY:
            for cell in row:
                if cell.value == key:
                    return cell.column
    raise AssertionError(key)


def row_of(sheet, key: str) -> int:
    for row in sheet.iter_rows():
        if row[0].value == key:
            return row[0].row
    raise AssertionError(key)


def coordinate(sheet, slug: str, key: str) -> str:
    return sheet.cell(row=row_of(sheet, slug), column=column_of(sheet, key)).coordinate


def edit(content: bytes, changes) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    changes(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def set_cell(slug: str, key: str, value):
    def change(workbook):
        sheet = workbook[SHEET]
        sheet[coordinate(sheet, slug, key)] = value

    return change


def upload(client, demand, content: bytes, name: str = "inventarisatie.xlsx"):
    return client.post(
        urls(demand)["demand-excel-upload"], {"file": SimpleUploadedFile(name, content)}
    )


def state(demand) -> tuple[int, int, list]:
    demand.refresh_from_db()
    lines = list(
        DemandLine.objects.filter(demand=demand).values_list("category__slug", "year", "quantity")
    )
    return DemandLine.objects.filter(demand=demand).count(), demand.revision, lines


def location(cell: str) -> str:
    return _("Sheet %(sheet)s, cell %(cell)s") % {"sheet": SHEET, "cell": cell}


# --- The download --------------------------------------------------------------------------


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


# --- Round trip ----------------------------------------------------------------------------


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


# --- Bad workbooks -------------------------------------------------------------------------


def content_problems(demand, content: bytes):
    data, problems = excel.parse_demand_workbook(
        demand, SimpleUploadedFile("inventarisatie.xlsx", content)
    )
    assert data is None
    return problems


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("veel", "Enter a whole number."),
        (-5, "Enter 0 or more."),
        (2.5, "Enter a whole number, without decimals."),
        ("12,5", "Enter a whole number, without decimals."),
        ("=1+1", "Enter a number, not a formula."),
        ("=SUM(D10:D12)", "Enter a number, not a formula."),
    ],
)
def test_bad_quantity_is_reported_at_its_cell(editor, demand, value, message):
    original = download(editor, demand)
    sheet = load_workbook(io.BytesIO(original))[SHEET]
    cell = coordinate(sheet, "desktop", "q:2029")
    content = edit(original, set_cell("desktop", "q:2029", value))
    before = state(demand)
    problems = content_problems(demand, content)
    assert [(p.sheet, p.cell) for p in problems] == [(SHEET, cell)]
    assert problems[0].message == f"Desktops 2029: {_(message)}"
    assert problems[0].location == location(cell)

    response = upload(editor, demand, content)
    assert response.status_code == 422
    page = response.content.decode()
    assert _(message) in page and f">{cell}<" in page and SHEET in page
    assert state(demand) == before


def test_min_above_quantity_and_max_below_quantity(editor, demand):
    def change(workbook):
        sheet = workbook[SHEET]
        sheet[coordinate(sheet, "laptop", "q:2029")] = 10
        sheet[coordinate(sheet, "laptop", "min:2029")] = 11
        sheet[coordinate(sheet, "desktop", "q:2029")] = 10
        sheet[coordinate(sheet, "desktop", "max:2029")] = 9

    content = edit(download(editor, demand), change)
    messages = {p.message for p in content_problems(demand, content)}
    assert messages == {
        f"Laptops 2029 (minimum): {_('The minimum cannot be higher than the quantity.')}",
        f"Desktops 2029 (maximum): {_('The maximum cannot be lower than the quantity.')}",
    }


def test_every_problem_is_reported_at_once(editor, demand):
    def change(workbook):
        sheet = workbook[SHEET]
        sheet[coordinate(sheet, "laptop", "q:2028")] = "abc"
        sheet[coordinate(sheet, "desktop", "q:2028")] = -1
        sheet[coordinate(sheet, "laptop", "svc:delivery")] = "misschien"
        sheet.cell(row=row_of(sheet, "medewerkers"), column=3, value=1.5)

    content = edit(download(editor, demand), change)
    before = state(demand)
    assert len(content_problems(demand, content)) == 4
    response = upload(editor, demand, content)
    assert response.status_code == 422
    assert _("Choose “ja” or “nee”.") in response.content.decode()
    assert state(demand) == before


def test_unknown_category(editor, demand):
    def change(workbook):
        sheet = workbook[SHEET]
        sheet.cell(row=row_of(sheet, "desktop"), column=1, value="hovercraft")

    content = edit(download(editor, demand), change)
    before = state(demand)
    problems = content_problems(demand, content)
    assert [(p.sheet, p.cell) for p in problems] == [
        (SHEET, f"A{row_of_in(content, 'hovercraft')}")
    ]
    assert (
        _("Unknown category “%(category)s”. Use the rows of the template.")
        % {"category": "Desktops"}
        == problems[0].message
    )
    assert upload(editor, demand, content).status_code == 422
    assert state(demand) == before


def row_of_in(content: bytes, key: str) -> int:
    return row_of(load_workbook(io.BytesIO(content))[SHEET], key)


def test_municipality_not_covered(editor, demand, municipalities):
    def change(workbook):
        workbook[SHEET]["A1"] = "gemeente:GM9002"

    content = edit(download(editor, demand), change)
    before = state(demand)
    problems = content_problems(demand, content)
    assert (problems[0].sheet, problems[0].cell) == (SHEET, "A1")
    assert problems[0].message == _(
        "Your organisation does not enter demand for municipality %(code)s in this inventory. "
        "Remove this sheet."
    ) % {"code": "GM9002"}
    missing = _("The sheet for %(municipality)s (%(code)s) is missing.") % {
        "municipality": "Aadorp",
        "code": "GM9001",
    }
    assert missing in [p.message for p in problems]
    response = upload(editor, demand, content)
    assert response.status_code == 422
    assert state(demand) == before


def test_unknown_year_column(editor, demand):
    content = download(editor, demand)
    sheet = load_workbook(io.BytesIO(content))[SHEET]
    key_cell = sheet.cell(row=row_of(sheet, excel.COLUMNS_KEY), column=column_of(sheet, "q:2028"))

    def change(workbook):
        workbook[SHEET][key_cell.coordinate] = "q:2019"

    problems = content_problems(demand, edit(content, change))
    assert [(p.cell, p.message) for p in problems] == [
        (
            key_cell.coordinate,
            _("This column (%(column)s) does not belong to this inventory.") % {"column": "2028"},
        )
    ]


def test_another_participants_workbook(editor, demand, programme, municipalities, editor_b, org_b):
    from municipalities.services.participations import participation_create

    other = participation_create(
        actor=editor_b,
        programme=programme,
        organisation=org_b,
        municipalities=[municipalities["b"]],
        contacts=CONTACTS,
    )
    other.status = Participation.Status.APPROVED
    other.save()
    content = excel.demand_workbook(demand_for_participation(participation=other))
    before = state(demand)
    message = _(
        "This file belongs to another inventory. Download the template of this inventory and "
        "enter your figures in it."
    )
    assert [p.message for p in content_problems(demand, content)] == [message]
    response = upload(editor, demand, content)
    assert response.status_code == 422
    assert message in html.unescape(response.content.decode())
    assert state(demand) == before


def test_hidden_demand_id_changed(editor, demand):
    def change(workbook):
        workbook["_portal"]["B1"] = str(uuid.uuid4())

    problems = content_problems(demand, edit(download(editor, demand), change))
    assert [p.message for p in problems] == [
        _(
            "This file belongs to another inventory. Download the template of this inventory "
            "and enter your figures in it."
        )
    ]


def zip_with(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def members_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def file_cases(content: bytes) -> dict[str, tuple[bytes, str, str]]:
    """name: (file content, upload name, expected message msgid)."""
    macro = members_of(content)
    macro["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\0" * 512
    macro_types = members_of(content)
    macro_types["[Content_Types].xml"] = macro_types["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    bomb = members_of(content)
    # 60 MB of zeros deflates to ~60 KB: far over the cap once inflated.
    bomb["xl/worksheets/sheet9.xml"] = b"\0" * (60 * 1024 * 1024)
    return {
        "csv renamed": (
            b"gemeente;laptops\nGM9001;10\n",
            "data.xlsx",
            "The file must be an .xlsx file.",
        ),
        "pdf renamed": (b"%PDF-1.4\n%%EOF\n", "scan.xlsx", "The file must be an .xlsx file."),
        "text renamed": (b"hallo", "notities.xlsx", "The file must be an .xlsx file."),
        "zip, not xlsx": (zip_with({"a.txt": b"x"}), "a.xlsx", "The file must be an .xlsx file."),
        "empty": (b"", "leeg.xlsx", "The file is empty."),
        "huge": (
            b"PK\x03\x04" + b"x" * (5 * 1024 * 1024 + 10),
            "groot.xlsx",
            "The file must be smaller than %(size)s MB.",
        ),
        "zip bomb": (
            zip_with(bomb),
            "bom.xlsx",
            "The file could not be read safely. Save it again as an .xlsx file.",
        ),
        "macro member": (
            zip_with(macro),
            "macro.xlsx",
            "The file contains macros. Save it as an Excel workbook (.xlsx) without macros.",
        ),
        "macro content type": (
            zip_with(macro_types),
            "macro.xlsm",
            "The file contains macros. Save it as an Excel workbook (.xlsx) without macros.",
        ),
        "no template": (
            _plain_workbook(),
            "eigen.xlsx",
            "The file does not use the template. Download the template and try again.",
        ),
    }


def _plain_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = 10
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "case",
    [
        "csv renamed",
        "pdf renamed",
        "text renamed",
        "zip, not xlsx",
        "empty",
        "huge",
        "zip bomb",
        "macro member",
        "macro content type",
        "no template",
    ],
)
def test_bad_files_are_refused_before_reading(editor, demand, case, monkeypatch):
    content, name, msgid = file_cases(download(editor, demand))[case]
    expected = _(msgid) % {"size": 5} if "%(size)s" in msgid else _(msgid)
    if case in {"zip bomb", "macro member", "macro content type", "csv renamed"}:
        # openpyxl must never see these: the container check refuses them first.
        import municipalities.excel.upload as module

        def fail(*args, **kwargs):
            raise AssertionError("openpyxl was called")

        monkeypatch.setattr(module, "load_workbook", fail)
    before = state(demand)
    if case != "empty":
        problems = content_problems(demand, content)
        assert [p.message for p in problems] == [expected]
    response = upload(editor, demand, content, name)
    assert response.status_code == 422
    assert expected in html.unescape(response.content.decode())
    assert state(demand) == before


def test_upload_and_review_pages_are_accessible(editor, demand):
    with override("nl"):
        content = edit(download(editor, demand), set_cell("laptop", "q:2028", "x"))
        page = upload(editor, demand, content).content.decode()
    review = upload(editor, demand, download(editor, demand)).content.decode()
    for text in (page, review):
        assert text.count("<h1") == 1
        assert "<script>" not in text and "style=" not in text
        ids = re.findall(r'\sid="([^"]+)"', text)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'accept=".xlsx"' in page
    assert 'th scope="col"' in page and 'th scope="row"' in review
    assert "<caption" in review


# --- Who may do what -----------------------------------------------------------------------


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
