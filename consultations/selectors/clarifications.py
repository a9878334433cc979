"""Reads of the consultation's clarification questions, scoped to the viewer.

What is published carries no trace of the questioner: the public list is built from the
published wording, the answer, the number and the publication date only, so a template cannot
reach the organisation or the original question through it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse

from consultations.models import ClarificationQuestion, Consultation
from consultations.selectors.disclosure import consultation_identifiers
from portal.models import Organisation
from portal.paged_rows import LIST_PAGE_SIZE, PagedRows, read_by_key
from portal.tenancy import get_visible_or_404, is_member_of_a

S = ClarificationQuestion.Status


@dataclass(frozen=True)
class PublishedClarification:
    """One published question and its answer (or the fixed reason why it is not answered, for
    a reason that matters to all), as everyone may read it."""

    number: int
    question: str
    answer: str
    published_at: datetime
    answered: bool = True
    reference: int | None = None  # the question that already answers this one
    reference_page: int | None = None  # where that question is in the paged list


def clarifications_published(
    *, user: Any, consultation: Consultation, numbers: list[int] | None = None
) -> list[PublishedClarification]:
    """The public questions of a consultation, by number: the answered ones and those not
    answered for a reason that matters to all (only those with these numbers, when given)."""
    rows = ClarificationQuestion.objects.visible_to(user).published()
    rows = rows.filter(consultation=consultation)
    if numbers is not None:
        rows = rows.filter(number__in=numbers)
    rows = (
        rows.select_related("answered_in")
        .only(
            "number",
            "public_question",
            "answer",
            "published_at",
            "status",
            "rejection_reason",
            "answered_in__number",
        )
        .order_by("number")
    )
    return [
        PublishedClarification(
            number=row.number,
            question=row.public_question,
            answer=row.public_answer,
            published_at=row.published_at,
            answered=row.status == S.PUBLISHED,
            reference=row.answered_in.number if row.answered_in_id else None,
        )
        for row in rows
    ]


# The published questions and answers are read a page at a time (hundreds at 10× scale).
PUBLISHED_PAGE_SIZE = LIST_PAGE_SIZE


@dataclass
class PublishedListing:
    """One page of the published questions (PublishedClarification rows), by number, and on
    which page each number is (for links to a question on another page)."""

    page: Page
    page_of: dict[int, int]

    def link(self, number: int | None) -> str:
        """The address of a published question, relative to the page that lists them."""
        if number is None:
            return ""
        page = self.page_of.get(number, 1)
        query = "" if page == self.page.number else f"?pagina={page}"
        return f"{query}#vraag-{number}"


def published_listing(
    *, user: Any, consultation: Consultation, page_number: Any = None
) -> PublishedListing:
    """One page of ``clarifications_published``: the numbers of all published questions (one
    query of integers), then the rows of this page only."""
    published = (
        ClarificationQuestion.objects.visible_to(user).published().filter(consultation=consultation)
    )
    numbers = list(published.order_by("number").values_list("number", flat=True))
    page_of = {number: index // PUBLISHED_PAGE_SIZE + 1 for index, number in enumerate(numbers)}
    page = Paginator(numbers, PUBLISHED_PAGE_SIZE).get_page(page_number)
    listing = PublishedListing(page=page, page_of=page_of)
    rows = clarifications_published(
        user=user, consultation=consultation, numbers=list(page.object_list)
    )
    page.object_list = [
        replace(row, reference_page=page_of.get(row.reference)) if row.reference else row
        for row in rows
    ]
    return listing


def published_for_reference(*, consultation: Consultation) -> list[tuple[int, str]]:
    """The answered questions a rejection may refer to: (number, published wording)."""
    rows = (
        ClarificationQuestion.objects.filter(consultation=consultation, status=S.PUBLISHED)
        .order_by("number")
        .values_list("number", "public_question")
    )
    return [(number, text) for number, text in rows if number is not None]


def clarifications_own(
    *, user: Any, consultation: Consultation, organisation
) -> QuerySet[ClarificationQuestion]:
    """The questions the user's supplier asked in this consultation, newest first."""
    return (
        ClarificationQuestion.objects.visible_to(user)
        .filter(consultation=consultation, organisation=organisation)
        .select_related("asked_by", "answered_in")
        .order_by("-asked_at", "-id")
    )


def clarifications_for_project_team(
    *, user: Any, consultation: Consultation
) -> QuerySet[ClarificationQuestion]:
    """Every question of the consultation with the asking organisation: open ones first (oldest
    first, to answer in turn), then the published ones by number, then the rejected ones."""
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404
    rank = Case(
        When(status=S.OPEN, then=Value(0)),
        When(status=S.PUBLISHED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        ClarificationQuestion.objects.visible_to(user)
        .filter(consultation=consultation)
        .select_related("organisation", "asked_by", "answered_by", "answered_in")
        .annotate(rank=rank)
        .order_by("rank", "number", "asked_at", "id")
    )


# The project team's list is paged (at 10× scale a consultation has hundreds of questions) and
# can be narrowed to one status.
MANAGE_PAGE_SIZE = LIST_PAGE_SIZE
STATUS_FILTERS = {"open": S.OPEN, "gepubliceerd": S.PUBLISHED, "niet-beantwoord": S.REJECTED}


@dataclass
class ClarificationListing:
    """One page of the project team's questions, with the number per status over all pages."""

    page: Page
    counts: dict[str, int]  # status value → number of questions
    status: str  # the filter applied (a key of STATUS_FILTERS, "" for none)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def filters(self) -> list[tuple[str, str, int]]:
        """(parameter value, label, count) of each status, for the filter."""
        return [
            (value, str(status.label), self.counts.get(status.value, 0))
            for value, status in STATUS_FILTERS.items()
        ]


def clarification_listing(
    *, user: Any, consultation: Consultation, status: str = "", page_number: Any = None
) -> ClarificationListing:
    """One page of the consultation's questions for the project team (of one status, when
    asked; an unknown status is ignored), in the order of
    ``clarifications_for_project_team``, with the counts per status in one GROUP BY. A
    constant number of queries, whatever the page."""
    questions = clarifications_for_project_team(user=user, consultation=consultation)
    grouped = (
        ClarificationQuestion.objects.filter(consultation=consultation)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts = dict(grouped)
    if status in STATUS_FILTERS:
        questions = questions.filter(status=STATUS_FILTERS[status])
    else:
        status = ""
    # The database sorts only the ids (counted by the GROUP BY above); the page's questions are
    # then read with who asked and answered them, instead of joining every question.
    rows = PagedRows(
        questions.select_related(None).values_list("pk", flat=True),
        read_by_key(
            ClarificationQuestion.objects.select_related("organisation", "asked_by", "answered_by")
        ),
        count=counts.get(STATUS_FILTERS[status], 0) if status else sum(counts.values()),
    )
    page = Paginator(rows, MANAGE_PAGE_SIZE).get_page(page_number)
    return ClarificationListing(page=page, counts=counts, status=status)


def clarification_get_for_project_team(
    *, user: Any, consultation: Consultation, public_id: Any
) -> ClarificationQuestion:
    """One question for the project team's answer page; 404 for everyone else (the questioner
    included: it follows its question on its own page)."""
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404
    return get_visible_or_404(
        ClarificationQuestion.objects.select_related("organisation", "asked_by", "answered_by"),
        user,
        consultation=consultation,
        public_id=public_id,
    )


def neutral_wording(*, question: ClarificationQuestion) -> str:
    """Where the team's public wording starts: the question with every part that identifies a
    supplier taking part replaced by a placeholder, never the asker's identifying words."""
    identifiers = consultation_identifiers(consultation=question.consultation_id)
    return identifiers.neutral(question.question, own=question.organisation_id)


def counts(*, consultation: Consultation) -> dict[str, int]:
    return ClarificationQuestion.objects.filter(consultation=consultation).aggregate(
        open=Count("id", filter=Q(status=S.OPEN)),
        published=Count("id", filter=Q(status=S.PUBLISHED)),
        rejected=Count("id", filter=Q(status=S.REJECTED)),
    )


def manage_part(*, user: Any, consultation) -> dict[str, Any]:
    """Context for `templates/consultations/consultation_parts/manage_clarifications.html`."""
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        return {}
    return {"clarification_counts": counts(consultation=consultation)}


def public_part(*, user: Any, consultation, page_number: Any = None) -> dict[str, Any]:
    """Context for the public page's part: a page of the published questions and answers, and
    for a logged-in supplier a link to its own questions."""
    if not consultation.is_published:
        return {"published_clarifications": []}
    is_supplier = getattr(user, "is_authenticated", False) and is_member_of_a(
        user, Organisation.Kind.SUPPLIER
    )
    listing = published_listing(user=user, consultation=consultation, page_number=page_number)
    return {
        "published_listing": listing,
        "published_clarifications": listing.page.object_list,
        "clarification_ask_url": reverse(
            "consultations:clarification-supplier", kwargs={"consultation": consultation.slug}
        )
        if is_supplier
        else "",
    }
