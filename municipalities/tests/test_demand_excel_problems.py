"""Bad workbooks: every problem reported at its cell, all at once; files that are not a plain
workbook refused before they are read."""

from __future__ import annotations

import html
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook

from municipalities import excel
from municipalities.models import Participation
from municipalities.services.demand import demand_for_participation
from municipalities.tests.conftest import CONTACTS
from municipalities.tests.excel_helpers import (
    SHEET,
    column_of,
    coordinate,
    download,
    edit,
    location,
    members_of,
    row_of,
    set_cell,
    state,
    upload,
    zip_with,
)
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import (
    demand as demand,
)
from municipalities.tests.excel_helpers import (
    editor as editor,
)

pytestmark = pytest.mark.django_db


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
        # No XML of these is ever read: the container check refuses them first.
        import municipalities.excel.shape as module

        def fail(*args, **kwargs):
            raise AssertionError("the sheets were read")

        monkeypatch.setattr(module, "read_sheets", fail)
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
    changed = edit(download(editor, demand), set_cell("laptop", "q:2028", 9))
    review = upload(editor, demand, changed).content.decode()
    for text in (page, review):
        assert text.count("<h1") == 1
        assert "<script>" not in text and "style=" not in text
        ids = re.findall(r'\sid="([^"]+)"', text)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'accept=".xlsx"' in page
    assert 'th scope="col"' in page and 'th scope="row"' in review
    assert "<caption" in review
