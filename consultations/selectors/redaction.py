"""The open answers the project team reviews for the anonymised report: the paged, filtered list,
the next answer to review, and one answer with its review."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.http import Http404

from consultations.models import (
    Answer,
    AnswerReview,
    Consultation,
    ConsultationResponse,
    Question,
    QuestionnaireVersion,
)
from consultations.models.questionnaire import OPEN_TEXT_TYPES
from consultations.selectors.identifying import identifying_hints
from consultations.selectors.review import (
    SUBMITTED,
    ReviewQuestion,
    is_empty,
    is_open_somewhere,
    kept_if_closed,
    open_answers,
    question_of,
    review_questions,
)
from portal.paged_rows import LIST_PAGE_SIZE, PagedRows
from portal.tenancy import get_visible_or_404


@dataclass
class OpenAnswerRow:
    answer: Answer
    question: Question | None
    hints: list[str]

    @property
    def response(self) -> ConsultationResponse:
        return self.answer.response

    @property
    def review(self) -> AnswerReview | None:
        return getattr(self.answer, "review", None)


# The list of open answers is paged (at 10× scale a consultation has thousands) and can be
# narrowed to one question and to the answers that still need a review.
REDACTION_PAGE_SIZE = LIST_PAGE_SIZE
TO_REVIEW, REVIEWED = "te-beoordelen", "beoordeeld"


REDACTION_STATES = (TO_REVIEW, REVIEWED)


def _redaction_answers(consultation: Consultation, questions: list[ReviewQuestion]):
    """Every open (text) answer of a submitted response to a published version, by question
    (in the order of the review) and then by supplier."""
    if not questions:
        return Answer.objects.none()
    question_order = Case(
        *[When(question_key=item.key, then=Value(index)) for index, item in enumerate(questions)],
        default=Value(len(questions)),
        output_field=IntegerField(),
    )
    # Only the keys that are open text in some version can have an open answer: the
    # database then joins those answers instead of every answer of the consultation.
    open_keys = [item.key for item in questions if is_open_somewhere(item)]
    return (
        open_answers(consultation)
        .filter(
            response__version__status=QuestionnaireVersion.Status.PUBLISHED,
            question_key__in=open_keys,
        )
        .alias(question_order=question_order)
        .order_by("question_order", "response__organisation__name", "id")
    )


def _row_hints(answer: Answer) -> list[str]:
    """Warnings about identifying content in the text that would be published: the redacted
    text of an included review, otherwise the original (none for an answer left out)."""
    review = getattr(answer, "review", None)
    if review is not None and not review.include:
        return []
    text = review.redacted_text if review is not None else str(answer.value or "")
    return identifying_hints(text, answer.response.organisation)


@dataclass
class OpenAnswerList:
    """One page of the open answers, with the progress over all of them."""

    page: Page
    rows: list[OpenAnswerRow]
    total: int  # open answers, all pages and filters together
    reviewed: int
    questions: list[ReviewQuestion]  # the questions with open answers, for the filter
    question_key: str  # the filters applied ("" for none)
    state: str

    @property
    def matching(self) -> int:
        return self.page.paginator.count


def open_answer_list(
    *,
    consultation: Consultation,
    question_key: str = "",
    state: str = "",
    page_number: Any = None,
    per_page: int | None = None,
) -> OpenAnswerList:
    """One page of the open answers of the submitted responses (of one question, and only
    those to review or only those reviewed, when asked), with the warnings about identifying
    content of each. A constant number of queries, whatever the page."""
    questions = review_questions(consultation=consultation)
    by_key = {item.key: item for item in questions}
    open_questions = [item for item in questions if is_open_somewhere(item)]
    if question_key not in {item.key for item in open_questions}:
        question_key = ""
    answers = _redaction_answers(consultation, questions)
    progress = kept_if_closed(
        consultation,
        "progress",
        lambda: answers.aggregate(total=Count("id"), reviewed=Count("review")),
    )
    if question_key:
        answers = answers.filter(question_key=question_key)
    # (NOT) EXISTS rather than a LEFT JOIN … IS (NOT) NULL: PostgreSQL misjudged the join
    # (see ``consultations.selectors.report.open_answers_without_review``).
    reviewed = Exists(AnswerReview.objects.filter(answer=OuterRef("pk")))
    if state == TO_REVIEW:
        answers = answers.filter(~reviewed)
    elif state == REVIEWED:
        answers = answers.filter(reviewed)

    def build(ids: list[int]) -> list[OpenAnswerRow]:
        found = Answer.objects.select_related(
            "response",
            "response__version",
            "response__organisation",
            "response__organisation__supplier_profile",
            "review",
        ).in_bulk(ids)
        built = []
        for pk in ids:
            answer = found[pk]
            question = question_of(by_key[answer.question_key], answer.response.version.number)
            built.append(OpenAnswerRow(answer=answer, question=question, hints=_row_hints(answer)))
        return built

    # The database sorts only the answers' ids; the page's answers are then read with what
    # they show (a join over every answer costs more than the sort).
    unfiltered = not question_key and state not in REDACTION_STATES
    state = state if state in REDACTION_STATES else ""
    keys: QuerySet[Any] | list[Any] = answers.values_list("pk", flat=True)
    if consultation.status == Consultation.Status.CLOSED:
        # The sorted ids are kept as well (a review that moves an answer between the states
        # names new ones); a supplier renamed since is sorted by its new name once they expire.
        keys = kept_if_closed(consultation, f"ids:{question_key}:{state}", partial(list, keys))
    rows_of = PagedRows(keys, build, count=progress["total"] if unfiltered else None)
    page = Paginator(rows_of, per_page or REDACTION_PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    return OpenAnswerList(
        page=page,
        rows=rows,
        total=progress["total"],
        reviewed=progress["reviewed"],
        questions=open_questions,
        question_key=question_key,
        state=state,
    )


def next_answer_to_review(*, consultation: Consultation) -> tuple[Any, str] | None:
    """The first open answer in the list without a review: (response public id, question
    key), or None when every open answer has been reviewed."""
    questions = review_questions(consultation=consultation)
    return (
        _redaction_answers(consultation, questions)
        .filter(~Exists(AnswerReview.objects.filter(answer=OuterRef("pk"))))
        .values_list("response__public_id", "question_key")
        .first()
    )


def open_answer_get(
    *, user: Any, consultation: Consultation, response_id: Any, key: str
) -> tuple[Answer, Question]:
    """One open answer of a submitted response, for review; 404 for a draft, an unanswered
    question or a question that is not open text (in the version the response answers)."""
    response = get_visible_or_404(
        ConsultationResponse.objects.select_related(
            "organisation", "organisation__supplier_profile", "version"
        ),
        user,
        consultation=consultation,
        public_id=response_id,
        status=SUBMITTED,
    )
    question = (
        Question.objects.select_related("section")
        .filter(version=response.version, key=key, type__in=OPEN_TEXT_TYPES)
        .first()
    )
    answer = (
        Answer.objects.select_related("review").filter(response=response, question_key=key).first()
    )
    if question is None or answer is None or is_empty(answer.value):
        raise Http404
    answer.response = response
    return answer, question
