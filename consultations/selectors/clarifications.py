"""Reads of the consultation's clarification questions, scoped to the viewer.

What is published carries no trace of the questioner: the public list is built from the
published wording, the answer, the number and the publication date only, so a template cannot
reach the organisation or the original question through it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse

from consultations.models import ClarificationQuestion, Consultation
from consultations.selectors.disclosure import consultation_identifiers
from portal.models import Membership, Organisation
from portal.tenancy import get_visible_or_404

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


def clarifications_published(
    *, user: Any, consultation: Consultation
) -> list[PublishedClarification]:
    """The public questions of a consultation, by number: the answered ones and those not
    answered for a reason that matters to all."""
    rows = (
        ClarificationQuestion.objects.visible_to(user)
        .published()
        .filter(consultation=consultation)
        .select_related("answered_in")
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


def public_part(*, user: Any, consultation) -> dict[str, Any]:
    """Context for the public page's part: the published questions and answers, and for a
    logged-in supplier a link to its own questions."""
    if not consultation.is_published:
        return {"published_clarifications": []}
    is_supplier = (
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(
            user=user, organisation__kind=Organisation.Kind.SUPPLIER
        ).exists()
    )
    return {
        "published_clarifications": clarifications_published(user=user, consultation=consultation),
        "clarification_ask_url": reverse(
            "consultations:clarification-supplier", kwargs={"consultation": consultation.slug}
        )
        if is_supplier
        else "",
    }
