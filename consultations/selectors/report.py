"""Reads of the consultation's anonymised report, scoped to the viewer.

Reports are the project team's until one is published; the published report is public
(``ConsultationReport.objects.visible_to``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from consultations.models import (
    Answer,
    AnswerReview,
    Consultation,
    ConsultationReport,
    ConsultationResponse,
    Question,
)
from consultations.models.questionnaire import OPEN_TEXT_TYPES
from consultations.selectors.review import redaction_status
from portal.selectors import is_project_team_editor
from portal.tenancy import get_visible_or_404

ACTIVE_STATUSES = (ConsultationReport.Status.PENDING, ConsultationReport.Status.RENDERING)


def open_answers_without_review(*, consultation: Consultation) -> QuerySet[Answer]:
    """Open (text) answers of submitted responses that the project team has not reviewed yet.
    The question type is the one of the version the response answers."""
    open_question = Question.objects.filter(
        version=OuterRef("response__version"),
        key=OuterRef("question_key"),
        type__in=OPEN_TEXT_TYPES,
    )
    # NOT EXISTS rather than a LEFT JOIN … IS NULL: PostgreSQL planned the join as if one row
    # were left and looped over every answer of every consultation (90 ms at 10×).
    return Answer.objects.filter(
        response__consultation=consultation,
        response__status=ConsultationResponse.Status.SUBMITTED,
        value__isnull=False,
    ).filter(Exists(open_question), ~Exists(AnswerReview.objects.filter(answer=OuterRef("pk"))))


def reports_for_project_team(*, user: Any, consultation: Consultation) -> list[ConsultationReport]:
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404
    return list(
        ConsultationReport.objects.visible_to(user)
        .filter(consultation=consultation)
        .order_by("-number")
    )


def report_get_for_project_team(
    *, user: Any, consultation: Consultation, public_id: Any
) -> ConsultationReport:
    """One report of the consultation for the project team's pages; 404 for everyone else
    (also for the published report: outsiders only download it)."""
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404
    return get_visible_or_404(
        ConsultationReport.objects.filter(consultation=consultation).select_related("consultation"),
        user,
        public_id=public_id,
    )


def report_get_for_download(
    *, user: Any, consultation: Consultation, public_id: Any
) -> ConsultationReport:
    """A finished report as a download: any of them for the project team, the published one
    for everyone (anonymous visitors included); 404 otherwise."""
    report = get_visible_or_404(
        ConsultationReport.objects.filter(consultation=consultation), user, public_id=public_id
    )
    if report.status != ConsultationReport.Status.DONE or not report.file:
        raise Http404
    return report


def published_report(*, user: Any, consultation: Consultation) -> ConsultationReport | None:
    return (
        ConsultationReport.objects.visible_to(user)
        .filter(
            consultation=consultation,
            published_at__isnull=False,
            status=ConsultationReport.Status.DONE,
        )
        .first()
    )


def _file_size(report: ConsultationReport) -> int | None:
    try:
        return report.file.size if report.file else None
    except OSError:
        return None


def manage_part(*, user: Any, consultation) -> dict[str, Any]:
    """Context for `templates/consultations/consultation_parts/manage_report.html`: the reports of
    the consultation and whether a (new) report can be generated."""
    reports = reports_for_project_team(user=user, consultation=consultation)
    closed = consultation.status == Consultation.Status.CLOSED
    missing_reviews = redaction_status(consultation=consultation).to_review if closed else 0
    return {
        "report_part": {
            "reports": reports,
            "closed": closed,
            "missing_reviews": missing_reviews,
            "can_generate": closed and not missing_reviews,
            "can_change": is_project_team_editor(user=user),
        }
    }


def public_part(*, user: Any, consultation, **_options: Any) -> dict[str, Any]:
    """The published report for `templates/consultations/consultation_parts/public_report.html`."""
    report = published_report(user=user, consultation=consultation)
    return {
        "public_report": report,
        "public_report_size": _file_size(report) if report else None,
    }
