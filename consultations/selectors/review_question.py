"""The project team's review page of one question: its answers a page at a time, for an open
question optionally only those still to review or only those reviewed, with the totals (answers,
counts per option, review progress) computed in SQL over every submitted response. Like the rest
of ``consultations.selectors.review``, for the project team only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count

from consultations.models import Answer, Consultation, ConsultationResponse
from consultations.selectors.redaction import REDACTION_STATES, TO_REVIEW
from consultations.selectors.review import (
    SUBMITTED,
    ComparisonRow,
    OptionCount,
    ReviewQuestion,
    blank_answer,
    comparison_rows,
    grouped_option_counts,
    is_open_somewhere,
    kept_if_closed,
    open_answers,
    question_index,
    review_questions,
    submitted_count,
)
from portal.paged_rows import LIST_PAGE_SIZE, PagedRows

# The review page of one question shows the answers a page at a time (hundreds at 10× scale),
# for open questions optionally only those still to review or only those reviewed (the words
# of the redaction list's filter).
QUESTION_PAGE_SIZE = LIST_PAGE_SIZE


@dataclass
class ComparisonPage:
    """One page of a question's comparison: the totals over every submitted response (answered,
    counts per option, review progress) and the rows of this page."""

    question: ReviewQuestion
    page: Page
    rows: list[ComparisonRow]
    counts: list[OptionCount]
    answered: int
    response_total: int
    open_total: int
    open_reviewed: int
    state: str
    previous: ReviewQuestion | None
    next: ReviewQuestion | None

    @property
    def matching(self) -> int:
        return self.page.paginator.count


def question_comparison_page(
    *, consultation: Consultation, key: str, state: str = "", page_number: Any = None
) -> ComparisonPage:
    """A page of ``question_comparison`` (suppliers by name), with its totals computed in SQL
    over every submitted response; for an open question ``state`` keeps only the responses
    whose answer is still to review or is reviewed. 404 for an unknown key. A constant number
    of queries, whatever the number of suppliers."""
    questions = review_questions(consultation=consultation)
    index = question_index(questions, key)
    item = questions[index]
    filled = Answer.objects.filter(
        response__consultation=consultation, response__status=SUBMITTED, question_key=key
    ).exclude(blank_answer())
    counts: list[OptionCount] = []
    # Of a closed consultation the totals are kept under its review revision.
    if item.is_closed:
        # One group per version and value: the counts per option, and summed, the answers.
        groups = kept_if_closed(
            consultation,
            f"question-groups:{key}",
            lambda: list(
                filled.values_list("response__version__number", "value")
                .annotate(n=Count("id"))
                .order_by()
            ),
        )
        counts = grouped_option_counts(item, groups)
        answered = sum(n for _number, _value, n in groups)
    else:
        answered = kept_if_closed(consultation, f"question-answered:{key}", filled.count)
    opened = open_answers(consultation).filter(question_key=key).exclude(blank_answer())
    progress = {"total": 0, "reviewed": 0}
    if is_open_somewhere(item):  # only then can it have open answers to review
        progress = kept_if_closed(
            consultation,
            f"question-progress:{key}",
            lambda: opened.aggregate(total=Count("id"), reviewed=Count("review")),
        )
    responses = ConsultationResponse.objects.filter(consultation=consultation, status=SUBMITTED)
    response_total = submitted_count(consultation)
    if state in REDACTION_STATES and progress["total"]:
        matching = opened.filter(review__isnull=state == TO_REVIEW)
        responses = responses.filter(pk__in=matching.values("response_id"))
        known_total = None
    else:
        state = ""
        known_total = response_total  # every submitted response: counted just now
    responses = responses.select_related("organisation", "version").order_by(
        "organisation__name", "id"
    )
    page = Paginator(PagedRows(responses, list, count=known_total), QUESTION_PAGE_SIZE).get_page(
        page_number
    )
    on_page = list(page.object_list)
    answers = {
        answer.response_id: answer
        for answer in Answer.objects.filter(response__in=on_page, question_key=key).select_related(
            "review"
        )
    }
    item.answered = answered
    return ComparisonPage(
        question=item,
        page=page,
        rows=comparison_rows(item, on_page, answers),
        counts=counts,
        answered=answered,
        response_total=response_total,
        open_total=progress["total"],
        open_reviewed=progress["reviewed"],
        state=state,
        previous=questions[index - 1] if index > 0 else None,
        next=questions[index + 1] if index + 1 < len(questions) else None,
    )
