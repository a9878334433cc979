"""The tender the project team is preparing on the frozen figures: a draft with its award
criteria, requirements (sustainability as data, exclusion and suitability of the UEA), a
timeline on working days that keeps the legal periods (35 days for bids, answers 6 days before
the bid deadline, a 20-day standstill) and its generated document set, ready to be published
with four eyes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from demo.loader.workdays import add_working_days, at, is_chosen_day
from portal.models import User
from tenders.models import Milestone, Programme, Tender
from tenders.services.documents import document_render, documents_request
from tenders.services.tender import (
    CriterionData,
    RequirementData,
    award_criteria_set,
    requirements_set,
    tender_create,
    tender_timeline_set,
)

CRITERIA = [
    CriterionData("price", "Prijs", 40, "Totaalprijs van het prijzenblad over de looptijd."),
    CriterionData("quality", "Levering, installatie en service", 25),
    CriterionData("sustainability", "Circulariteit: levensduur, reparatie en terugname", 25),
    CriterionData("quality", "Informatiebeveiliging in de keten", 10),
]
REQUIREMENTS = [
    RequirementData(
        "tco_certified",
        "Alle laptops, desktops en monitoren zijn TCO Certified (generatie 10 of later).",
        level="generatie 10",
    ),
    RequirementData(
        "epeat",
        "Alle apparaten zijn bij aanbieding EPEAT Gold geregistreerd in Nederland.",
        level="Gold",
    ),
    RequirementData(
        "take_back",
        "De leverancier neemt afgedankte apparatuur kosteloos terug en rapporteert hergebruik.",
    ),
    RequirementData(
        "data_erasure",
        "Gegevensdragers worden gewist volgens NIST 800-88 met een certificaat per apparaat.",
        level="NIST 800-88 Purge",
    ),
    RequirementData(
        "sroi",
        "Ten minste 5 % van de opdrachtwaarde wordt besteed aan social return.",
        amount=Decimal("5"),
        mandatory=False,
    ),
    RequirementData(
        "exclusion",
        "Geen verplichte of facultatieve uitsluitingsgrond (Aanbestedingswet 2012 art. 2.86 en "
        "2.87); aangetoond met het UEA deel III.",
    ),
    RequirementData(
        "turnover",
        "Een gemiddelde jaaromzet van ten minste € 2.000.000 over de laatste drie boekjaren.",
        amount=Decimal("2000000"),
    ),
    RequirementData(
        "references",
        "Twee vergelijkbare leveringen aan overheden in de laatste drie jaar.",
        level="2",
    ),
    RequirementData(
        "certification",
        "Een geldig ISO/IEC 27001-certificaat voor de dienstverlening.",
        level="ISO/IEC 27001",
    ),
]


def _working_day_after(day, days: int):
    """The first chosen day at least ``days`` calendar days after ``day``."""
    target = day + timedelta(days=days)
    while not is_chosen_day(target):
        target += timedelta(days=1)
    return target


def tender_load(*, programme: Programme, actor: User) -> Tender:
    tender = Tender.objects.filter(programme=programme).first()
    if tender is not None:
        return tender
    tender = tender_create(actor=actor, programme=programme)
    award_criteria_set(actor=actor, tender=tender, criteria=CRITERIA)
    requirements_set(actor=actor, tender=tender, requirements=REQUIREMENTS)
    planned = programme.milestone_at(Milestone.Kind.PLANNED_PUBLICATION)
    publication = timezone.localdate(planned)
    questions = add_working_days(publication, 10)
    bids = _working_day_after(publication, 42)  # more than the 35 days of art. 27(1)
    answers = add_working_days(questions, 5)
    decision = add_working_days(bids, 15)
    standstill = _working_day_after(decision, 21)  # more than the 20 days of Aw art. 2.127
    tender_timeline_set(
        actor=actor,
        tender=tender,
        contract_start=tender.contract_start,
        publication_at=planned,
        question_deadline_at=at(questions, 12),
        answers_at=at(answers, 17),
        bid_deadline_at=at(bids, 12),
        opening_at=at(bids, 14),
        award_decision_at=at(decision, 12),
        standstill_end_at=at(standstill, 17),
    )
    # The team generated the document set (a worker renders it; the demo at once).
    for version in documents_request(actor=actor, tender=tender, change_note=""):
        document_render(version_id=version.pk)
    return tender
