"""The project team's confidential Excel workbook of a consultation's answers: one row per
supplier (with its name and KvK number) and one column per question, the questions, and the
counts per option of the closed questions.

Answers are the suppliers' own text: a text that starts like a formula (=, +, -, @, or a tab or
carriage return) is written as a text cell with Excel's quote prefix, so opening the file never
runs it (spreadsheet formula injection)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from suppliers.display import answer_display

from .models import Consultation, Question
from .selectors_review import ExportData

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _local(moment):
    """Excel has no time zones: write Dutch wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def append_row(sheet, values: list[Any]) -> None:
    """Append a row; text that a spreadsheet would read as a formula stays text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True


def _header(sheet, headers: list[str], widths: list[int]) -> None:
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
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
    for response in data.responses:
        number = response.version.number
        values = [
            response.organisation.name,
            _kvk(response.organisation),
            number,
            _local(response.submitted_at),
        ]
        for item in data.questions:
            values.append(
                _cell_value(item.by_version.get(number), data.answers.get((response.pk, item.key)))
            )
        append_row(sheet, values)
    for cell in sheet["D"][1:]:
        cell.number_format = "dd-mm-yyyy hh:mm"
    for row in sheet.iter_rows(min_row=2, min_col=len(fixed) + 1):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "dd-mm-yyyy"
            elif isinstance(cell.value, str):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
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
    answered = {
        item.key: sum(
            1
            for response in data.responses
            if _cell_value(
                item.by_version.get(response.version.number),
                data.answers.get((response.pk, item.key)),
            )
            is not None
        )
        for item in data.questions
    }
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
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
