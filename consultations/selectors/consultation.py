"""Reads of the market consultation, scoped to the viewer."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from consultations.models import Consultation, Question, QuestionnaireVersion, QuestionSection
from portal.tenancy import get_visible_or_404


def consultation_get_public(*, user, slug: str) -> Consultation:
    """A published or closed consultation for anyone; a draft only for the project team."""
    return get_visible_or_404(
        Consultation.objects.select_related("programme").prefetch_related("documents"),
        user,
        slug=slug,
    )


def consultation_get_for_project_team(*, user, slug: str) -> Consultation:
    """The consultation for the project team's pages: 404 for everyone outside it."""
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404
    return get_visible_or_404(Consultation.objects.select_related("programme"), user, slug=slug)


def questionnaire_versions(*, consultation: Consultation) -> list[QuestionnaireVersion]:
    questions = Question.objects.prefetch_related("categories").order_by("order", "id")
    sections = QuestionSection.objects.prefetch_related(
        Prefetch("questions", queryset=questions)
    ).order_by("order", "id")
    return list(
        consultation.versions.prefetch_related(Prefetch("sections", queryset=sections)).order_by(
            "-number"
        )
    )
