"""The anonymised report of a closed market consultation: requested by a project-team editor,
rendered to PDF by a Celery task, published to everyone.

Anonymity is built in, not left to the template: the document's context holds no response,
organisation or user object, only pseudonyms ("Leverancier A"), counts, statistics and the
texts the project team reviewed for the report. Closed questions appear as counts, open
questions only as reviewed texts that are included, files only as a number."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import Consultation, ConsultationReport, TalkFinding
from consultations.models.report import CHANGE_NOTE_MAX_LENGTH, PRICES_REASON_MAX_LENGTH
from consultations.selectors.disclosure import consultation_identifiers, disclosure_message
from consultations.selectors.report import open_answers_without_review
from consultations.selectors.report_disclosure import (
    disclosing_answers,
    submitted_responses,
)
from consultations.selectors.report_document import TEMPLATE, pseudonym_letters, report_context
from portal import jobs
from portal.audit import audit
from portal.models import User
from portal.selectors import require_project_team_editor

R = ConsultationReport.Status
REPORT_JOB = jobs.JobKind(
    ConsultationReport,
    task_name="consultations.report_render_task",
    requested_at_field="requested_at",
    claimed_at_field="claimed_at",
    # The task's hard limit (180 s), its longest retry countdown (120 s) and a minute.
    lost_after=timedelta(minutes=6),
    queued=R.PENDING,
    running=R.RENDERING,
)


# --- Pseudonyms -------------------------------------------------------------------------------


def _assign_pseudonyms(response_ids: list[int]) -> dict[str, str]:
    """Letters in a random order (not by name, not by time of answering), stored with the
    report so that they stay the same within it."""
    shuffled = list(response_ids)
    secrets.SystemRandom().shuffle(shuffled)
    return {str(pk): pseudonym_letters(i) for i, pk in enumerate(shuffled)}


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
    jobs.enqueue_on_commit(REPORT_JOB.task_name, report.pk)


def _clean_prices_reason(include_prices: bool, reason: str) -> str:
    """Prices stay out of the public report unless the team records why they are in."""
    reason = (reason or "").strip()
    if not include_prices:
        return ""
    if not reason:
        raise ValidationError(
            {"include_prices_reason": _("Record why the prices are included in the public report.")}
        )
    if len(reason) > PRICES_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "include_prices_reason": _("Use at most %(max)s characters (you used %(count)s).")
                % {"max": PRICES_REASON_MAX_LENGTH, "count": len(reason)}
            }
        )
    return reason


def _disclosing_findings(consultation: Consultation, identifiers) -> list[str]:
    return [
        _(
            "The approved point from the talks “%(text)s…” contains a name, registration number "
            "or e-mail address of a supplier. Remove it from the report."
        )
        % {"text": finding.text[:40]}
        for finding in TalkFinding.objects.approved().filter(consultation=consultation)
        if identifiers.disclosed_in(finding.text)
    ]


@transaction.atomic
def report_request(
    *,
    actor: User,
    consultation: Consultation,
    change_note: str = "",
    include_prices: bool = False,
    include_prices_reason: str = "",
) -> ConsultationReport:
    """Queue a new version of the report of a closed consultation. Every open answer must have
    been reviewed first, and no text for the report (reviewed answers, approved points from the
    talks) may name a supplier taking part; every version after the first says what changed
    (``change_note``). Prices are left out unless ``include_prices`` with a recorded reason.
    The pseudonyms are fixed now; a worker renders the PDF after the commit."""
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
    responses = submitted_responses(consultation)
    identifiers = consultation_identifiers(consultation=consultation)
    disclosing = disclosing_answers(responses, identifiers)
    if disclosing_points := _disclosing_findings(consultation, identifiers):
        raise ValidationError(disclosing_points)
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
    prices_reason = _clean_prices_reason(include_prices, include_prices_reason)
    if found := identifiers.findings(prices_reason):
        raise ValidationError({"include_prices_reason": disclosure_message(found)})
    report = ConsultationReport.objects.create(
        consultation=consultation,
        number=number,
        change_note=note,
        include_prices=bool(prices_reason),
        include_prices_reason=prices_reason,
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
        include_prices=bool(prices_reason),
        include_prices_reason=prices_reason,
    )
    _queue_render(report)
    return report


def report_stuck(*, report: ConsultationReport) -> bool:
    """Whether the version is stuck (its task was lost): the team may retry it before the
    sweep sends it again."""
    return jobs.is_lost(REPORT_JOB, report)


@transaction.atomic
def report_retry(*, actor: User, report: ConsultationReport) -> ConsultationReport:
    """Queue a failed or stuck version again: the same version with the same pseudonyms and
    change note, so that nothing but the failure is undone. Nothing else can be retried."""
    require_project_team_editor(actor)
    report = jobs.lock(REPORT_JOB, pk=report.pk)
    if report.status != R.FAILED and not report_stuck(report=report):
        raise ValidationError(_("Only a version that failed can be generated again."))
    previous_error = report.error
    report, _retried = jobs.retry(REPORT_JOB, pk=report.pk)
    audit(
        actor=actor,
        action="consultation_report.retried",
        target=report,
        number=report.number,
        error=previous_error[:500],
    )
    return report


def report_render(*, report_id: int) -> ConsultationReport:
    """Render one report version. Idempotent: a finished version is never rendered again."""
    from portal.pdf import render_pdf

    report, claimed = jobs.claim(REPORT_JOB, pk=report_id)
    if not claimed:
        return report
    # A failure raises to the task, which retries with backoff and marks the version failed
    # after the last attempt.
    pdf = render_pdf(TEMPLATE, report_context(report=report))
    with transaction.atomic():
        report, finished = jobs.finish_with_file(
            REPORT_JOB,
            pk=report_id,
            name=lambda job: f"verslag-v{job.number}.pdf",
            content=pdf,
            generated_at=timezone.now(),
        )
        if not finished:  # another run finished first
            return report
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
    return jobs.requeue_lost(REPORT_JOB, older_than=older_than)


def report_mark_failed(*, report_id: int, error: str) -> None:
    jobs.mark_failed(REPORT_JOB, pk=report_id, error=error)


@transaction.atomic
def report_publish(*, actor: User, report: ConsultationReport) -> ConsultationReport:
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
def report_unpublish(*, actor: User, report: ConsultationReport) -> ConsultationReport:
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
