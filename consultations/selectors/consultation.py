"""Reads of the market consultation, scoped to the viewer."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from consultations.models import Consultation, Question, QuestionnaireVersion, QuestionSection
from portal.tenancy import get_visible_or_404


class Audience(StrEnum):
    """Who a consultation is fetched for; decides who gets 404."""

    PUBLIC = "public"
    """Anyone: a published or closed consultation; a draft only for the project team."""
    PROJECT_TEAM = "project_team"
    """The project team's pages (management, responses, review): 404 for everyone else."""


def consultation_get(
    *, user: Any, slug: str, audience: Audience = Audience.PUBLIC, with_documents: bool = False
) -> Consultation:
    """The one access helper for a consultation by its slug, for ``user`` as ``audience``.

    Answers 404 for a consultation the user may not see, the same as for one that does not
    exist (see ``Audience``). ``with_documents`` prefetches the documents for the pages that
    list them."""
    if audience == Audience.PROJECT_TEAM and not (
        getattr(user, "is_authenticated", False) and user.is_project_team
    ):
        raise Http404
    queryset = Consultation.objects.select_related("programme")
    if with_documents:
        queryset = queryset.prefetch_related("documents")
    return get_visible_or_404(queryset, user, slug=slug)


HOME_PAGE_LIMIT = 10


def consultations_open_public(*, limit: int = HOME_PAGE_LIMIT) -> list[Consultation]:
    """The market consultations a supplier can answer now (published, open, not closed),
    closing soonest first; at most ``limit``, for the public home page (one query)."""
    now = timezone.now()
    return list(
        Consultation.objects.filter(
            status=Consultation.Status.PUBLISHED, opens_at__lte=now, closes_at__gt=now
        )
        .select_related("programme")
        .order_by("closes_at", "title")[:limit]
    )


def questionnaire_published_versions(
    *, consultation: Consultation
) -> QuerySet[QuestionnaireVersion]:
    """The consultation's published questionnaire versions, newest first."""
    return consultation.versions.filter(status=QuestionnaireVersion.Status.PUBLISHED).order_by(
        "-number"
    )


def questionnaire_current(*, consultation: Consultation) -> QuestionnaireVersion | None:
    """The questionnaire suppliers answer now: the newest published version (None until the
    first one is published). Drafts are never answered."""
    return questionnaire_published_versions(consultation=consultation).first()


def questionnaire_versions_visible(
    *, user: Any, consultation: Consultation
) -> QuerySet[QuestionnaireVersion]:
    """The versions the user may see, newest first: drafts for the project team only."""
    if getattr(user, "is_authenticated", False) and user.is_project_team:
        return consultation.versions.order_by("-number")
    return questionnaire_published_versions(consultation=consultation)


def questionnaire_public(*, consultation: Consultation) -> QuestionnaireVersion | None:
    """The questionnaire as the public page and the API show it to everyone who may see the
    consultation: its newest published version with sections and questions (None before the
    first is published). The questions are public; the answers are not."""
    version = (
        questionnaire_with_contents(questionnaire_published_versions(consultation=consultation))
        .order_by("-number")
        .first()
    )
    return _numbered(version) if version is not None else None


def _numbered(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Number the questions through the whole questionnaire, across its sections, as the
    supplier's answer page and its error summary do ("Vraag 3"): each prefetched section gets
    ``first_number``, the number of its first question."""
    number = 1
    for section in version.sections.all():
        section.first_number = number  # type: ignore[attr-defined]
        number += len(section.questions.all())
    return version


def questionnaire_with_contents(
    versions: QuerySet[QuestionnaireVersion],
) -> QuerySet[QuestionnaireVersion]:
    """Versions with their sections, questions and categories, in a fixed number of queries."""
    questions = Question.objects.prefetch_related("categories").order_by("order", "id")
    sections = QuestionSection.objects.prefetch_related(
        Prefetch("questions", queryset=questions)
    ).order_by("order", "id")
    return versions.prefetch_related(Prefetch("sections", queryset=sections))


def questionnaire_versions(*, consultation: Consultation) -> list[QuestionnaireVersion]:
    """Every version, newest first, with its contents (the project team's builder)."""
    versions = questionnaire_with_contents(consultation.versions.order_by("-number"))
    return [_numbered(version) for version in versions]
