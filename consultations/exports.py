"""The project team's confidential Excel workbook of a consultation's answers: one row per
supplier (with its name and KvK number) and one column per question, the questions, and the
counts per option of the closed questions.

Answers are the suppliers' own text: the portal's one spreadsheet writer (portal.spreadsheets)
writes a text that starts like a formula as text, so opening the file never runs it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from consultations.display import answer_displayer, is_empty
from consultations.models import Consultation, Question
from consultations.selectors.review_export import ExportAnswer, ExportData
from portal.spreadsheets import (
    SharedStyle,
    append_row,
    filter_all,
    header_row,
    workbook_file,
    write_only_sheet,
)


def _local(moment):
    """Excel has no time zones: write Dutch wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


# One shared style object of each kind (a new one per cell costs more than the cell).
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "dd-mm-yyyy"
DATE_TIME_FORMAT = "dd-mm-yyyy hh:mm"


def _no_value(answer: ExportAnswer) -> None:
    return None


def cell_value_of(question: Question | None) -> Callable[[ExportAnswer], Any]:
    """How an answer to ``question`` becomes a typed cell value: numbers and dates as such, the
    rest as the text the pages show (``answer_displayer``). Made once per question and
    version, used for every answer."""
    if question is None:
        return _no_value
    if question.type == Question.Type.FILE:
        attached = _("File attached")
        return lambda answer: attached if answer.file else None
    convert = {Question.Type.NUMBER: _number, Question.Type.DATE: _day}.get(
        question.type, answer_displayer(question)
    )
    return lambda answer: None if is_empty(answer.value) else convert(answer.value)


def _number(value: Any) -> Decimal | str:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)


def _day(value: Any) -> date | str:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def review_answers_xlsx(*, consultation: Consultation, data: ExportData) -> tuple[IO[bytes], int]:
    """Sheet 1: one row per submitted response, one column per question. Sheet 2: the
    questions. Sheet 3: counts per option of the closed questions. Written in write-only mode
    from the responses a chunk at a time (memory stays flat in the rows); returns the .xlsx as
    a temporary file (to be streamed out) and the number of responses."""
    workbook = Workbook(write_only=True)
    sheet = write_only_sheet(workbook, _("Answers")[:31])
    fixed = [_("Supplier"), _("KvK number"), _("Questionnaire version"), _("Submitted on")]
    header_row(
        sheet,
        fixed + [f"{item.key}: {item.question.text}"[:250] for item in data.questions],
        [36, 12, 12, 18] + [40] * len(data.questions),
        alignment=WRAP,
    )
    submitted_on = SharedStyle(sheet, number_format=DATE_TIME_FORMAT)
    day = SharedStyle(sheet, number_format=DATE_FORMAT)
    text = SharedStyle(sheet, alignment=WRAP)
    answered = dict.fromkeys((item.key for item in data.questions), 0)
    responses = 0
    # Per column, how each questionnaire version's answers become cell values.
    columns = [
        (item.key, {n: cell_value_of(q) for n, q in item.by_version.items()})
        for item in data.questions
    ]
    for response, answers in data.rows():
        responses += 1
        number = response.version
        values = [
            response.supplier,
            response.kvk_number or None,
            number,
            submitted_on(_local(response.submitted_at)),
        ]
        for key, converters in columns:
            answer = answers.get(key)
            value = None if answer is None else converters.get(number, _no_value)(answer)
            if value is None:
                values.append(None)
                continue
            answered[key] += 1
            if isinstance(value, str):
                value = text(value)
            elif isinstance(value, date):
                value = day(value)
            values.append(value)
        append_row(sheet, values)
    filter_all(sheet, columns=len(fixed) + len(data.questions), rows=responses)

    questions = write_only_sheet(workbook, _("Questions")[:31])
    headers = [
        _("Key"),
        _("Section"),
        _("Type"),
        _("Question"),
        _("In versions"),
        _("In the newest version"),
        _("Answers"),
    ]
    header_row(questions, headers, [18, 24, 18, 60, 12, 12, 10], alignment=WRAP)
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
    filter_all(questions, columns=len(headers), rows=len(data.questions))

    options = write_only_sheet(workbook, _("Counts per option")[:31])
    headers = [_("Key"), _("Question"), _("Option"), _("Suppliers"), _("Share (%)")]
    header_row(options, headers, [18, 60, 30, 12, 12], alignment=WRAP)
    counts = data.counts()
    rows = 0
    for item in data.questions:
        for count in counts.get(item.key, []):
            append_row(
                options, [item.key, item.question.text, count.label, count.count, count.share]
            )
            rows += 1
    filter_all(options, columns=len(headers), rows=rows)

    workbook.properties.title = f"{consultation.title} – {_('Answers')}"
    workbook.properties.subject = _("Confidential: for the project team only")
    return workbook_file(workbook), responses
