"""The clarification questions of the benchmark consultations (see
benchmarks/generate_consultation.py), bulk inserted: three in four published (numbered, with a
public wording and an answer), one in eight rejected for a fixed reason, the rest still open."""

from __future__ import annotations

from datetime import timedelta

from benchmarks.consultation_responses import Plan
from consultations.models import ClarificationQuestion

CLARIFICATIONS_PER_SCALE = 40
CLARIFICATIONS = [
    (
        "Moeten de prijzen inclusief of exclusief verwijderingsbijdrage worden opgegeven?",
        "Exclusief btw en inclusief verwijderingsbijdrage.",
    ),
    (
        "Is het toegestaan om voor één perceel alleen randapparatuur aan te bieden?",
        "Ja, u kunt de vragenlijst ook invullen als u maar een deel van het assortiment levert.",
    ),
    (
        "Worden de aantallen per gemeente gepubliceerd bij de aanbesteding?",
        "De geaggregeerde aantallen per perceel worden gepubliceerd, niet per gemeente.",
    ),
    (
        "Wat wordt bedoeld met een standaard laptop in vraag 2.1?",
        "Een zakelijke laptop van 14 inch met 16 GB werkgeheugen en 512 GB opslag.",
    ),
    (
        "Kunnen wij de gesprekken ook online voeren?",
        "Ja, alle gesprekken kunnen ook via een beveiligde videoverbinding plaatsvinden.",
    ),
    (
        "Geldt de looptijd van vier jaar ook voor de dienstverlening?",
        "Ja, de looptijd geldt voor leveringen en diensten samen.",
    ),
]


def insert_clarifications(consultation, plans: list[Plan], *, scale: int, rng, actor) -> None:
    """Three in four published (numbered, with a public wording and an answer), one in eight
    rejected with a reason, the rest still open. The benchmark supplier (index 1) asks a few."""
    asked = consultation.opens_at + timedelta(days=1)
    rows = []
    number = 0
    for n in range(CLARIFICATIONS_PER_SCALE * scale):
        plan = plans[1] if n % 10 == 0 else rng.choice(plans)
        question, answer = CLARIFICATIONS[n % len(CLARIFICATIONS)]
        status = (
            ClarificationQuestion.Status.PUBLISHED
            if n % 8 < 6
            else ClarificationQuestion.Status.REJECTED
            if n % 8 == 6
            else ClarificationQuestion.Status.OPEN
        )
        row = ClarificationQuestion(
            consultation=consultation,
            organisation=plan.organisation,
            asked_by_id=plan.user_id,
            asked_at=asked + timedelta(minutes=37 * n),
            question=question,
            status=status,
        )
        if status == ClarificationQuestion.Status.PUBLISHED:
            number += 1
            row.number = number
            row.public_question = question
            row.answer = answer
            row.answered_by = actor
            row.published_at = row.asked_at + timedelta(days=2)
        elif status == ClarificationQuestion.Status.REJECTED:
            # A fixed reason that concerns the asker only: nothing is published.
            row.rejection_reason = ClarificationQuestion.RejectionReason.DUPLICATE
            row.answered_by = actor
        rows.append(row)
    ClarificationQuestion.objects.bulk_create(rows, batch_size=2000)
