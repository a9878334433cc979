"""The disclosure check applied to the anonymised report: every included review text, and every
approved point from the 1-on-1 talks, is checked with the one rule of
``consultations.selectors.disclosure`` against every supplier taking part."""

from __future__ import annotations

from consultations.models import (
    Answer,
    Consultation,
    ConsultationResponse,
)
from consultations.selectors.disclosure import (
    EMAIL_RE,
    GENERIC_NAME_WORDS,
    LEGAL_SUFFIX_RE,
    Identifiers,
    consultation_identifiers,
    literals_regex,
)

__all__ = [
    "EMAIL_RE",
    "GENERIC_NAME_WORDS",
    "LEGAL_SUFFIX_RE",
    "Identifiers",
    "ReportDisclosureError",
    "disclosing_answers",
    "literals_regex",
    "submitted_responses",
]


class ReportDisclosureError(Exception):
    """A text meant for the report still names a supplier; rendering again will not help."""


def disclosing_answers(
    responses: list[ConsultationResponse], identifiers: Identifiers | None = None
) -> list[tuple[ConsultationResponse, Answer]]:
    """The included review texts that still contain a supplier's name, number or address
    (of any supplier taking part in the consultation of ``responses``)."""
    if not responses:
        return []
    if identifiers is None:
        identifiers = consultation_identifiers(consultation=responses[0].consultation_id)
    by_id = {r.pk: r for r in responses}
    answers = Answer.objects.filter(response__in=responses, review__include=True).select_related(
        "review"
    )
    found = []
    for answer in answers:
        response = by_id[answer.response_id]
        if identifiers.disclosed_in(answer.review.redacted_text, response.organisation_id):
            found.append((response, answer))
    return found


def submitted_responses(consultation: Consultation, ids=None) -> list[ConsultationResponse]:
    responses = ConsultationResponse.objects.filter(
        consultation=consultation, status=ConsultationResponse.Status.SUBMITTED
    ).select_related("organisation__supplier_profile")
    if ids is not None:
        responses = responses.filter(pk__in=ids)
    return list(responses.order_by("pk"))
