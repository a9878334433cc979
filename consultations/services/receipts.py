"""The confirmation mail to the person who submitted a supplier's answers: the portal's name,
the consultation, the reference and the time of the submission, and a link to its receipt.
Written to the outbox in the submit's transaction and sent once it commits
(``portal.notifications``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from consultations.models import ResponseSubmission
from consultations.selectors.responses import submission_reference
from portal.models import User
from portal.notifications import notify_addresses


def receipt_url(submission: ResponseSubmission, base_url: str = "") -> str:
    path = reverse(
        "consultations:response-receipt",
        kwargs={
            "consultation": submission.response.consultation.slug,
            "submission": submission.number,
        },
    )
    return (base_url or settings.PORTAL_BASE_URL).rstrip("/") + path


def response_submitted_mail(*, submission: ResponseSubmission, actor: User) -> None:
    """Confirm a submission to the person who made it (their own address only: the answers
    are confidential, and the company's other members see the receipt in the portal)."""
    if not actor.email:
        return
    consultation = submission.response.consultation
    reference = submission_reference(submission)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Answers received: %(consultation)s (reference %(reference)s)") % {
            "consultation": consultation.title,
            "reference": reference,
        }
    notify_addresses(
        addresses=[actor.email],
        subject=subject,
        template="consultations/email/response_submitted.txt",
        context={
            "consultation": consultation,
            "organisation": submission.response.organisation,
            "reference": reference,
            "submitted_at": submission.submitted_at,
            "version": submission.version.number,
            "answered": len(submission.answers),
            "closes_at": consultation.closes_at,
            "url": receipt_url(submission),
            "portal_url": settings.PORTAL_BASE_URL.rstrip("/"),
        },
    )
