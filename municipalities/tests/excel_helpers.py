"""What the demand workbook tests share: the catalogue and a demand of Aadorp, and helpers that
download, edit and upload the workbook. Test modules import the fixtures by name (``from ...
import demand as demand``) so that pytest finds them."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from municipalities import excel
from municipalities.demand_data import DemandData
from municipalities.models import DemandLine, Participation
from municipalities.services.demand import demand_for_participation, demand_save_draft

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


def members_of(content: bytes) -> dict[str, bytes]:
    """The members of a zip (an .xlsx) by name."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_with(members: dict[str, bytes]) -> bytes:
    """A zip (an .xlsx) of these members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()
