"""The market consultation: published with its questionnaire for exactly the period of the
programme's consultation milestones, answered by the three demo suppliers, and closed by the
project team after it ended, so that the review and the anonymised report can start. The
suppliers that took part are told when the tender is published.

The services accept a response only while the consultation is open, and the demo records it
weeks later: while the responses are recorded the closing time is lifted (``window_lifted``)
and put back before the consultation is closed; then the responses get the story's dates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.utils import timezone

from consultations.models import (
    Answer,
    Consultation,
    ConsultationResponse,
    Question,
    ResponseSubmission,
)
from consultations.services import consultation as consultations
from consultations.services.responses import response_get_or_create, response_save, response_submit
from demo.loader.organisations import DOMAIN
from demo.loader.workdays import add_working_days, at, office_time, working_days_between
from portal.models import User
from tenders.models import Milestone, Programme

SLUG = "marktconsultatie-gt-werkplek"
# What each demo supplier answered (its user's e-mail, the raw answers per question key).
RESPONSES: list[tuple[str, dict[str, object]]] = [
    (
        f"verkoop@voorbeeldhardware.{DOMAIN}",
        {
            "levertijd": "10",
            "refurbished": "nee",
            "terugname": ["Recycling", "Gecertificeerde datavernietiging"],
            "visie-circulair": (
                "Beloon een langere garantie en de beschikbaarheid van onderdelen gedurende "
                "zeven jaar; vraag om een jaarlijkse rapportage over hergebruik."
            ),
        },
    ),
    (
        f"tender@tweedeleven.{DOMAIN}",
        {
            "levertijd": "15",
            "refurbished": "ja",
            "terugname": ["Hergebruik", "Recycling", "Gecertificeerde datavernietiging"],
            "visie-circulair": (
                "Sta gereviseerde apparaten toe met dezelfde garantie als nieuw en beoordeel "
                "de CO2-besparing per apparaat over de hele levensduur."
            ),
        },
    ),
    (
        f"aanbesteding@mobielzakelijk.{DOMAIN}",
        {
            "levertijd": "5",
            "refurbished": "ja",
            "terugname": ["Hergebruik", "Gecertificeerde datavernietiging"],
        },
    ),
]


def consultation_load(*, programme: Programme, actor: User) -> Consultation:
    existing = Consultation.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    due = {m.kind: m.due_at for m in programme.milestones.all()}
    opens_at: datetime = due[Milestone.Kind.CONSULTATION_START]
    closes_at: datetime = due[Milestone.Kind.CONSULTATION_END]
    consultation = consultations.consultation_create(
        actor=actor,
        programme=programme,
        slug=SLUG,
        title="Marktconsultatie GT Hardware – werkplek",
        introduction=(
            "De gemeenten willen vóór de aanbesteding weten wat de markt kan bieden: "
            "levertijden, circulaire opties en prijsvorming. Uw antwoorden zijn vertrouwelijk."
        ),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    _questionnaire(consultation=consultation, actor=actor)
    consultations.consultation_publish(actor=actor, consultation=consultation)
    with window_lifted(consultation):
        responses = [
            _respond(consultation=consultation, email=email, answers=answers)
            for email, answers in RESPONSES
        ]
    _date_responses(consultation=consultation, responses=responses)
    consultation = consultations.consultation_close(actor=actor, consultation=consultation)
    # The team closed it the morning after the deadline.
    closed_at = at(add_working_days(closes_at.date(), 1), 10)
    Consultation.objects.filter(pk=consultation.pk).update(closed_at=closed_at)
    consultation.closed_at = closed_at
    return consultation


def _questionnaire(*, consultation: Consultation, actor: User) -> None:
    version = consultation.versions.get()
    general = consultations.section_add(actor=actor, version=version, title="Uw organisatie")
    consultations.question_add(
        actor=actor,
        version=version,
        section=general,
        key="levertijd",
        type=Question.Type.NUMBER,
        text="Wat is uw gebruikelijke levertijd voor een standaard laptop?",
        unit="werkdagen",
    )
    consultations.question_add(
        actor=actor,
        version=version,
        section=general,
        key="refurbished",
        type=Question.Type.YES_NO,
        text="Kunt u refurbished apparatuur leveren met dezelfde garantie als nieuw?",
    )
    circular = consultations.section_add(actor=actor, version=version, title="Circulariteit")
    consultations.question_add(
        actor=actor,
        version=version,
        section=circular,
        key="terugname",
        type=Question.Type.MULTIPLE_CHOICE,
        text="Welke terugnamediensten biedt u aan?",
        options=["Hergebruik", "Recycling", "Gecertificeerde datavernietiging"],
    )
    consultations.question_add(
        actor=actor,
        version=version,
        section=circular,
        key="visie-circulair",
        type=Question.Type.LONG_TEXT,
        text="Hoe zou u circulariteit in dit contract belonen?",
        max_length=2000,
        required=False,
    )
    consultations.questionnaire_publish(actor=actor, version=version)


@contextmanager
def window_lifted(consultation: Consultation) -> Iterator[None]:
    """Record responses as if the consultation were open; its period is unchanged after."""
    closes_at = consultation.closes_at
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=now + timedelta(hours=1))
    try:
        yield
    finally:
        Consultation.objects.filter(pk=consultation.pk).update(closes_at=closes_at)
        consultation.refresh_from_db()


def _respond(
    *, consultation: Consultation, email: str, answers: dict[str, object]
) -> ConsultationResponse:
    actor = User.objects.get(email=email)
    consultation.refresh_from_db()
    response = response_get_or_create(actor=actor, consultation=consultation)
    response = response_save(actor=actor, response=response, answers=answers)
    return response_submit(actor=actor, response=response)


def _date_responses(*, consultation: Consultation, responses: list[ConsultationResponse]) -> None:
    """Each supplier submitted on its own working day inside the consultation's period."""
    days = working_days_between(
        timezone.localdate(consultation.opens_at), timezone.localdate(consultation.closes_at)
    )
    for index, response in enumerate(responses):
        day = days[(index + 1) * len(days) // (len(responses) + 1)]
        submitted = office_time(day, index * 3 + 1)
        ConsultationResponse.objects.filter(pk=response.pk).update(
            submitted_at=submitted, updated_at=submitted
        )
        ResponseSubmission.objects.filter(response=response).update(submitted_at=submitted)
        Answer.objects.filter(response=response).update(
            updated_at=submitted - timedelta(minutes=20)
        )
