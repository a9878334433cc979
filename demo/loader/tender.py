"""The tender the project team prepared on the frozen figures: a draft with its award criteria,
requirements (sustainability as data, exclusion and suitability of the UEA), a timeline on
working days that keeps the legal periods (35 days for bids, answers 6 days before the bid
deadline, a 20-day standstill) and its generated document set, ready to be published with four
eyes (``publication``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from demo.loader.workdays import add_working_days, at, is_chosen_day
from portal.models import User
from tenders.models import DocumentVersion, Milestone, Programme, Tender
from tenders.selectors.periods import day_off
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


def deadline_day(day: date) -> date:
    """``day`` or the first day after it that a person would choose and that is no day off for
    the legal periods either (those count Liberation Day every year, and Good Friday)."""
    while not is_chosen_day(day) or day_off(day):
        day += timedelta(days=1)
    return day


def _working_day_after(day: date, days: int) -> date:
    """The first deadline day at least ``days`` calendar days after ``day``."""
    return deadline_day(day + timedelta(days=days))


def tender_timeline(publication: datetime) -> dict[str, datetime]:
    """The tender's moments for a dispatch of the notice at ``publication``: four weeks for
    questions, the last answers a week later, the bids at least 42 days after the dispatch
    (more than the 35 of art. 27(1)) and a week after the last answers (more than the 6 days
    of art. 47(3)(a)), the award decision three weeks after the opening and a standstill of
    more than the 20 days of Aw art. 2.127."""
    dispatch = timezone.localdate(publication)
    questions = deadline_day(add_working_days(dispatch, 20))
    answers = deadline_day(add_working_days(questions, 5))
    bids = max(_working_day_after(dispatch, 42), _working_day_after(answers, 7))
    decision = deadline_day(add_working_days(bids, 15))
    standstill = _working_day_after(decision, 21)
    return {
        "publication_at": publication,
        "question_deadline_at": at(questions, 12),
        "answers_at": at(answers, 17),
        "bid_deadline_at": at(bids, 12),
        "opening_at": at(bids, 14),
        "award_decision_at": at(decision, 12),
        "standstill_end_at": at(standstill, 17),
    }


def tender_load(*, programme: Programme, actor: User) -> Tender:
    """The draft tender, built by the team in the days after the freeze; a tender loaded
    before is left as it is."""
    tender = Tender.objects.filter(programme=programme).first()
    if tender is not None:
        return tender
    tender = tender_create(actor=actor, programme=programme)
    award_criteria_set(actor=actor, tender=tender, criteria=CRITERIA)
    requirements_set(actor=actor, tender=tender, requirements=REQUIREMENTS)
    planned = programme.milestone_at(Milestone.Kind.PLANNED_PUBLICATION)
    tender_timeline_set(
        actor=actor,
        tender=tender,
        contract_start=tender.contract_start,
        **tender_timeline(planned),
    )
    publication = timezone.localdate(planned)
    freeze = timezone.localdate(programme.milestone_at(Milestone.Kind.FREEZE))
    Tender.objects.filter(pk=tender.pk).update(created_at=at(add_working_days(freeze, 1), 10))
    # The team generated the document set two working days before the publication (a worker
    # renders it; the demo at once). The versions carry that day, the price sheet prints it.
    requested = at(add_working_days(publication, -2), 11)
    versions = documents_request(actor=actor, tender=tender, change_note="")
    DocumentVersion.objects.filter(pk__in=[v.pk for v in versions]).update(requested_at=requested)
    for version in versions:
        document_render(version_id=version.pk)
    DocumentVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
        claimed_at=requested + timedelta(seconds=5),
        generated_at=requested + timedelta(minutes=1),
    )
    tender.refresh_from_db()
    return tender
