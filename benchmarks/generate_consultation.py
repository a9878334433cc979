"""Benchmark data of the market consultation (called by benchmarks/generate.py, after
``django.setup()``).

Two consultations of the benchmark programme with the same questionnaire (25 questions over 4
sections, every question type) and the same suppliers' responses:

- ``OPEN_SLUG``: published and open, with documents, clarification questions (most published)
  and 1-on-1 talk slots (one booked by most responding suppliers);
- ``CLOSED_SLUG``: closed after its deadline, with the same responses and clarifications, and an
  ``AnswerReview`` for every open-text answer of a submitted response, so the review pages and
  the anonymised report can be measured.

The consultations and their questionnaires go through the services (few rows, and they keep
the invariants: one draft version, published versions immutable, keys, audit). Responses,
answers, reviews, clarifications and talk slots are bulk inserts, consistent with the models'
constraints (one response and one talk per supplier, numbered published clarifications with
answer and public wording, a booking time for every booked slot, an included review with text).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import Category
from consultations.models import (
    Answer,
    AnswerReview,
    ClarificationQuestion,
    ConsultationResponse,
    Question,
    TalkSlot,
)
from consultations.services import consultation as consultations
from portal.models import Membership, Organisation
from suppliers.models import SupplierProfile

AMS = ZoneInfo("Europe/Amsterdam")
T = Question.Type
OPEN_SLUG = "marktconsultatie-gt-werkplek-2027"
CLOSED_SLUG = "marktconsultatie-gt-werkplek-2026"
SUPPLIERS_PER_SCALE = 60
CLARIFICATIONS_PER_SCALE = 40
TALK_MINUTES = 30
# The review benchmark pages: one multiple-choice and one long-text question.
MULTIPLE_CHOICE_KEY = "diensten"
LONG_TEXT_KEY = "visie-circulair"
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

BRANDS = ["Dell", "HP", "Lenovo", "Apple", "Microsoft", "Samsung", "Fairphone", "Acer"]
SERVICES = [
    "Levering op locatie",
    "Installatie en uitrol",
    "Beheer en monitoring",
    "Inname en hergebruik",
    "Gecertificeerde dataverwijdering",
    "Reparatie op locatie",
    "Servicedesk",
]

# (section title, [question definitions]); 6 + 7 + 6 + 6 = 25 questions.
QUESTIONNAIRE: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "Uw organisatie",
        [
            {
                "key": "rol-in-keten",
                "type": T.SHORT_TEXT,
                "text": "Wat is uw rol in de keten (fabrikant, distributeur, reseller, "
                "dienstverlener)?",
            },
            {
                "key": "omvang",
                "type": T.SINGLE_CHOICE,
                "text": "Hoe groot is uw organisatie?",
                "options": [
                    "Minder dan 10 medewerkers",
                    "10 tot 50 medewerkers",
                    "50 tot 250 medewerkers",
                    "250 medewerkers of meer",
                ],
            },
            {
                "key": "medewerkers-overheid",
                "type": T.NUMBER,
                "text": "Hoeveel medewerkers werken voor klanten in de publieke sector?",
                "unit": "fte",
            },
            {
                "key": "iso-27001",
                "type": T.YES_NO,
                "text": "Bent u gecertificeerd voor ISO 27001?",
            },
            {
                "key": "merken",
                "type": T.MULTIPLE_CHOICE,
                "text": "Van welke merken levert u werkplekapparatuur?",
                "options": BRANDS,
            },
            {
                "key": "ervaring-overheid",
                "type": T.LONG_TEXT,
                "text": "Beschrijf uw ervaring met raamovereenkomsten voor overheden.",
                "max_length": 4000,
            },
        ],
    ),
    (
        "Levering en logistiek",
        [
            {
                "key": "levertijd",
                "type": T.NUMBER,
                "text": "Wat is uw gebruikelijke levertijd voor een standaard laptop?",
                "unit": "werkdagen",
            },
            {
                "key": "eerste-levering",
                "type": T.DATE,
                "text": "Vanaf welke datum kunt u leveren aan de deelnemende gemeenten?",
            },
            {
                "key": "leveringsmodel",
                "type": T.SINGLE_CHOICE,
                "text": "Welk leveringsmodel heeft uw voorkeur?",
                "options": [
                    "Centraal magazijn per gemeente",
                    "Levering op de werkplek",
                    "Afhaalpunt per regio",
                ],
            },
            {
                "key": "landelijke-dekking",
                "type": T.YES_NO,
                "text": "Kunt u in alle provincies binnen dezelfde levertijd leveren?",
            },
            {
                "key": "piekleveringen",
                "type": T.LONG_TEXT,
                "text": "Hoe vangt u piekleveringen op, bijvoorbeeld bij een gelijktijdige "
                "vervanging van alle laptops?",
                "max_length": 3000,
            },
            {
                "key": MULTIPLE_CHOICE_KEY,
                "type": T.MULTIPLE_CHOICE,
                "text": "Welke diensten rond de werkplek biedt u aan?",
                "options": SERVICES,
            },
            {
                "key": "magazijn-regio",
                "type": T.SHORT_TEXT,
                "text": "In welke regio ligt uw magazijn?",
                "required": False,
            },
        ],
    ),
    (
        "Circulariteit en duurzaamheid",
        [
            {
                "key": "refurbished",
                "type": T.YES_NO,
                "text": "Kunt u refurbished apparatuur leveren met dezelfde garantie als nieuw?",
            },
            {
                "key": "terugname",
                "type": T.MULTIPLE_CHOICE,
                "text": "Welke terugnamediensten biedt u aan?",
                "options": ["Hergebruik", "Recycling", "Gecertificeerde datavernietiging"],
            },
            {
                "key": "gerecycled-materiaal",
                "type": T.NUMBER,
                "text": "Welk aandeel gerecycled materiaal zit gemiddeld in uw laptops?",
                "unit": "procent",
                "required": False,
            },
            {
                "key": LONG_TEXT_KEY,
                "type": T.LONG_TEXT,
                "text": "Hoe zou u circulariteit in dit contract belonen?",
                "max_length": 4000,
            },
            {
                "key": "co2-prestatieladder",
                "type": T.SINGLE_CHOICE,
                "text": "Op welk niveau van de CO2-prestatieladder bent u gecertificeerd?",
                "options": ["Niet", "Niveau 1 of 2", "Niveau 3", "Niveau 4", "Niveau 5"],
            },
            {
                "key": "duurzaamheidsverslag",
                "type": T.FILE,
                "text": "Voeg uw meest recente duurzaamheidsverslag toe (PDF).",
                "required": False,
            },
        ],
    ),
    (
        "Prijzen en contract",
        [
            {
                "key": "prijzen",
                "type": T.PRICE_PER_ITEM,
                "text": "Wat is uw indicatieve stuksprijs per catalogusitem (excl. btw)?",
            },
            {
                "key": "prijsindexatie",
                "type": T.SINGLE_CHOICE,
                "text": "Welke vorm van prijsindexatie heeft uw voorkeur?",
                "options": [
                    "Vaste prijzen",
                    "Jaarlijkse indexatie (CBS)",
                    "Marktconforme herziening per kwartaal",
                ],
            },
            {
                "key": "perceelindeling",
                "type": T.LONG_TEXT,
                "text": "Wat vindt u van de voorgestelde perceelindeling?",
                "max_length": 3000,
            },
            {
                "key": "prijsgeldigheid",
                "type": T.DATE,
                "text": "Tot welke datum zijn uw indicatieve prijzen geldig?",
            },
            {
                "key": "looptijd-vier-jaar",
                "type": T.YES_NO,
                "text": "Kunt u zich vinden in een looptijd van vier jaar?",
            },
            {
                "key": "betalingstermijn",
                "type": T.SHORT_TEXT,
                "text": "Welke betalingstermijn hanteert u?",
                "required": False,
            },
        ],
    ),
]

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


@dataclass
class Plan:
    """One supplier's response, shared by both consultations."""

    organisation: Organisation
    user_id: int
    submitted: bool
    answers: dict[str, Any] = field(default_factory=dict)
    # question key → redacted text (included) or None (left out), for open answers
    reviews: dict[str, str | None] = field(default_factory=dict)


def generate_consultations(*, programme, scale: int, rng, actor) -> dict[str, Any]:
    started = time.perf_counter()
    suppliers = sorted(
        Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER),
        key=lambda o: int(o.slug.rsplit("-", 1)[1]),
    )
    _supplier_profiles(suppliers)
    responding = suppliers[: SUPPLIERS_PER_SCALE * scale]
    first_user = {}
    for organisation_id, user_id in (
        Membership.objects.filter(organisation__in=responding)
        .order_by("organisation_id", "id")
        .values_list("organisation_id", "user_id")
    ):
        first_user.setdefault(organisation_id, user_id)
    now = timezone.now().replace(second=0, microsecond=0)
    categories = list(
        Category.objects.exclude(kind=Category.Kind.SERVICE).order_by("sort_order", "slug")
    )
    open_consultation = _consultation(
        actor=actor,
        programme=programme,
        slug=OPEN_SLUG,
        title="Marktconsultatie GT Hardware – werkplek 2027",
        opens_at=now - timedelta(days=14),
        closes_at=now + timedelta(days=30),
        categories=categories,
    )
    closed_consultation = _consultation(
        actor=actor,
        programme=programme,
        slug=CLOSED_SLUG,
        title="Marktconsultatie GT Hardware – werkplek 2026",
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=30),
        categories=categories,
    )
    for title in ("Concept programma van eisen", "Toelichting op de percelen"):
        consultations.document_upload(
            actor=actor,
            consultation=open_consultation,
            title=title,
            file=SimpleUploadedFile("document.pdf", TINY_PDF, "application/pdf"),
        )
    questions = list(
        open_consultation.versions.get()
        .questions.prefetch_related("categories")
        .order_by("section__order", "order")
    )
    file_name = Answer._meta.get_field("file").storage.save(
        "consultation-responses/bench/duurzaamheidsverslag.pdf", ContentFile(TINY_PDF)
    )
    plans = [
        _plan(i, organisation, first_user[organisation.pk], questions, rng)
        for i, organisation in enumerate(responding)
    ]
    for consultation, closed in ((open_consultation, False), (closed_consultation, True)):
        _responses(consultation, plans, file_name=file_name, reviewed=closed, actor=actor)
        _clarifications(consultation, plans, scale=scale, rng=rng, actor=actor)
    _talk_slots(open_consultation, plans, now=now, rng=rng)
    consultations.consultation_close(actor=actor, consultation=closed_consultation)
    return {
        "consultation suppliers": len(plans),
        "consultation responses": ConsultationResponse.objects.filter(
            consultation=open_consultation
        ).count(),
        "consultation submitted": sum(1 for p in plans if p.submitted),
        "consultation answers": Answer.objects.filter(
            response__consultation=open_consultation
        ).count(),
        "consultation reviews": AnswerReview.objects.count(),
        "consultation clarifications": ClarificationQuestion.objects.filter(
            consultation=open_consultation
        ).count(),
        "consultation talk slots": TalkSlot.objects.filter(consultation=open_consultation).count(),
        "consultation seconds": time.perf_counter() - started,
    }


def _supplier_profiles(suppliers: list[Organisation]) -> None:
    """Every registered supplier has its registration details (KvK number, address, VAT)."""
    cities = ["Utrecht", "Amersfoort", "Eindhoven", "Zwolle", "Rotterdam", "Groningen"]
    SupplierProfile.objects.bulk_create(
        [
            SupplierProfile(
                organisation=organisation,
                kvk_number=f"{70_000_000 + i:08d}",
                street="Industrieweg",
                house_number=str(1 + i % 250),
                postcode=f"{1000 + i % 8999} AB",
                city=cities[i % len(cities)],
                vat_number=f"NL{800_000_000 + i:09d}B01",
            )
            for i, organisation in enumerate(suppliers)
        ],
        batch_size=2000,
    )


def _consultation(*, actor, programme, slug, title, opens_at, closes_at, categories):
    """A published consultation with the benchmark questionnaire, through the services."""
    consultation = consultations.consultation_create(
        actor=actor,
        programme=programme,
        slug=slug,
        title=title,
        introduction=(
            "De gemeenten willen vóór de aanbesteding weten wat de markt kan bieden: "
            "levertijden, circulaire opties en prijsvorming. Uw antwoorden zijn vertrouwelijk."
        ),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    version = consultation.versions.get()
    for title_, definitions in QUESTIONNAIRE:
        section = consultations.section_add(actor=actor, version=version, title=title_)
        for definition in definitions:
            consultations.question_add(
                actor=actor,
                version=version,
                section=section,
                categories=categories if definition["type"] == T.PRICE_PER_ITEM else None,
                **definition,
            )
    consultations.questionnaire_publish(actor=actor, version=version)
    return consultations.consultation_publish(actor=actor, consultation=consultation)


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


def _plan(i: int, organisation, user_id: int, questions: list[Question], rng) -> Plan:
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


def _responses(consultation, plans: list[Plan], *, file_name: str, reviewed: bool, actor):
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


def _clarifications(consultation, plans: list[Plan], *, scale: int, rng, actor) -> None:
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
            row.answer = "Deze vraag valt buiten de reikwijdte van de marktconsultatie."
            row.answered_by = actor
        rows.append(row)
    ClarificationQuestion.objects.bulk_create(rows, batch_size=2000)


def _talk_slots(consultation, plans: list[Plan], *, now: datetime, rng) -> None:
    """Talks of 30 minutes on weekdays from 9:00 to 17:00 (Amsterdam time), from next week on:
    one for each responding supplier, booked by nine in ten of them (the benchmark supplier
    included); the others stay free."""
    starts: list[datetime] = []
    day = (now.astimezone(AMS) + timedelta(days=7)).date()
    while len(starts) < len(plans):
        if day.weekday() < 5:
            for slot in range(16):
                if len(starts) < len(plans):
                    starts.append(
                        datetime(day.year, day.month, day.day, 9, tzinfo=AMS)
                        + timedelta(minutes=TALK_MINUTES * slot)
                    )
        day += timedelta(days=1)
    slots = []
    for i, (start, plan) in enumerate(zip(starts, plans, strict=True)):
        slot = TalkSlot(
            consultation=consultation,
            starts_at=start,
            ends_at=start + timedelta(minutes=TALK_MINUTES),
            location="Utrecht, Nieuwe Uitleg 1" if i % 2 else "Online (videoverbinding)",
        )
        if i == 1 or rng.random() < 0.9:
            slot.organisation = plan.organisation
            slot.booked_by_id = plan.user_id
            slot.booked_at = now - timedelta(hours=i % 48)
        slots.append(slot)
    TalkSlot.objects.bulk_create(slots, batch_size=2000)


def consultation_paths() -> dict[str, str]:
    """URL parts of the consultation scenarios in benchmarks/__main__.py."""
    return {
        "consultation": OPEN_SLUG,
        "closed_consultation": CLOSED_SLUG,
        "multiple_choice_key": MULTIPLE_CHOICE_KEY,
        "long_text_key": LONG_TEXT_KEY,
    }
