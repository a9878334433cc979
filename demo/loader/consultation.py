"""The market consultation: published with its questionnaire for exactly the period of the
programme's consultation milestones, and closed by the project team after it ended, so that
the review and the anonymised report can start."""

from __future__ import annotations

from datetime import datetime

from consultations.models import Consultation, Question
from consultations.services import consultation as consultations
from demo.loader.workdays import add_working_days, at
from portal.models import User
from tenders.models import Milestone, Programme

SLUG = "marktconsultatie-gt-werkplek"


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
