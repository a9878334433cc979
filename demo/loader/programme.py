"""The programme, its timeline, its lots and the reference prices.

The timeline is set relative to the day the demo is first loaded, so that the story holds
whenever it is loaded: the demand inventory closed some two months ago, the market
consultation ran after it, the demand was frozen five weeks ago, and the tender was published
two weeks after the freeze, some two and a half weeks before today. Every date is a working
day (see ``workdays``); deadlines fall at 12:00 or 17:00 Amsterdam time, and the framework
agreements start at 00:00 on the first working day of a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from catalog.models import Category, CpvCode, ReferencePrice
from demo.loader.workdays import add_working_days, at, first_working_day_of_month
from tenders.models import Lot, Milestone, Programme

K = Milestone.Kind
SLUG = "gt-hardware-werkplek"
PROGRAMME = {
    "name": "GT Hardware – werkplek",
    "description": (
        "Gezamenlijke aanbesteding van laptops, desktops, tablets, smartphones, randapparatuur "
        "en de levering, installatie, het beheer en de inname daarvan, voor Nederlandse "
        "gemeenten en hun samenwerkingsverbanden."
    ),
    "contract_years": 4,
}
# Months from planned publication to the start of the framework agreements at the least: 35
# days for bids, evaluation, the award decision, 20 days standstill, signing and the
# participants' preparation. They start in January, so that the contract years are the
# calendar years in which the participants state their demand.
MONTHS_TO_CONTRACT_START = 6


# Working days from the publication to the load day: the first round of questions has been
# answered and published, the deadline for questions is still weeks ahead.
PUBLISHED_WORKING_DAYS_AGO = 12
# Working days the project team took after the freeze for the tender and its documents.
FREEZE_TO_PUBLICATION = 10


def timeline(today: date) -> dict[str, datetime]:
    """The milestones of a programme whose tender was published
    ``PUBLISHED_WORKING_DAYS_AGO`` working days before ``today``, in the order they happen."""
    publication = add_working_days(today, -PUBLISHED_WORKING_DAYS_AGO)
    freeze = add_working_days(publication, -FREEZE_TO_PUBLICATION)
    consultation_end = add_working_days(freeze, -5)
    consultation_start = add_working_days(consultation_end, -19)
    demand_deadline = add_working_days(consultation_start, -5)
    joining_deadline = add_working_days(demand_deadline, -20)
    joining_opens = add_working_days(joining_deadline, -40)
    months = publication.month - 1 + MONTHS_TO_CONTRACT_START
    earliest_year, earliest_month = publication.year + months // 12, months % 12 + 1
    start_year = earliest_year if earliest_month == 1 else earliest_year + 1
    start = first_working_day_of_month(start_year, 1)
    return {
        K.JOINING_OPENS: at(joining_opens, 9),
        K.JOINING_DEADLINE: at(joining_deadline, 17),
        K.DEMAND_DEADLINE: at(demand_deadline, 17),
        K.CONSULTATION_START: at(consultation_start, 9),
        K.CONSULTATION_END: at(consultation_end, 12),
        K.FREEZE: at(freeze, 12),
        K.PLANNED_PUBLICATION: at(publication, 9),
        K.CONTRACT_START: at(start, 0),
    }


def programme_load(*, today: date) -> tuple[Programme, bool]:
    """The programme with its timeline; the timeline of a programme loaded before stays, so
    that its dates keep matching the story recorded against them."""
    programme = Programme.objects.filter(slug=SLUG).first()
    if programme is not None:
        return programme, False
    milestones = timeline(today)
    programme = Programme.objects.create(
        slug=SLUG,
        status=Programme.Status.JOINING,
        contract_start_year=milestones[K.CONTRACT_START].year,
        **PROGRAMME,
    )
    Milestone.objects.bulk_create(
        [Milestone(programme=programme, kind=kind, due_at=due) for kind, due in milestones.items()]
    )
    return programme, True


# Indicative reference prices (EUR excl. VAT) for the demo; the project team maintains real ones.
PRICES = {
    "laptop": "950.00",
    "desktop": "800.00",
    "tablet": "550.00",
    "smartphone": "450.00",
    "monitor": "220.00",
    "docking-station": "180.00",
    "headset": "90.00",
    "keyboard-mouse": "45.00",
    "delivery": "15.00",
    "installation": "60.00",
    "management": "120.00",
    "take-back-data-erasure": "25.00",
}
PRICE_SOURCE = "Indicatief (demo)"


# Delivery, installation, management and take-back are part of the supply lot of the hardware
# they come with, not a services lot of their own: the supplier who delivers the laptops
# installs and takes them back. In lot 2 they are part of the unit price (a catalogue category
# belongs to one lot only).
@dataclass(frozen=True)
class LotSpec:
    number: int
    name: str
    description: str
    categories: list[str]
    cpv_codes: list[str]


LOTS = [
    LotSpec(
        number=1,
        name="Werkplekapparatuur met levering en installatie",
        description=(
            "Laptops, desktops, monitoren, dockingstations, toetsenborden, muizen en headsets, "
            "met levering op locatie, installatie, beheer en inname met gecertificeerde "
            "dataverwijdering."
        ),
        categories=[
            "laptop",
            "desktop",
            "monitor",
            "docking-station",
            "keyboard-mouse",
            "headset",
            "delivery",
            "installation",
            "management",
            "take-back-data-erasure",
        ],
        cpv_codes=[
            "30213000-5",  # personal computers
            "30213100-6",  # portable computers
            "30213300-8",  # desktop computers
            "30231300-0",  # display screens
            "30237000-9",  # parts, accessories and supplies for computers
            "32342100-3",  # headphones
            "51611100-9",  # hardware installation services
            "50312000-5",  # maintenance and repair of computer equipment
        ],
    ),
    LotSpec(
        number=2,
        name="Mobiele apparaten",
        description=(
            "Smartphones en tablets. Levering, configuratie en inname met gecertificeerde "
            "dataverwijdering zijn in de stukprijs inbegrepen."
        ),
        categories=["smartphone", "tablet"],
        cpv_codes=[
            "32250000-0",  # mobile telephones
            "30213200-7",  # tablet computer
        ],
    ),
]


def lots_load(*, programme: Programme) -> list[Lot]:
    lots = []
    for spec in LOTS:
        lot, _created = Lot.objects.update_or_create(
            programme=programme,
            number=spec.number,
            defaults={"name": spec.name, "description": spec.description},
        )
        lot.categories.set(Category.objects.filter(slug__in=spec.categories))
        lot.cpv_codes.set(CpvCode.objects.filter(code__in=spec.cpv_codes))
        lots.append(lot)
    return lots


def prices_load(*, valid_from: date) -> None:
    """One indicative price per category, in force from the start of the programme; a category
    that has a demo price keeps it."""
    for category in Category.objects.filter(slug__in=PRICES):
        if not ReferencePrice.objects.filter(category=category, source=PRICE_SOURCE).exists():
            ReferencePrice.objects.create(
                category=category,
                unit_price=Decimal(PRICES[category.slug]),
                valid_from=valid_from,
                source=PRICE_SOURCE,
            )
