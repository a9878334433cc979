"""The anonymised report of a closed market consultation: requested by a project-team editor,
rendered to PDF by a Celery task, published to everyone.

Anonymity is built in, not left to the template: the document's context holds no response,
organisation or user object, only pseudonyms ("Leverancier A"), counts, statistics and the
texts the project team reviewed for the report. Closed questions appear as counts, open
questions only as reviewed texts that are included, files only as a number."""

from __future__ import annotations

import hashlib
import re
import secrets
import statistics
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import numberformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Category
from consultations.models import (
    Answer,
    ClarificationQuestion,
    Consultation,
    ConsultationReport,
    ConsultationResponse,
    Question,
)
from consultations.selectors.report import OPEN_TEXT_TYPES, open_answers_without_review
from portal.audit import audit
from portal.charts import Bar, horizontal_bar_chart
from portal.models import Membership
from portal.selectors import require_project_team_editor

R = ConsultationReport.Status
T = Question.Type
TEMPLATE = "pdf/consultation_report.html"
PSEUDONYM_PREFIX = "Leverancier"
CHART_LABEL_MAX = 30
CHANGE_NOTE_MAX_LENGTH = ConsultationReport._meta.get_field("change_note").max_length
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LEGAL_SUFFIX_RE = re.compile(
    r"[\s,]+(?:b\.?\s?v\.?|n\.?\s?v\.?|v\.?o\.?f\.?|c\.?v\.?|gmbh|ltd\.?|inc\.?)\s*$", re.I
)

# Leading words of company names that are no brand (see _brand).
GENERIC_NAME_WORDS = frozenset(
    {
        "leverancier", "leveranciers", "computer", "computers", "groep", "group", "holding",
        "nederland", "holland", "hardware", "software", "systems", "services", "solutions",
        "digital", "data", "office", "bureau", "company", "international", "europe", "european",
        "dutch", "nationale", "koninklijke",
    }
)  # fmt: skip


class ReportDisclosureError(Exception):
    """A text meant for the report still names a supplier; rendering again will not help."""


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


def _assign_pseudonyms(response_ids: list[int]) -> dict[str, str]:
    """Letters in a random order (not by name, not by time of answering), stored with the
    report so that they stay the same within it."""
    shuffled = list(response_ids)
    secrets.SystemRandom().shuffle(shuffled)
    return {str(pk): pseudonym_letters(i) for i, pk in enumerate(shuffled)}


# --- Disclosure check -------------------------------------------------------------------------
#
# Every included text is checked against everything that identifies any responding supplier:
# thousands of names and numbers against thousands of texts. The literals are therefore matched
# with one regular expression whose alternatives share their prefixes (a trie), so a text is
# scanned once, whatever the number of suppliers; a brand is checked only against its own
# organisation's answers.

# Deeper than this, the rest of the literals is a plain alternation (bounds the nesting).
_TRIE_MAX_DEPTH = 40
# "1234 5678" is a KvK number too.
_DIGIT_SEPARATOR_RE = re.compile(r"(?<=\d)[\s.](?=\d)")


def _name_stem(name: str) -> str | None:
    """A name without its legal form ("Zilvermeeuw Computers" of "Zilvermeeuw Computers
    B.V."), when long enough to identify anyone."""
    stem = LEGAL_SUFFIX_RE.sub("", (name or "").strip()).strip()
    return stem if len(stem) >= 4 else None


def _brand(name: str) -> str | None:
    """The first word of a company name when that is likely its brand ("Zilvermeeuw" of
    "Zilvermeeuw Computers B.V."), not a generic word ("Computer Centrum")."""
    words = LEGAL_SUFFIX_RE.sub("", (name or "").strip()).split()
    if len(words) > 1 and len(words[0]) >= 4 and words[0].casefold() not in GENERIC_NAME_WORDS:
        return words[0]
    return None


def _fold(char: str) -> str:
    # Case-insensitive matching treats an ASCII letter and its lower case alike, so the trie
    # may merge them; other characters stay as they are (their case rules are not as simple).
    return char.lower() if char.isascii() else char


def _trie_regex(literals: set[str]) -> str:
    """A regular expression (for re.IGNORECASE) that matches exactly the given literals, with
    common prefixes factored out: ``abc|abd|x`` → ``(?:ab(?:c|d)|x)``. Factoring a prefix
    never changes what matches; it lets the regex engine reject a position after one
    character instead of trying every literal."""
    trie: dict = {}
    for literal in literals:
        node = trie
        for char in map(_fold, literal):
            node = node.setdefault(char, {})
        node[""] = None  # a literal ends here

    def build(node: dict, depth: int) -> str:
        ends = "" in node
        children = sorted(char for char in node if char)
        if depth >= _TRIE_MAX_DEPTH:
            rests = sorted(_suffixes(node), key=lambda s: (-len(s), s))
            branches = [re.escape(rest) for rest in rests if rest]
            ends = "" in rests
        else:
            branches = [re.escape(char) + build(node[char], depth + 1) for char in children]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return ("(?:" + body + ")" if len(branches) == 1 else body) + "?"
        return body

    return build(trie, 0)


def _suffixes(node: dict) -> list[str]:
    found = []
    for char, child in node.items():
        if char == "":
            found.append("")
        else:
            found += [char + rest for rest in _suffixes(child)]
    return found


def _literals_regex(*, words: set[str], anywhere: set[str]) -> re.Pattern | None:
    """One regex for literals that stand on their own (``words``: not part of a longer word)
    and literals that count wherever they appear (``anywhere``: e-mail addresses)."""
    parts = []
    if words:
        parts.append(r"(?<!\w)" + _trie_regex(words) + r"(?!\w)")
    if anywhere:
        parts.append(_trie_regex(anywhere))
    if not parts:
        return None
    return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)


class _Identifiers:
    """What identifies the responding suppliers in any text of the report: their names
    without the legal form, their registration numbers and the names and addresses of their
    people (``shared``). And, per organisation, its brand, which only gives the supplier away
    in its own answers (another supplier may well write that it resells that brand)."""

    def __init__(self, responses: list[ConsultationResponse]):
        organisations = [r.organisation for r in responses]
        words: set[str] = set()
        anywhere: set[str] = set()
        self.brands: dict[int, re.Pattern] = {}
        for organisation in organisations:
            if stem := _name_stem(organisation.name):
                words.add(stem)
            if brand := _brand(organisation.name):
                self.brands[organisation.pk] = re.compile(
                    r"(?<!\w)" + re.escape(brand) + r"(?!\w)", re.I
                )
            profile = getattr(organisation, "supplier_profile", None)
            if profile is not None:
                for number in (
                    profile.kvk_number,
                    profile.foreign_registration_number,
                    profile.vat_number,
                ):
                    if number and len(number) >= 6:
                        words.add(number)
        members = Membership.objects.filter(organisation__in=organisations).values_list(
            "user__name", "user__email"
        )
        for name, email in members:
            if stem := _name_stem(name):
                words.add(stem)
            if email:
                anywhere.add(email)
        self.shared = _literals_regex(words=words, anywhere=anywhere)

    def disclosed_in(self, text: str, organisation_id: int) -> bool:
        """Whether ``text``, of an answer of ``organisation_id``, identifies a supplier."""
        if EMAIL_RE.search(text):
            return True
        compact = _DIGIT_SEPARATOR_RE.sub("", text)
        candidates = (text,) if compact == text else (text, compact)
        patterns = [p for p in (self.shared, self.brands.get(organisation_id)) if p is not None]
        return any(p.search(candidate) for p in patterns for candidate in candidates)


def _disclosing_answers(
    responses: list[ConsultationResponse],
) -> list[tuple[ConsultationResponse, Answer]]:
    """The included review texts that still contain a supplier's name, number or address."""
    identifiers = _Identifiers(responses)
    by_id = {r.pk: r for r in responses}
    answers = Answer.objects.filter(response__in=responses, review__include=True).select_related(
        "review"
    )
    found = []
    for answer in answers:
        response = by_id[answer.response_id]
        if identifiers.disclosed_in(answer.review.redacted_text, response.organisation_id):
            found.append((response, answer))
    return found


def _submitted_responses(consultation: Consultation, ids=None) -> list[ConsultationResponse]:
    responses = ConsultationResponse.objects.filter(
        consultation=consultation, status=ConsultationResponse.Status.SUBMITTED
    ).select_related("organisation__supplier_profile")
    if ids is not None:
        responses = responses.filter(pk__in=ids)
    return list(responses.order_by("pk"))


# --- Request, render, publish -----------------------------------------------------------------


def _clean_change_note(change_note: str, *, number: int) -> str:
    """What is different in this version: required for every version after the first (the
    versions are immutable, so the note is how readers tell them apart)."""
    note = (change_note or "").strip()
    if number > 1 and not note:
        raise ValidationError({"change_note": _("Describe what is different in this version.")})
    if len(note) > CHANGE_NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "change_note": _("Use at most %(max)s characters (you used %(count)s).")
                % {"max": CHANGE_NOTE_MAX_LENGTH, "count": len(note)}
            }
        )
    return note


def _queue_render(report: ConsultationReport) -> None:
    from consultations.tasks import report_render_task

    transaction.on_commit(lambda: report_render_task.delay(report.pk))


@transaction.atomic
def report_request(
    *, actor: Any, consultation: Consultation, change_note: str = ""
) -> ConsultationReport:
    """Queue a new version of the report of a closed consultation. Every open answer must have
    been reviewed first, and no text for the report may still name a supplier; every version
    after the first says what changed (``change_note``). The pseudonyms are fixed now; a
    worker renders the PDF after the commit."""
    require_project_team_editor(actor)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Consultation.Status.CLOSED:
        raise ValidationError(
            _("The report can be generated after the market consultation has been closed.")
        )
    missing = open_answers_without_review(consultation=consultation).count()
    if missing:
        raise ValidationError(
            ngettext(
                "%(count)s open answer has not been reviewed yet. Review every open answer "
                "before you generate the report.",
                "%(count)s open answers have not been reviewed yet. Review every open answer "
                "before you generate the report.",
                missing,
            )
            % {"count": missing}
        )
    responses = _submitted_responses(consultation)
    disclosing = _disclosing_answers(responses)
    if disclosing:
        raise ValidationError(
            [
                _(
                    "The text for the report of the answer of %(supplier)s to question "
                    "“%(key)s” still contains a name, registration number or e-mail address. "
                    "Change the text for the report."
                )
                % {"supplier": response.organisation.name, "key": answer.question_key}
                for response, answer in disclosing
            ]
        )
    number = (consultation.reports.aggregate(n=Max("number"))["n"] or 0) + 1
    note = _clean_change_note(change_note, number=number)
    report = ConsultationReport.objects.create(
        consultation=consultation,
        number=number,
        change_note=note,
        pseudonyms=_assign_pseudonyms([r.pk for r in responses]),
        requested_by=actor,
    )
    audit(
        actor=actor,
        action="consultation_report.requested",
        target=report,
        consultation=consultation.slug,
        number=number,
        responses=len(responses),
        change_note=note,
    )
    _queue_render(report)
    return report


@transaction.atomic
def report_retry(*, actor: Any, report: ConsultationReport) -> ConsultationReport:
    """Queue a failed version again: the same version with the same pseudonyms and change
    note, so that nothing but the failure is undone. Only a failed version can be retried."""
    require_project_team_editor(actor)
    report = ConsultationReport.objects.select_for_update().get(pk=report.pk)
    if report.status != R.FAILED:
        raise ValidationError(_("Only a version that failed can be generated again."))
    previous_error = report.error
    report.status = R.PENDING
    report.error = ""
    report.save(update_fields=["status", "error"])
    audit(
        actor=actor,
        action="consultation_report.retried",
        target=report,
        number=report.number,
        error=previous_error[:500],
    )
    _queue_render(report)
    return report


def report_render(*, report_id: int) -> ConsultationReport:
    """Render one report version. Idempotent: a finished version is never rendered again."""
    from portal.pdf import render_pdf

    with transaction.atomic():
        report = ConsultationReport.objects.select_for_update().get(pk=report_id)
        if report.status == R.DONE:
            return report
        report.status = R.RENDERING
        report.save(update_fields=["status"])
    # A failure raises to the task, which retries with backoff and marks the version failed
    # after the last attempt.
    pdf = render_pdf(TEMPLATE, report_context(report=report))
    with transaction.atomic():
        report = ConsultationReport.objects.select_for_update().get(pk=report_id)
        if report.status == R.DONE:  # another run finished first
            return report
        report.file.save(f"verslag-v{report.number}.pdf", ContentFile(pdf), save=False)
        report.sha256 = hashlib.sha256(pdf).hexdigest()
        report.status = R.DONE
        report.error = ""
        report.generated_at = timezone.now()
        report.save(update_fields=["file", "sha256", "status", "error", "generated_at"])
        audit(
            actor=None,
            action="consultation_report.generated",
            target=report,
            number=report.number,
            sha256=report.sha256,
        )
    return report


def reports_requeue_lost(*, older_than: timedelta) -> list[int]:
    """Reports still queued or being generated after ``older_than`` (longer than the task
    with all its retries may take) lost their task: queue them again (the task is
    idempotent)."""
    from consultations.tasks import report_render_task

    cutoff = timezone.now() - older_than
    ids = list(
        ConsultationReport.objects.filter(
            status__in=[R.PENDING, R.RENDERING], requested_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: report_render_task.delay(pk))
    return ids


def report_mark_failed(*, report_id: int, error: str) -> None:
    ConsultationReport.objects.filter(pk=report_id).exclude(status=R.DONE).update(
        status=R.FAILED, error=error[:2000]
    )


@transaction.atomic
def report_publish(*, actor: Any, report: ConsultationReport) -> ConsultationReport:
    """Put a finished report on the public page, in place of the one published before."""
    require_project_team_editor(actor)
    Consultation.objects.select_for_update().get(pk=report.consultation_id)
    report = ConsultationReport.objects.select_for_update().get(pk=report.pk)
    if report.status != R.DONE:
        raise ValidationError(_("Only a report that is ready can be published."))
    if report.is_published:
        return report
    previous = (
        ConsultationReport.objects.select_for_update()
        .filter(consultation_id=report.consultation_id, published_at__isnull=False)
        .first()
    )
    if previous is not None:
        # First take the old one off: at most one report of a consultation is published.
        previous.published_at = None
        previous.published_by = None
        previous.save(update_fields=["published_at", "published_by"])
    report.published_at = timezone.now()
    report.published_by = actor
    report.save(update_fields=["published_at", "published_by"])
    audit(
        actor=actor,
        action="consultation_report.published",
        target=report,
        number=report.number,
        replaces=previous.number if previous else None,
    )
    return report


@transaction.atomic
def report_unpublish(*, actor: Any, report: ConsultationReport) -> ConsultationReport:
    """Take the published report off the public page."""
    require_project_team_editor(actor)
    report = ConsultationReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_published:
        raise ValidationError(_("This report is not published."))
    report.published_at = None
    report.published_by = None
    report.save(update_fields=["published_at", "published_by"])
    audit(
        actor=actor,
        action="consultation_report.unpublished",
        target=report,
        number=report.number,
    )
    return report


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
        bars=[Bar(_truncate(row["label"]), row["count"]) for row in rows],
        width=640,
        label_width=240,
    )
    return {"rows": rows, "chart": chart, "multiple": question.type == T.MULTIPLE_CHOICE}


def _number_summary(values: list[Any]) -> dict:
    numbers = sorted(n for n in (_decimal(v) for v in values) if n is not None)
    if not numbers:
        return {"count": 0}
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
    if not dates:
        return {"count": 0}
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
        if prices:
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
    responses = _submitted_responses(consultation, ids=list(pseudonyms))
    version = (
        consultation.versions.filter(status="published")
        .order_by("-number")
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
            item["prices"] = _price_summary(question, values)
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
    disclosing = _disclosing_answers(responses)
    if disclosing:
        raise ReportDisclosureError(
            "A text for the report contains a name, registration number or e-mail address "
            "(questions: " + ", ".join(sorted({a.question_key for _, a in disclosing})) + ")."
        )
    return {
        "report": {
            "number": report.number,
            "requested_at": report.requested_at,
            "change_note": report.change_note,
        },
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
        "clarifications": ClarificationQuestion.objects.filter(
            consultation=consultation, status=ClarificationQuestion.Status.PUBLISHED
        ).count(),
        "sections": sections,
    }
