"""Benchmark data of the tender: ``generate_tender`` is called by benchmarks/generate.py;
``python -m benchmarks.generate_tender --publish`` publishes the tender once the document
benchmark (benchmarks/documents.py) has rendered its documents, as the worker would.

A second programme, ``TENDER_SLUG``, a phase further than the main one: every municipality of
the data set takes part for itself (342 at 1×, 3,420 at 10×), each with a submitted demand for
every device and peripheral category × 4 contract years (bulk inserts, as the main
programme's demand). From there everything goes through the services, as the demo does
(demo/loader/freeze.py and demo/loader/tender.py): the aggregation is computed and frozen, so
the snapshot names every municipality under both lots; the tender gets the demo's award
criteria and requirements and a timeline from today that keeps the legal periods, and its
document set is requested (queued: no worker runs, the document benchmark renders it). Then
``--publish``: two project-team editors publish it (four eyes), and ``ROUNDS`` notes of
clarification (nota van inlichtingen) of ``QUESTIONS`` questions each, asked by as many
suppliers, are answered and published with four eyes; ``OPEN_QUESTIONS`` questions stay open.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import timedelta
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.demand_versions import write_submitted_demand  # noqa: E402
from catalog.models import Category, CpvCode
from demo.loader.programme import LOTS
from demo.loader.tender import CRITERIA, REQUIREMENTS
from demo.loader.workdays import add_working_days, at, first_working_day_of_month
from municipalities.models import (
    CoveredMunicipality,
    Demand,
    DemandVersionLine,
    Municipality,
    Participation,
)
from portal.models import Membership, Organisation, User
from tenders.management.commands.load_reference_data import thresholds_load
from tenders.models import (
    AggregationSnapshot,
    Enquiry,
    EnquiryRound,
    Lot,
    LotAuthority,
    Milestone,
    Programme,
    ProgrammeExport,
    Tender,
)
from tenders.services.aggregation import aggregation_request, aggregation_run
from tenders.services.documents import documents_request
from tenders.services.enquiries import (
    enquiry_answer,
    enquiry_ask,
    enquiry_round_decide,
    enquiry_round_request,
)
from tenders.services.exports import export_make, export_request
from tenders.services.freeze import snapshot_freeze
from tenders.services.publication import publication_decide, publication_request
from tenders.services.tender import (
    award_criteria_set,
    requirements_set,
    tender_create,
    tender_timeline_set,
)

TENDER_SLUG = "gt-hardware-werkplek-2026"
TENDER_REFERENCE = "VNG-GT-WERKPLEK-2026"
CONTRACT_YEARS = 4
ROUNDS = 3
QUESTIONS = 8
OPEN_QUESTIONS = 4
# Two project-team editors for the four eyes (generate.py gives the team admins and editors
# in turn).
FIRST_EDITOR = "0@projectteam.bench.nl"
SECOND_EDITOR = "1@projectteam.bench.nl"
# (lot, section, question as asked, answer); the public wording is the question itself.
ASKED = [
    (
        1,
        "3.2 Geheugen",
        "Mogen de laptops ook met 8 GB geheugen worden geleverd?",
        "Nee, het minimum is 16 GB (eis 3.2).",
    ),
    (
        1,
        "4.1 Levering",
        "Wordt er geleverd op één adres per gemeente of per locatie?",
        "Per locatie; de afnemer geeft bij de nadere opdracht de adressen op.",
    ),
    (
        2,
        "2.4 Inname",
        "Telt een ingenomen smartphone mee voor de hergebruikrapportage?",
        "Ja, elk ingenomen apparaat telt mee.",
    ),
    (
        None,
        "7 Gunning",
        "Hoe wordt de prijs omgerekend naar punten?",
        "Zoals in paragraaf 7.2 "
        "van de leidraad: de laagste prijs krijgt het hoogste aantal punten.",
    ),
    (
        1,
        "3.5 Beeldschermen",
        "Is een monitor van 24 inch met USB-C toegestaan?",
        "Ja, mits hij aan de eisen van paragraaf 3.5 voldoet.",
    ),
    (
        None,
        "5 Uitsluiting",
        "Volstaat een UEA van vorig jaar?",
        "Nee, het UEA wordt voor deze aanbesteding opnieuw ingevuld.",
    ),
    (
        2,
        "2.1 Tablets",
        "Mogen tablets met een toetsenbordhoes worden aangeboden?",
        "Ja, als optie naast de tablet zonder hoes.",
    ),
    (
        1,
        "6.3 Dataverwijdering",
        "Mag de dataverwijdering op locatie gebeuren?",
        "Ja, met een certificaat per apparaat.",
    ),
]


def generate_tender(*, scale: int, actor: User) -> dict[str, Any]:
    """The tender programme with its draft tender and its document set queued; returns counts
    for BENCHMARKS.md."""
    started = time.perf_counter()
    today = timezone.localdate()
    programme = _programme(today)
    _participate_everywhere(programme)
    run = aggregation_request(programme=programme, reason="freeze", actor=actor)
    snapshot = aggregation_run(run_id=run.pk)
    assert snapshot is not None
    snapshot_freeze(actor=actor, snapshot=snapshot)
    # The frozen aggregation's workbook, made as the worker makes it: its page is measured.
    export = export_request(
        actor=actor, programme=programme, kind=ProgrammeExport.Kind.AGGREGATION, snapshot=snapshot
    )
    export_make(export_id=export.pk)
    tender = _tender(programme, actor, today)
    documents_request(actor=actor, tender=tender)
    return {
        "tender municipalities": programme.participations.count(),
        "tender authorities": LotAuthority.objects.filter(snapshot=snapshot).count(),
        "tender demand lines": DemandVersionLine.objects.filter(
            version__demand__participation__programme=programme
        ).count(),
        "tender seconds": time.perf_counter() - started,
    }


@transaction.atomic
def publish_tender() -> dict[str, Any]:
    """Publish the tender (its documents rendered) with four eyes, then the notes of
    clarification; returns counts for BENCHMARKS.md."""
    started = time.perf_counter()
    tender = Tender.objects.get(reference=TENDER_REFERENCE)
    first, second = User.objects.get(email=FIRST_EDITOR), User.objects.get(email=SECOND_EDITOR)
    asked = publication_request(actor=first, tender=tender)
    publication_decide(actor=second, request=asked, confirm=True)
    _enquiries(tender, first, second)
    return {
        "tender rounds": EnquiryRound.objects.filter(tender=tender, number__isnull=False).count(),
        "tender questions": Enquiry.objects.filter(tender=tender).count(),
        "tender publish seconds": time.perf_counter() - started,
        "paths": published_paths(),
    }


def no_worker() -> None:
    """No worker runs while the benchmark data is made: the tasks the services send after
    their commit go to an in-memory broker and are dropped, so that they never reach a broker
    a worker of another database listens on."""
    from config.celery import app

    app.conf.broker_url = "memory://"


def tender_paths() -> dict[str, str]:
    """URL parts of the tender scenarios in benchmarks/pages.py: the tender and its programme's
    frozen snapshot (with the run that made it and the first contract year)."""
    programme = Programme.objects.get(slug=TENDER_SLUG)
    snapshot = AggregationSnapshot.objects.filter(programme=programme).latest("pk")
    return {
        "tender": TENDER_REFERENCE,
        "tender_programme": TENDER_SLUG,
        "snapshot": str(snapshot.public_id),
        "run": str(snapshot.run.public_id),
        "year": str(programme.years[0]),
        "export": str(
            ProgrammeExport.objects.filter(programme=programme, status="done")
            .latest("pk")
            .public_id
        ),
    }


def published_paths() -> dict[str, str]:
    """URL parts that exist once the tender is published: an open question, a round."""
    tender = Tender.objects.get(reference=TENDER_REFERENCE)
    return {
        "enquiry": str(
            Enquiry.objects.filter(tender=tender, status=Enquiry.Status.OPEN).latest("pk").public_id
        ),
        "round": str(
            EnquiryRound.objects.filter(tender=tender, number__isnull=False).latest("pk").public_id
        ),
    }


def _programme(today) -> Programme:
    """The programme, its milestones (demand closed, frozen yesterday, to publish today) and
    its lots with the demo's names and CPV codes, without the service categories; the EU
    thresholds (the freeze compares the estimate with them)."""
    thresholds_load()
    # The framework agreements start in the first January at least six months away, after
    # the bids, the award decision and its standstill.
    start = first_working_day_of_month(today.year + 1 + (today.month > 6), 1)
    programme = Programme.objects.create(
        slug=TENDER_SLUG,
        name="GT Hardware – werkplek 2026",
        description="Gezamenlijke aanbesteding van werkplekapparatuur en mobiele apparaten.",
        status=Programme.Status.JOINING,
        contract_start_year=start.year,
        contract_years=CONTRACT_YEARS,
    )
    K = Milestone.Kind
    moments = {
        K.JOINING_OPENS: at(add_working_days(today, -80), 9),
        K.JOINING_DEADLINE: at(add_working_days(today, -40), 17),
        K.DEMAND_DEADLINE: at(add_working_days(today, -20), 17),
        K.FREEZE: at(add_working_days(today, -1), 12),
        K.PLANNED_PUBLICATION: at(add_working_days(today, 0), 9),
        K.CONTRACT_START: at(start, 0),
    }
    Milestone.objects.bulk_create(
        [Milestone(programme=programme, kind=kind, due_at=due) for kind, due in moments.items()]
    )
    for spec in LOTS:
        lot = Lot.objects.create(
            programme=programme, number=spec.number, name=spec.name, description=spec.description
        )
        lot.categories.set(
            Category.objects.filter(slug__in=spec.categories).exclude(kind=Category.Kind.SERVICE)
        )
        lot.cpv_codes.set(CpvCode.objects.filter(code__in=spec.cpv_codes))
    return programme


def _participate_everywhere(programme: Programme) -> None:
    """Every municipality joins for itself, approved, with a submitted demand (a working copy
    and one version) for every category of a lot in every contract year."""
    municipalities = list(Municipality.objects.select_related("organisation").order_by("cbs_code"))
    categories = list(Category.objects.filter(lots__programme=programme).order_by("pk"))
    now = timezone.now()
    participations = Participation.objects.bulk_create(
        [
            Participation(
                programme=programme,
                organisation=m.organisation,
                status=Participation.Status.APPROVED,
                submitted_at=now,
            )
            for m in municipalities
        ],
        batch_size=2000,
    )
    CoveredMunicipality.objects.bulk_create(
        [
            CoveredMunicipality(participation=p, municipality=m, programme=programme)
            for p, m in zip(participations, municipalities, strict=True)
        ],
        batch_size=2000,
    )
    demands = Demand.objects.bulk_create(
        [
            Demand(participation=p, status=Demand.Status.SUBMITTED, revision=1)
            for p in participations
        ],
        batch_size=2000,
    )
    quantities = [
        {
            # Deterministic, and roughly in proportion to the municipality's size.
            (m, category, year): (m.population or 20_000) // 2_000 + (n + c + year) % 40
            for c, category in enumerate(categories)
            for year in programme.years
        }
        for n, m in enumerate(municipalities)
    ]
    write_submitted_demand(demands, participations, quantities, programme.years)


def _tender(programme: Programme, actor: User, today) -> Tender:
    """The draft tender as the demo makes it, with a timeline from today: questions for ten
    working days, bids after more than 35 days, a 20-day standstill."""
    programme.refresh_from_db()
    tender = tender_create(actor=actor, programme=programme, reference=TENDER_REFERENCE)
    award_criteria_set(actor=actor, tender=tender, criteria=CRITERIA)
    requirements_set(actor=actor, tender=tender, requirements=REQUIREMENTS)
    publication = add_working_days(today, 0)
    questions = add_working_days(publication, 10)
    answers = add_working_days(questions, 5)
    bids = add_working_days(publication + timedelta(days=42), 1)
    decision = add_working_days(bids, 15)
    standstill = add_working_days(decision + timedelta(days=21), 1)
    return tender_timeline_set(
        actor=actor,
        tender=tender,
        contract_start=tender.contract_start,
        publication_at=at(publication, 9),
        question_deadline_at=at(questions, 12),
        answers_at=at(answers, 17),
        bid_deadline_at=at(bids, 12),
        opening_at=at(bids, 14),
        award_decision_at=at(decision, 12),
        standstill_end_at=at(standstill, 17),
    )


def _enquiries(tender: Tender, first: User, second: User) -> None:
    """``ROUNDS`` published rounds of ``QUESTIONS`` questions, then ``OPEN_QUESTIONS`` open
    ones; each question from another supplier (its first member)."""
    suppliers = Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).order_by("pk")
    askers = [
        (membership.user, membership.organisation)
        for membership in Membership.objects.filter(organisation__in=suppliers)
        .select_related("user", "organisation")
        .order_by("organisation_id", "pk")
    ]
    seen: set[int] = set()
    askers = [a for a in askers if not (a[1].pk in seen or seen.add(a[1].pk))]
    n = 0
    for round_number in range(ROUNDS + 1):
        count = QUESTIONS if round_number < ROUNDS else OPEN_QUESTIONS
        for _ in range(count):
            lot, section, question, answer = ASKED[n % len(ASKED)]
            user, organisation = askers[n % len(askers)]
            n += 1
            enquiry = enquiry_ask(
                actor=user,
                organisation=organisation,
                tender=tender,
                question=question,
                lot_number=lot,
                section=section,
            )
            if round_number < ROUNDS:
                enquiry_answer(
                    actor=first, enquiry=enquiry, public_question=question, answer=answer
                )
        if round_number < ROUNDS:
            round_ = enquiry_round_request(actor=first, tender=tender)
            enquiry_round_decide(actor=second, round=round_, confirm=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--publish", action="store_true", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    no_worker()
    with open(args.out, "w") as handle:
        json.dump(publish_tender(), handle)


if __name__ == "__main__":
    main()
