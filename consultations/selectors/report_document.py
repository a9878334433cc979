"""The anonymised report's document context: everything the PDF shows, and nothing that
identifies a supplier (no response, organisation or user object; pseudonyms, counts, statistics
and reviewed texts only).

No statistic is built from too few answers, so that no supplier can work out another's figure
(art. 2.57 Aw 2012, competition law): counts per option, and lowest / median / highest of
numbers and dates, need at least ``MIN_VALUES`` answers; prices are left out unless the team
recorded why they are included, and then need ``MIN_PRICES`` prices per category. What is held
back shows the note "te weinig antwoorden om te tonen". See docs/legal/disclosure.md."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import numberformat

from catalog.models import Category
from consultations.models import (
    Answer,
    ClarificationQuestion,
    Consultation,
    ConsultationReport,
    Question,
    TalkFinding,
)
from consultations.models.questionnaire import OPEN_TEXT_TYPES
from consultations.selectors.consultation import questionnaire_published_versions
from consultations.selectors.disclosure import consultation_identifiers
from consultations.selectors.report_disclosure import (
    ReportDisclosureError,
    disclosing_answers,
    submitted_responses,
)
from portal.charts import Bar, horizontal_bar_chart

T = Question.Type
TEMPLATE = "pdf/consultation_report.html"
PSEUDONYM_PREFIX = "Leverancier"
CHART_LABEL_MAX = 30
# The fewest answers a statistic may be built from, and the fewest prices per category.
MIN_VALUES = 3
MIN_PRICES = 5


# --- Pseudonyms -------------------------------------------------------------------------------


def pseudonym_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA, 27 → AB, … (like spreadsheet columns)."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def letters_order(letters: str) -> tuple[int, str]:
    return (len(letters), letters)


# --- The document's context -------------------------------------------------------------------


def _nl_number(value: Decimal, *, places: int | None = None) -> str:
    """1234.5 → "1.234,5" (the report is always Dutch)."""
    if places is None:
        exponent = value.normalize().as_tuple().exponent
        places = min(max(0, -exponent), 4) if isinstance(exponent, int) else 0
    return numberformat.format(
        value, ",", decimal_pos=places, grouping=3, thousand_sep=".", force_grouping=True
    )


def _euro(value: Decimal) -> str:
    return f"€ {_nl_number(value, places=2)}"


def _decimal(raw: Any) -> Decimal | None:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _truncate(text: str, length: int = CHART_LABEL_MAX) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _choice_summary(question: Question, values: list[Any], chart_id: str, number: str) -> dict:
    if question.type == T.YES_NO:
        options = ["Ja", "Nee"]
        counts = {"Ja": sum(1 for v in values if v is True), "Nee": 0}
        counts["Nee"] = sum(1 for v in values if v is False)
    else:
        options = list(question.options)
        counts = dict.fromkeys(options, 0)
        for value in values:
            for option in value if isinstance(value, list) else [value]:
                if option in counts:
                    counts[option] += 1
    rows = [{"label": option, "count": counts[option]} for option in options]
    chart = horizontal_bar_chart(
        chart_id=chart_id,
        title=f"Antwoorden op vraag {number}",
        description="Aantal leveranciers per antwoord.",
        bars=[Bar(_truncate(option), counts[option]) for option in options],
        width=640,
        label_width=240,
    )
    return {"rows": rows, "chart": chart, "multiple": question.type == T.MULTIPLE_CHOICE}


def _number_summary(values: list[Any]) -> dict:
    numbers = sorted(n for n in (_decimal(v) for v in values) if n is not None)
    if len(numbers) < MIN_VALUES:
        return {"count": len(numbers), "suppressed": bool(numbers)}
    return {
        "count": len(numbers),
        "min": _nl_number(numbers[0]),
        "median": _nl_number(statistics.median(numbers)),
        "max": _nl_number(numbers[-1]),
    }


def _date_summary(values: list[Any]) -> dict:
    dates = []
    for value in values:
        try:
            dates.append(date.fromisoformat(str(value)))
        except ValueError:
            continue
    dates.sort()
    if len(dates) < MIN_VALUES:
        return {"count": len(dates), "suppressed": bool(dates)}
    return {
        "count": len(dates),
        "min": dates[0],
        "median": statistics.median_low(dates),
        "max": dates[-1],
    }


def _price_summary(question: Question, values: list[Any]) -> list[dict]:
    categories: list[Category] = sorted(
        question.categories.all(), key=lambda c: (c.sort_order, c.slug)
    )
    rows = []
    for category in categories:
        prices = sorted(
            p
            for p in (
                _decimal(v.get(str(category.pk))) if isinstance(v, dict) else None for v in values
            )
            if p is not None
        )
        row: dict[str, Any] = {"category": category.name_nl, "count": len(prices)}
        if 0 < len(prices) < MIN_PRICES:
            row["suppressed"] = True
        elif prices:
            row.update(
                min=_euro(prices[0]),
                median=_euro(statistics.median(prices)),
                max=_euro(prices[-1]),
            )
        rows.append(row)
    return rows


def report_context(*, report: ConsultationReport) -> dict[str, Any]:
    """Everything the PDF shows, and nothing that identifies a supplier.

    The questionnaire is the newest published version; an answer counts for a question when
    the version its response answers has a question with the same key and type."""
    consultation = Consultation.objects.select_related("programme").get(pk=report.consultation_id)
    pseudonyms = {int(pk): letters for pk, letters in (report.pseudonyms or {}).items()}
    responses = submitted_responses(consultation, ids=list(pseudonyms))
    version = (
        questionnaire_published_versions(consultation=consultation)
        .prefetch_related("sections")
        .first()
    )
    questions = (
        list(
            version.questions.select_related("section")
            .prefetch_related("categories")
            .order_by("section__order", "section_id", "order", "id")
        )
        if version
        else []
    )
    answered_types = {
        (q.version_id, q.key): q.type
        for q in Question.objects.filter(version__in={r.version_id for r in responses})
    }
    response_version = {r.pk: r.version_id for r in responses}
    answers: dict[str, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(response__in=responses).select_related("review"):
        answers[answer.question_key].append(answer)

    sections: list[dict] = []
    for question in questions:
        if not sections or sections[-1]["id"] != question.section_id:
            sections.append(
                {
                    "id": question.section_id,
                    "number": len(sections) + 1,
                    "title": question.section.title,
                    "questions": [],
                }
            )
        section = sections[-1]
        number = f"{section['number']}.{len(section['questions']) + 1}"
        relevant = [
            a
            for a in answers.get(question.key, [])
            if answered_types.get((response_version[a.response_id], question.key)) == question.type
        ]
        item: dict[str, Any] = {
            "number": number,
            "text": question.text,
            "type": question.type,
            "unit": question.unit,
        }
        values = [a.value for a in relevant if a.value is not None]
        if question.type in (T.SINGLE_CHOICE, T.MULTIPLE_CHOICE, T.YES_NO):
            item["answered"] = len(values)
            if 0 < len(values) < MIN_VALUES:
                item["suppressed"] = True
            else:
                item.update(
                    _choice_summary(question, values, f"vraag-{number.replace('.', '-')}", number)
                )
        elif question.type == T.NUMBER:
            item["stats"] = _number_summary(values)
            item["answered"] = item["stats"]["count"]
        elif question.type == T.DATE:
            item["stats"] = _date_summary(values)
            item["answered"] = item["stats"]["count"]
        elif question.type == T.PRICE_PER_ITEM:
            item["answered"] = len(values)
            if report.include_prices:
                item["prices"] = _price_summary(question, values)
            else:
                item["prices_left_out"] = True
        elif question.type == T.FILE:
            item["answered"] = item["files"] = sum(1 for a in relevant if a.file)
        elif question.type in OPEN_TEXT_TYPES:
            texts = []
            for answer in relevant:
                review = getattr(answer, "review", None)
                if review is not None and review.include and review.redacted_text.strip():
                    letters = pseudonyms[answer.response_id]
                    texts.append(
                        {
                            "supplier": f"{PSEUDONYM_PREFIX} {letters}",
                            "order": letters_order(letters),
                            "text": review.redacted_text.strip(),
                        }
                    )
            texts.sort(key=lambda t: t["order"])
            item["answered"] = len(values)
            item["texts"] = texts
        section["questions"].append(item)

    # The reviews may have changed since the request: check again, and never render a name.
    identifiers = consultation_identifiers(consultation=consultation)
    disclosing = disclosing_answers(responses, identifiers)
    if disclosing:
        raise ReportDisclosureError(
            "A text for the report contains a name, registration number or e-mail address "
            "(questions: " + ", ".join(sorted({a.question_key for _, a in disclosing})) + ")."
        )
    # The points from the talks approved when the version was requested (a version stays the
    # same when it is rendered again).
    findings = [
        f.text
        for f in TalkFinding.objects.approved()
        .filter(consultation=consultation, reviewed_at__lte=report.requested_at)
        .order_by("reviewed_at", "pk")
    ]
    if any(identifiers.disclosed_in(text) for text in findings):
        raise ReportDisclosureError(
            "An approved point from the talks contains a name, registration number or e-mail "
            "address."
        )
    return {
        "report": {
            "number": report.number,
            "requested_at": report.requested_at,
            "change_note": report.change_note,
            "include_prices": report.include_prices,
            "include_prices_reason": report.include_prices_reason,
        },
        "min_values": MIN_VALUES,
        "min_prices": MIN_PRICES,
        "talk_findings": findings,
        "consultation": {
            "title": consultation.title,
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "introduction": consultation.introduction,
        },
        "programme": {"name": consultation.programme.name},
        "respondents": len(responses),
        "pseudonyms": [
            f"{PSEUDONYM_PREFIX} {letters}"
            for letters in sorted((pseudonyms[r.pk] for r in responses), key=letters_order)
        ],
        "clarifications": ClarificationQuestion.objects.published()
        .filter(consultation=consultation)
        .count(),
        "sections": sections,
    }
