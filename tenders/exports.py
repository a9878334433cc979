"""The participation overview as an Excel workbook (one row per municipality)."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Programme
from .selectors import Overview


def participation_overview_xlsx(*, programme: Programme, overview: Overview) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    headers = [
        _("CBS code"),
        _("Municipality"),
        _("Province"),
        _("Population"),
        _("Status"),
        _("Participating organisation"),
        _("Joint body"),
        _("Submitted on"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in overview.rows:
        municipality = row.municipality
        submitted = timezone.localdate(row.submitted_at) if row.submitted_at else None
        sheet.append(
            [
                municipality.cbs_code,
                str(municipality),
                municipality.get_province_display(),
                municipality.population,
                row.status_label,
                row.participant.name if row.participant else "",
                row.joint_body.name if row.joint_body else "",
                submitted,
            ]
        )
    for cell in sheet["H"][1:]:
        cell.number_format = "yyyy-mm-dd"
    for cell in sheet["D"][1:]:
        cell.number_format = "#,##0"
    for column, width in zip("ABCDEFGH", (10, 28, 16, 12, 14, 36, 36, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = f"{programme.name} – {_('Participants')}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
