"""The project team's confidential Excel workbook of a consultation's answers: one row per
supplier (with its name and KvK number) and one column per question, the questions, and the
counts per option of the closed questions.

Answers are the suppliers' own text: the portal's one spreadsheet writer (portal.spreadsheets)
writes a text that starts like a formula as text, so opening the file never runs it."""

from __future__ import annotations

from copy import copy
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from consultations.display import answer_display
from consultations.models import Consultation, Question
from consultations.selectors.review import ExportData
from portal.spreadsheets import append_row, workbook_bytes


def _local(moment):
    """Excel has no time zones: write Dutch wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


# One shared style object of each kind (a new one per cell costs more than the cell).
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "dd-mm-yyyy"
DATE_TIME_FORMAT = "dd-mm-yyyy hh:mm"


def styled(
    sheet, value: Any, *, alignment: Alignment | None = None, number_format: str = ""
) -> Cell:
    """A cell for ``append_row`` (portal.spreadsheets) with a (shared) alignment or a number
    format."""
    cell = Cell(sheet, value=value)
    if alignment is not None:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    return cell


class CellStyle:
    """One style for many cells of a sheet: looked up in the workbook's styles once, then
    copied to each cell (setting the style objects on every cell looks them up every time)."""

    def __init__(self, sheet, *, alignment: Alignment | None = None, number_format: str = ""):
        self.sheet = sheet
        self._style = styled(sheet, None, alignment=alignment, number_format=number_format)._style

    def __call__(self, value: Any) -> Cell:
        cell = Cell(self.sheet)
        cell._style = copy(self._style)
        cell.value = value
        return cell


def _header(sheet, headers: list[str], widths: list[int]) -> None:
    cells = []
    for header in headers:
        cell = styled(sheet, header, alignment=WRAP)
        cell.font = BOLD
        cells.append(cell)
    append_row(sheet, cells)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _kvk(organisation) -> str:
    try:
        return organisation.supplier_profile.kvk_number or ""
    except ObjectDoesNotExist:
        return ""


def _cell_value(question: Question | None, answer) -> Any:
    """An answer as a typed cell value: numbers and dates as such, the rest as text."""
    if question is None or answer is None:
        return None
    value = answer.value
    if question.type == Question.Type.FILE:
        return _("File attached") if answer.file else None
    if value is None or value == "" or value == [] or value == {}:
        return None
    if question.type == Question.Type.NUMBER:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return str(value)
    if question.type == Question.Type.DATE:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return answer_display(question, value)


def review_answers_xlsx(*, consultation: Consultation, data: ExportData) -> bytes:
    """Sheet 1: one row per submitted response, one column per question. Sheet 2: the
    questions. Sheet 3: counts per option of the closed questions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Answers")[:31]
    fixed = [_("Supplier"), _("KvK number"), _("Questionnaire version"), _("Submitted on")]
    _header(
        sheet,
        fixed + [f"{item.key}: {item.question.text}"[:250] for item in data.questions],
        [36, 12, 12, 18] + [40] * len(data.questions),
    )
    submitted_on = CellStyle(sheet, number_format=DATE_TIME_FORMAT)
    day = CellStyle(sheet, number_format=DATE_FORMAT)
    text = CellStyle(sheet, alignment=WRAP)
    answered = dict.fromkeys((item.key for item in data.questions), 0)
    for response in data.responses:
        number = response.version.number
        values = [
            response.organisation.name,
            _kvk(response.organisation),
            number,
            submitted_on(_local(response.submitted_at)),
        ]
        for item in data.questions:
            value = _cell_value(
                item.by_version.get(number), data.answers.get((response.pk, item.key))
            )
            if value is not None:
                answered[item.key] += 1
            if isinstance(value, date):
                value = day(value)
            elif isinstance(value, str):
                value = text(value)
            values.append(value)
        append_row(sheet, values)
    sheet.auto_filter.ref = sheet.dimensions

    questions = workbook.create_sheet(_("Questions")[:31])
    _header(
        questions,
        [
            _("Key"),
            _("Section"),
            _("Type"),
            _("Question"),
            _("In versions"),
            _("In the newest version"),
            _("Answers"),
        ],
        [18, 24, 18, 60, 12, 12, 10],
    )
    for item in data.questions:
        append_row(
            questions,
            [
                item.key,
                item.question.section.title,
                item.question.get_type_display(),
                item.question.text,
                ", ".join(str(n) for n in item.versions),
                _("Yes") if item.in_newest else _("No"),
                answered[item.key],
            ],
        )
    questions.auto_filter.ref = questions.dimensions

    options = workbook.create_sheet(_("Counts per option")[:31])
    _header(
        options,
        [_("Key"), _("Question"), _("Option"), _("Suppliers"), _("Share (%)")],
        [18, 60, 30, 12, 12],
    )
    for item in data.questions:
        for count in data.counts.get(item.key, []):
            append_row(
                options, [item.key, item.question.text, count.label, count.count, count.share]
            )
    options.auto_filter.ref = options.dimensions

    workbook.properties.title = f"{consultation.title} – {_('Answers')}"
    workbook.properties.subject = _("Confidential: for the project team only")
    return workbook_bytes(workbook)
