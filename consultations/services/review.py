"""Writes of the project team's review of a consultation's answers, and the audit of its reads.

Before an open (text) answer may appear in the anonymised report, a project-team editor
reviews it: the text to publish, with everything that identifies the supplier removed, or the
decision to leave it out (``consultations.models.AnswerReview``). Reviews start once the
consultation is closed, so the answer under review can no longer change."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Answer, AnswerReview, Consultation, ConsultationResponse, Question
from consultations.models.questionnaire import OPEN_TEXT_TYPES
from consultations.selectors.disclosure import (
    Identifiers,
    consultation_identifiers,
    disclosure_message,
)
from consultations.selectors.identifying import BLOCKING, EMAIL, KVK, NAME, identifying_findings
from portal.audit import audit
from portal.disclosure import shorten
from portal.models import Organisation, User
from portal.selectors import require_project_team_editor


def _blocking_errors(
    text: str, organisation: Organisation | None, identifiers: Identifiers
) -> list[str]:
    """What keeps ``text`` out of the report: the author's own name, KvK number and any
    e-mail address, and (the check the report request applies) whatever identifies another
    supplier taking part. Both compare the canonical form of ``portal.disclosure``."""
    messages = {
        NAME: _("Remove the supplier's name from the text (found “%(text)s”)."),
        KVK: _("Remove the supplier's KvK number from the text (found %(text)s)."),
        EMAIL: _("Remove the e-mail address from the text (found %(text)s)."),
    }
    own = [f for f in identifying_findings(text, organisation) if f.kind in BLOCKING]
    errors = [messages[finding.kind] % {"text": shorten(finding.text)} for finding in own]
    seen = {finding.text.casefold() for finding in own}
    others = [
        finding
        for finding in identifiers.findings(text, organisation.pk if organisation else None)
        if not any(
            finding.text.casefold() in found or found in finding.text.casefold() for found in seen
        )
    ]
    if others:
        errors.append(disclosure_message(others))
    return errors


# --- Reviews ----------------------------------------------------------------------------------


@transaction.atomic
def answer_review(
    *, actor: User, answer: Answer, include: bool, redacted_text: str = ""
) -> AnswerReview:
    """Record (or change) the review of one open answer of a submitted response. An included
    answer needs the text to publish, free of the supplier's name, KvK number and e-mail
    addresses; an answer left out keeps whatever text the reviewer typed, which is never
    published."""
    require_project_team_editor(actor)
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related(
            "response__consultation",
            "response__version",
            "response__organisation__supplier_profile",
        )
        .get(pk=answer.pk)
    )
    response = answer.response
    if response.consultation.status != Consultation.Status.CLOSED:
        raise ValidationError(
            _("You can review the answers once the market consultation has been closed."),
            code="not_closed",
        )
    if response.status != ConsultationResponse.Status.SUBMITTED:
        raise ValidationError(_("Only answers of submitted responses are reviewed."))
    if not Question.objects.filter(
        version=response.version, key=answer.question_key, type__in=OPEN_TEXT_TYPES
    ).exists():
        raise ValidationError(_("Only open answers (text) are reviewed for the report."))
    text = (redacted_text or "").replace("\r\n", "\n").strip()
    if include:
        if not text:
            raise ValidationError(
                {
                    "redacted_text": _(
                        "Enter the text for the report, or choose to leave the answer out."
                    )
                },
                code="required",
            )
        identifiers = consultation_identifiers(consultation=response.consultation)
        if errors := _blocking_errors(text, response.organisation, identifiers):
            raise ValidationError({"redacted_text": errors}, code="identifying")
    Consultation.objects.filter(pk=response.consultation_id).raise_review_revision()
    review, created = AnswerReview.objects.update_or_create(
        answer=answer,
        defaults={
            "include": include,
            "redacted_text": text,
            "reviewed_by": actor,
            "reviewed_at": timezone.now(),
        },
    )
    audit(
        actor=actor,
        action="answer.reviewed",
        target=response,
        organisation=response.organisation,
        consultation=response.consultation.slug,
        question=answer.question_key,
        include=include,
        first_review=created,
    )
    return review


# --- Reads of confidential answers ------------------------------------------------------------


def review_answers_read(
    *,
    actor: User,
    consultation: Consultation,
    view: str,
    question_key: str = "",
    response: ConsultationResponse | None = None,
) -> None:
    """Every page that shows suppliers' answers to the project team is recorded: which
    consultation, which question (if one), and which supplier (if one)."""
    audit(
        actor=actor,
        action="review.answers_read",
        target=response if response is not None else consultation,
        organisation=response.organisation if response is not None else None,
        consultation=consultation.slug,
        question=question_key,
        view=view,
    )


def review_answers_exported(*, actor: User, consultation: Consultation, responses: int) -> None:
    """The Excel export names every supplier with its answers: recorded like a read."""
    audit(
        actor=actor,
        action="review.answers_exported",
        target=consultation,
        consultation=consultation.slug,
        responses=responses,
    )
