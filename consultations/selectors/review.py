"""Reads of the project team's review of a consultation's answers: each question's answers
side by side across suppliers, the counts per option of closed questions, and the state of the
redaction of open answers for the anonymised report.

Only submitted responses are part of the review (a draft is not an answer yet). A response
answers one questionnaire version; answers are compared by the question's stable key, and each
answer is shown with the question of its own version. The questions are those of the newest
published version, followed by keys that only exist in older published versions.

Every function here is for the project team only: the views fetch the consultation with
``consultation_get(audience=Audience.PROJECT_TEAM)``, which answers 404 for everyone else.
Reading the answers themselves is audited by the views (see
``consultations.services.review.review_answers_read``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, F, JSONField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from consultations.display import answer_display, is_empty
from consultations.models import (
    Answer,
    AnswerReview,
    Consultation,
    ConsultationResponse,
    Question,
)
from consultations.models.questionnaire import OPEN_TEXT_TYPES
from portal.kept import kept
from portal.selectors import is_project_team_editor

CLOSED_TYPES = (Question.Type.SINGLE_CHOICE, Question.Type.MULTIPLE_CHOICE, Question.Type.YES_NO)


SUBMITTED = ConsultationResponse.Status.SUBMITTED


def can_review(*, user: Any) -> bool:
    """Project-team editors and admins record reviews; project-team viewers only read."""
    return is_project_team_editor(user=user)


@dataclass
class OptionCount:
    label: str
    count: int
    share: int  # percentage of the suppliers that answered the question


@dataclass
class ReviewQuestion:
    """One question key across the published versions of the questionnaire."""

    key: str
    question: Question  # as asked in the newest published version that has this key
    by_version: dict[int, Question]
    in_newest: bool
    answered: int = 0
    counts: list[OptionCount] = field(default_factory=list)
    open_total: int = 0
    open_reviewed: int = 0

    @property
    def versions(self) -> list[int]:
        return sorted(self.by_version)

    @property
    def older_wordings(self) -> list[tuple[int, Question]]:
        """Older versions that asked this key differently (text, type or options)."""
        newest = self.question
        return [
            (number, question)
            for number, question in sorted(self.by_version.items(), reverse=True)
            if question is not newest
            and (question.text, question.type, question.options)
            != (newest.text, newest.type, newest.options)
        ]

    @property
    def is_open(self) -> bool:
        return self.question.type in OPEN_TEXT_TYPES

    @property
    def is_closed(self) -> bool:
        return self.question.type in CLOSED_TYPES


def review_questions(*, consultation: Consultation) -> list[ReviewQuestion]:
    """Every question key of the published versions (one query, plus one for categories)."""
    questions = (
        Question.objects.filter(version__consultation=consultation, version__status="published")
        .select_related("version", "section")
        .prefetch_related("categories")
        .order_by("-version__number", "section__order", "order", "id")
    )
    found: dict[str, ReviewQuestion] = {}
    newest: int | None = None
    for question in questions:
        number = question.version.number
        if newest is None:
            newest = number
        item = found.get(question.key)
        if item is None:
            found[question.key] = ReviewQuestion(
                key=question.key,
                question=question,
                by_version={number: question},
                in_newest=number == newest,
            )
        else:
            item.by_version[number] = question
    return list(found.values())


def question_of(item: ReviewQuestion, version_number: int) -> Question | None:
    return item.by_version.get(version_number)


def option_counts(item: ReviewQuestion, answers: Iterable[tuple[int, Any]]) -> list[OptionCount]:
    """Counts per option of a closed question over (version number, value) pairs, in one pass
    (the pairs may come straight from a database cursor). Options of the newest version come
    first, then options that only older versions offered. Answers given to a version where
    the key was asked differently (not as a choice, or as yes/no instead of options) are not
    counted."""
    return grouped_option_counts(item, ((number, value, 1) for number, value in answers))


def grouped_option_counts(
    item: ReviewQuestion, groups: Iterable[tuple[int, Any, int]]
) -> list[OptionCount]:
    """``option_counts`` over (version number, value, number of answers) groups, as a
    GROUP BY on the value returns them: one step per distinct value, not per answer."""
    if not item.is_closed:
        return []
    is_yes_no = item.question.type == Question.Type.YES_NO
    total = 0
    tally: dict[Any, int] = {}
    options: list[str] = []
    if not is_yes_no:
        options = list(item.question.options)
        for number in sorted(item.by_version, reverse=True):
            options += [o for o in item.by_version[number].options if o not in options]
    for number, value, n in groups:
        q = question_of(item, number)
        if (
            q is None
            or q.type not in CLOSED_TYPES
            or (q.type == Question.Type.YES_NO) != is_yes_no
            or is_empty(value)
        ):
            continue
        total += n
        if is_yes_no:
            tally[bool(value)] = tally.get(bool(value), 0) + n
            continue
        for chosen in value if isinstance(value, list) else [value]:
            chosen = str(chosen)
            if chosen not in options:
                options.append(chosen)
            tally[chosen] = tally.get(chosen, 0) + n
    if is_yes_no:
        labels: list[tuple[Any, str]] = [(True, _("Yes")), (False, _("No"))]
    else:
        labels = [(option, option) for option in options]
    return [
        OptionCount(
            label=label,
            count=tally.get(value, 0),
            share=round(100 * tally.get(value, 0) / total) if total else 0,
        )
        for value, label in labels
    ]


def submitted_responses(*, consultation: Consultation) -> list[ConsultationResponse]:
    return list(
        ConsultationResponse.objects.filter(consultation=consultation, status=SUBMITTED)
        .select_related("organisation", "organisation__supplier_profile", "version")
        .order_by("organisation__name", "id")
    )


def open_answers(consultation: Consultation):
    """Submitted answers whose own version asks the question as open text."""
    return Answer.objects.filter(
        response__consultation=consultation, response__status=SUBMITTED
    ).filter(
        Exists(
            Question.objects.filter(
                version=OuterRef("response__version"),
                key=OuterRef("question_key"),
                type__in=OPEN_TEXT_TYPES,
            )
        )
    )


def submitted_count(consultation: Consultation) -> int:
    """The number of submitted responses (kept for a closed consultation)."""
    return kept_if_closed(
        consultation,
        "responses",
        ConsultationResponse.objects.filter(consultation=consultation, status=SUBMITTED).count,
    )


def blank_answer() -> Q:
    """An answer without content (as ``is_empty`` says: no value, or an empty one, and no
    file), in SQL."""
    return Q(is_blank=True)  # a column the database computes (Answer.is_blank)


@dataclass
class RedactionStatus:
    total: int
    reviewed: int
    # Open answers with a value that nobody reviewed yet: what keeps the report from being
    # made (consultations.selectors.report.open_answers_without_review counts the same).
    to_review: int = 0

    @property
    def is_complete(self) -> bool:
        return self.reviewed == self.total


# How long the counts of a closed consultation's review are kept (a new review names new ones).
REVIEW_COUNTS_SECONDS = 60 * 60


def kept_if_closed[T](consultation: Consultation, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept while the reviews of a closed consultation stay as they are: its
    submitted answers no longer change once it is closed (consultations.services.review), and
    every review and questionnaire version published raises ``review_revision``, which is
    part of the key. An open consultation's answers still change: they are counted on every
    request."""
    if consultation.status != Consultation.Status.CLOSED:
        return compute()
    key = f"review-{name}:{consultation.pk}:{consultation.review_revision}"
    return kept(key, compute, seconds=REVIEW_COUNTS_SECONDS)


def redaction_status(*, consultation: Consultation) -> RedactionStatus:
    """The review of the open answers, in one query over them (kept for a closed
    consultation). The management page's review and report parts both ask for one
    consultation: counted once per consultation object, which lives for one request."""
    known = consultation.__dict__.get("_redaction_status")
    if known is not None:
        return known

    def count() -> dict[str, int]:
        return open_answers(consultation).aggregate(
            total=Count("id"),
            reviewed=Count("review"),
            to_review=Count("id", filter=Q(review__isnull=True, value__isnull=False)),
        )

    status = RedactionStatus(**kept_if_closed(consultation, "redaction", count))
    consultation.__dict__["_redaction_status"] = status
    return status


@dataclass
class ReviewOverview:
    questions: list[ReviewQuestion]
    response_count: int
    redaction: RedactionStatus


def closed_question_keys(questions: list[ReviewQuestion]) -> set[str]:
    """The keys that are a choice in some version: those with counts per option."""
    return {
        item.key
        for item in questions
        if any(q.type in CLOSED_TYPES for q in item.by_version.values())
    }


def is_open_somewhere(item: ReviewQuestion) -> bool:
    """Whether some version asks the question as open text (it may have open answers)."""
    return any(q.type in OPEN_TEXT_TYPES for q in item.by_version.values())


def option_counts_of_groups(
    questions: list[ReviewQuestion], groups: dict[str, list[tuple[int, Any, int]]]
) -> dict[str, list[OptionCount]]:
    """Counts per option of each question (none for an open one) from its groups of answers
    (version number, value, number of answers with that value)."""
    return {item.key: grouped_option_counts(item, groups.get(item.key, [])) for item in questions}


def option_counts_by_key(
    answers: QuerySet[Answer], questions: list[ReviewQuestion]
) -> dict[str, list[OptionCount]]:
    """Counts per option of each question (none for an open one), from one GROUP BY on the
    value of ``answers`` for the keys that are a choice in some version: a row per distinct
    value, not per answer."""
    groups: dict[str, list[tuple[int, Any, int]]] = {}
    for key, number, value, n in (
        answers.filter(question_key__in=sorted(closed_question_keys(questions)))
        .values_list("question_key", "response__version__number", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        groups.setdefault(key, []).append((number, value, n))
    return option_counts_of_groups(questions, groups)


def review_overview(*, consultation: Consultation) -> ReviewOverview:
    """The questions with their number of answers, counts per option (closed questions) and
    review progress (open questions), counted in SQL. A constant number of queries."""
    questions = review_questions(consultation=consultation)
    by_key = {item.key: item for item in questions}
    filled = (
        Answer.objects.filter(response__consultation=consultation, response__status=SUBMITTED)
        .exclude(blank_answer())
        .order_by()
    )
    # The number of answers (and of reviewed ones) per key and version, and the counts per
    # option of the closed questions, in one GROUP BY: the value is a group of its own only
    # for the keys that are a choice in some version (the text of an open answer is not).
    closed = sorted(closed_question_keys(questions))
    value_if_closed = Case(
        When(question_key__in=closed, then=F("value")),
        default=Value(None),
        output_field=JSONField(),
    )

    def grouped() -> list[tuple[str, int, Any, int, int]]:
        return list(
            filled.annotate(closed_value=value_if_closed)
            .values_list("question_key", "response__version__number", "closed_value")
            .annotate(n=Count("id"), reviewed=Count("review"))
        )

    groups: dict[str, list[tuple[int, Any, int]]] = {}
    for key, number, value, n, reviewed in kept_if_closed(consultation, "groups", grouped):
        item = by_key.get(key)
        if item is None:  # not a question of any version (none is removed once answered)
            continue
        item.answered += n
        question = question_of(item, number)
        if question is not None and question.type in OPEN_TEXT_TYPES:
            item.open_total += n
            item.open_reviewed += reviewed
        if key in closed:
            groups.setdefault(key, []).append((number, value, n))
    counts = option_counts_of_groups(questions, groups)
    for item in questions:
        item.counts = counts[item.key]
    response_count = submitted_count(consultation)
    return ReviewOverview(
        questions=questions,
        response_count=response_count,
        redaction=RedactionStatus(
            total=sum(item.open_total for item in questions),
            reviewed=sum(item.open_reviewed for item in questions),
        ),
    )


@dataclass
class ComparisonRow:
    """One submitted response's answer to the compared question."""

    response: ConsultationResponse
    question: Question | None  # None: the key is not in the version this response answers
    answer: Answer | None
    display: str

    @property
    def review(self) -> AnswerReview | None:
        if self.answer is None:
            return None
        return getattr(self.answer, "review", None)

    @property
    def is_open(self) -> bool:
        return (
            self.answer is not None
            and self.question is not None
            and (self.question.type in OPEN_TEXT_TYPES)
        )


@dataclass
class Comparison:
    question: ReviewQuestion
    rows: list[ComparisonRow]
    counts: list[OptionCount]
    previous: ReviewQuestion | None
    next: ReviewQuestion | None

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.answer is not None)


def comparison_rows(
    item: ReviewQuestion, responses: list[ConsultationResponse], answers: dict[int, Answer]
) -> list[ComparisonRow]:
    """One row per response, with its answer (None when empty) shown as the supplier gave it."""
    rows = []
    for response in responses:
        question = question_of(item, response.version.number)
        answer = answers.get(response.pk)
        if answer is not None and is_empty(answer.value) and not answer.file:
            answer = None
        display = ""
        if answer is not None and question is not None:
            display = (
                _("File attached")
                if question.type == Question.Type.FILE
                else answer_display(question, answer.value)
            )
        rows.append(
            ComparisonRow(response=response, question=question, answer=answer, display=display)
        )
    return rows


def question_index(questions: list[ReviewQuestion], key: str) -> int:
    index = next((i for i, item in enumerate(questions) if item.key == key), None)
    if index is None:
        raise Http404
    return index


def question_comparison(*, consultation: Consultation, key: str) -> Comparison:
    """Each submitted supplier's answer to the question ``key``, side by side; 404 for a key
    that no published version has."""
    questions = review_questions(consultation=consultation)
    index = question_index(questions, key)
    item = questions[index]
    responses = submitted_responses(consultation=consultation)
    answers = {
        answer.response_id: answer
        for answer in Answer.objects.filter(
            response__consultation=consultation, response__status=SUBMITTED, question_key=key
        ).select_related("review")
    }
    rows = comparison_rows(item, responses, answers)
    counts = option_counts(
        item,
        [(row.response.version.number, row.answer.value) for row in rows if row.answer],
    )
    item.answered = sum(1 for row in rows if row.answer is not None)
    return Comparison(
        question=item,
        rows=rows,
        counts=counts,
        previous=questions[index - 1] if index > 0 else None,
        next=questions[index + 1] if index + 1 < len(questions) else None,
    )


def manage_part(*, user: Any, consultation) -> dict[str, Any]:
    """Context for `templates/consultations/consultation_parts/manage_review.html`."""
    if not consultation.is_published:
        return {}
    status = redaction_status(consultation=consultation)
    return {
        "review_response_count": submitted_count(consultation),
        "review_redaction": status,
    }


def public_part(*, user: Any, consultation, **_options: Any) -> dict[str, Any]:
    """Context for the public page's part (if any)."""
    return {}
