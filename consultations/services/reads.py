"""The audit of the project team's reads of who took part in a market consultation: the
suppliers that responded, the askers of clarification questions and the suppliers that
booked a talk. Like the reads of the answers (``review.review_answers_read``), every page
and API call that shows them records one event: what was read, where, and (for one item)
which supplier. An audit event is the one write a GET may make."""

from __future__ import annotations

from django.db import models

from consultations.models import Answer, Consultation, ConsultationResponse
from portal.audit import audit
from portal.models import Organisation, User

RESPONDENTS = "respondents"
ASKERS = "askers"
TALK_BOOKINGS = "talk_bookings"


def participants_read(
    *,
    actor: User,
    consultation: Consultation,
    subject: str,
    view: str,
    item: models.Model | None = None,
) -> None:
    """Record that ``actor`` saw the ``subject`` (respondents, askers, talk bookings) of
    ``consultation`` on ``view``; ``item`` is the one question or response shown, if one."""
    organisation = getattr(item, "organisation", None) if item is not None else None
    audit(
        actor=actor,
        action=f"consultation.{subject}_read",
        target=item if item is not None else consultation,
        organisation=organisation if isinstance(organisation, Organisation) else None,
        consultation=consultation.slug,
        view=view,
    )


def response_read_by_project_team(
    *, actor: User, response: ConsultationResponse, submission: int | None = None
) -> None:
    """Every read of a supplier's confidential answers by the project team is recorded (of
    an earlier submission: with its number)."""
    extra = {} if submission is None else {"submission": submission}
    audit(
        actor=actor,
        action="response.read",
        target=response,
        organisation=response.organisation,
        consultation=response.consultation.slug,
        **extra,
    )


def answer_file_read_by_project_team(*, actor: User, answer: Answer) -> None:
    """Every download of a supplier's answer file by the project team is recorded."""
    response = answer.response
    audit(
        actor=actor,
        action="response.file_read",
        target=response,
        organisation=response.organisation,
        consultation=response.consultation.slug,
        question_key=answer.question_key,
        sha256=(answer.value or {}).get("sha256", ""),
    )
