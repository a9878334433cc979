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

The parts are generated in modules of their own: the questionnaire and the consultations
(benchmarks/consultation_questionnaire.py), the suppliers' responses with their answers and
reviews (benchmarks/consultation_responses.py), the clarification questions
(benchmarks/consultation_clarifications.py) and the talk slots (benchmarks/consultation_talks.py).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from benchmarks.consultation_clarifications import insert_clarifications
from benchmarks.consultation_questionnaire import (
    LONG_TEXT_KEY,
    MULTIPLE_CHOICE_KEY,
    publish_consultation,
)
from benchmarks.consultation_responses import TINY_PDF, insert_responses, plan_response
from benchmarks.consultation_talks import insert_talk_slots
from catalog.models import Category
from consultations.models import (
    Answer,
    AnswerReview,
    ClarificationQuestion,
    ConsultationResponse,
    TalkSlot,
)
from consultations.services import consultation as consultations
from portal.models import Membership, Organisation
from suppliers.models import SupplierProfile

OPEN_SLUG = "marktconsultatie-gt-werkplek-2027"
BENCH_SUPPLIER = "leverancier-1"  # the benchmark supplier persona's company
CLOSED_SLUG = "marktconsultatie-gt-werkplek-2026"
SUPPLIERS_PER_SCALE = 60


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
    open_consultation = publish_consultation(
        actor=actor,
        programme=programme,
        slug=OPEN_SLUG,
        title="Marktconsultatie GT Hardware – werkplek 2027",
        opens_at=now - timedelta(days=14),
        closes_at=now + timedelta(days=30),
        categories=categories,
    )
    closed_consultation = publish_consultation(
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
        plan_response(i, organisation, first_user[organisation.pk], questions, rng)
        for i, organisation in enumerate(responding)
    ]
    for consultation, closed in ((open_consultation, False), (closed_consultation, True)):
        insert_responses(consultation, plans, file_name=file_name, reviewed=closed, actor=actor)
        insert_clarifications(consultation, plans, scale=scale, rng=rng, actor=actor)
    insert_talk_slots(open_consultation, plans, now=now, rng=rng)
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
                verification_status="verified",
                vat_number=f"NL{800_000_000 + i:09d}B01",
            )
            for i, organisation in enumerate(suppliers)
        ],
        batch_size=2000,
    )


def consultation_paths() -> dict[str, str]:
    """URL parts of the consultation scenarios in benchmarks/pages.py."""
    own = ConsultationResponse.objects.select_related("consultation__programme").get(
        consultation__slug=OPEN_SLUG, organisation__slug=BENCH_SUPPLIER
    )
    reviewed = (
        Answer.objects.filter(
            response__consultation__slug=CLOSED_SLUG,
            response__status=ConsultationResponse.Status.SUBMITTED,
            question_key=LONG_TEXT_KEY,
        )
        .exclude(value="")
        .order_by("response__organisation__name")
        .values_list("response__public_id", flat=True)
        .first()
    )
    return {
        "consultation": OPEN_SLUG,
        "closed_consultation": CLOSED_SLUG,
        "multiple_choice_key": MULTIPLE_CHOICE_KEY,
        "long_text_key": LONG_TEXT_KEY,
        "consultation_programme": own.consultation.programme.slug,
        "supplier_slug": BENCH_SUPPLIER,
        "response": str(own.public_id),
        "submission": str(own.submissions.order_by("-number").values_list("number", flat=True)[0]),
        "closed_response": str(reviewed),
    }
