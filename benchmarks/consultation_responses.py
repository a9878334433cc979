"""The suppliers' responses of the benchmark consultations (see
benchmarks/generate_consultation.py): one plan per responding supplier, shared by both
consultations (most submit, one in eight keeps a draft), bulk inserted as responses and answers,
with a review of every open answer of a submitted response in the closed consultation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from consultations.models import (
    Answer,
    AnswerReview,
    Consultation,
    ConsultationResponse,
    Question,
    ResponseSubmission,
)
from portal.models import Organisation

T = Question.Type
OPEN_TYPES = (T.SHORT_TEXT, T.LONG_TEXT)

# A tiny, valid PDF without active content (for documents and file answers).
TINY_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n"
    b"%%EOF\n"
)

SHORT_ANSWERS = {
    "rol-in-keten": ["Reseller", "Distributeur", "Fabrikant", "Dienstverlener en reseller"],
    "magazijn-regio": ["Utrecht", "Noord-Brabant", "Randstad", "Gelderland", "Zuid-Holland"],
    "betalingstermijn": ["30 dagen", "14 dagen", "30 dagen na levering", "60 dagen"],
}
SENTENCES = [
    "Wij leveren al ruim tien jaar werkplekapparatuur aan gemeenten en waterschappen.",
    "Onze ervaring is dat een gefaseerde uitrol per gemeente de minste overlast geeft.",
    "Wij werken met vaste accountmanagers per regio en een centrale servicedesk.",
    "Bij grote vervangingsrondes plannen wij de leveringen samen met de gemeente per week.",
    "Refurbished laptops krijgen bij ons dezelfde garantie van drie jaar als nieuwe.",
    "Wij adviseren om de levensduur van apparaten in het contract te belonen.",
    "Een terugnameregeling met certificaat van dataverwijdering hoort standaard te zijn.",
    "Wij houden een buffervoorraad aan van ongeveer zes weken voor de meest gevraagde modellen.",
    "De voorgestelde percelen sluiten goed aan bij hoe de markt georganiseerd is.",
    "Kleinere leveranciers hebben baat bij een apart perceel voor randapparatuur.",
    "Wij zien graag een gunningscriterium voor de CO2-uitstoot van transport.",
    "Prijsindexatie op basis van de CBS-index geeft beide partijen zekerheid.",
    "Onze logistiek partner levert dagelijks in het hele land, ook op de Waddeneilanden.",
    "Wij stellen voor om reparatie op locatie als optionele dienst op te nemen.",
    "Een looptijd van vier jaar met twee keer een optie tot verlenging is gebruikelijk.",
    "Voor piekleveringen schakelen wij extra monteurs in via vaste onderaannemers.",
]


@dataclass
class Plan:
    """One supplier's response, shared by both consultations."""

    organisation: Organisation
    user_id: int
    submitted: bool
    answers: dict[str, Any] = field(default_factory=dict)
    # question key → redacted text (included) or None (left out), for open answers
    reviews: dict[str, str | None] = field(default_factory=dict)


def _text(rng, low: int, high: int) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(low, high)))


def _answer(question: Question, organisation: Organisation, rng) -> tuple[Any, str | None]:
    """A stored answer value and, for open text, the text the review publishes (None: the
    answer is left out of the report). Some open answers name the supplier or give a phone
    number or e-mail address, which the review removes."""
    kind = question.type
    if kind in OPEN_TYPES:
        if kind == T.SHORT_TEXT:
            clean = rng.choice(SHORT_ANSWERS.get(question.key, ["Zie toelichting"]))
            identifying = f"{clean} ({organisation.name})"
        else:
            clean = _text(rng, 3, 8)
            contact = rng.choice(
                [
                    f"Namens {organisation.name} beantwoorden wij graag uw vragen.",
                    "Neem voor vragen contact op via 030 123 4567.",
                    f"Mail ons op verkoop@{organisation.slug}.nl voor een toelichting.",
                ]
            )
            identifying = f"{clean} {contact}"
        text = identifying if rng.random() < 0.2 else clean
        review = clean if rng.random() < 0.85 else None
        return text, review
    if kind == T.SINGLE_CHOICE:
        return rng.choice(question.options), None
    if kind == T.MULTIPLE_CHOICE:
        chosen = set(rng.sample(question.options, rng.randint(1, len(question.options))))
        return [o for o in question.options if o in chosen], None
    if kind == T.YES_NO:
        return rng.random() < 0.7, None
    if kind == T.NUMBER:
        return str(Decimal(rng.randint(1, 400)) / (1 if rng.random() < 0.7 else 2)), None
    if kind == T.DATE:
        return (date(2027, 1, 1) + timedelta(days=rng.randint(0, 700))).isoformat(), None
    if kind == T.PRICE_PER_ITEM:
        prices = {
            str(c.pk): str(Decimal(rng.randint(2_000, 150_000)) / 100)
            for c in question.categories.all()
            if rng.random() < 0.9
        }
        return prices or {str(question.categories.all()[0].pk): "100.00"}, None
    raise ValueError(kind)  # file answers are stored apart


def plan_response(i: int, organisation, user_id: int, questions: list[Question], rng) -> Plan:
    """Most suppliers submit (every required question answered, most optional ones too);
    one in eight keeps a draft with part of the questions answered."""
    submitted = i % 8 != 5
    plan = Plan(organisation=organisation, user_id=user_id, submitted=submitted)
    share = 1.0 if submitted else rng.uniform(0.3, 0.9)
    for question in questions:
        if question.type == T.FILE:
            if rng.random() < 0.3 * share:
                plan.answers[question.key] = "file"
            continue
        if rng.random() >= share or (not question.required and rng.random() < 0.3):
            continue
        value, review = _answer(question, organisation, rng)
        plan.answers[question.key] = value
        if question.type in OPEN_TYPES:
            plan.reviews[question.key] = review
    return plan


def insert_responses(consultation, plans: list[Plan], *, file_name: str, reviewed: bool, actor):
    version = consultation.versions.get()
    now = timezone.now()
    submitted_at = min(now, consultation.closes_at) - timedelta(days=1)
    responses = ConsultationResponse.objects.bulk_create(
        [
            ConsultationResponse(
                consultation=consultation,
                organisation=plan.organisation,
                version=version,
                status=ConsultationResponse.Status.SUBMITTED
                if plan.submitted
                else ConsultationResponse.Status.DRAFT,
                submitted_at=submitted_at if plan.submitted else None,
                updated_at=submitted_at,
                updated_by_id=plan.user_id,
            )
            for plan in plans
        ],
        batch_size=2000,
    )
    file_value = {
        "name": "duurzaamheidsverslag.pdf",
        "size": len(TINY_PDF),
        "sha256": hashlib.sha256(TINY_PDF).hexdigest(),
    }
    answers = []
    for response, plan in zip(responses, plans, strict=True):
        for key, value in plan.answers.items():
            if value == "file":
                answers.append(
                    Answer(response=response, question_key=key, value=file_value, file=file_name)
                )
            else:
                answers.append(Answer(response=response, question_key=key, value=value))
    answers = Answer.objects.bulk_create(answers, batch_size=5000)
    # What each submitted response sent, frozen (the receipts and submission pages read it).
    ResponseSubmission.objects.bulk_create(
        [
            ResponseSubmission(
                response=response,
                number=1,
                version=version,
                answers={
                    key: file_value if value == "file" else value
                    for key, value in plan.answers.items()
                },
                files=[file_name] if "file" in plan.answers.values() else [],
                submitted_at=submitted_at,
                submitted_by_id=plan.user_id,
            )
            for response, plan in zip(responses, plans, strict=True)
            if plan.submitted
        ],
        batch_size=2000,
    )
    if not reviewed:
        return
    by_response = {response.pk: plan for response, plan in zip(responses, plans, strict=True)}
    reviews = []
    for answer in answers:
        plan = by_response[answer.response_id]
        if not plan.submitted or answer.question_key not in plan.reviews:
            continue
        text = plan.reviews[answer.question_key]
        reviews.append(
            AnswerReview(
                answer=answer,
                include=text is not None,
                redacted_text=text or "",
                reviewed_by=actor,
            )
        )
    AnswerReview.objects.bulk_create(reviews, batch_size=5000)
    # As answer_review does for each review: counts kept of the reviews before are not used.
    Consultation.objects.filter(pk=consultation.pk).raise_review_revision()
