"""Demand figures scaled by staff numbers, entered and submitted through the demand services
(so versions, hashes and the audit trail exist as for a real participant).

How the figures are made (no randomness; the same register gives the same figures):

- Staff: 10 employees per 1,000 inhabitants (179,380 employees at 342 municipalities for
  17.9 million inhabitants, Personeelsmonitor Gemeenten 2022); workplaces one fifth more than
  employees (external hires, 17 % of the wage bill).
- Fleet per category: units per workplace or per employee, replaced every so many years, so
  each contract year buys fleet / cycle units on average.
- Replacement waves: one contract year of each municipality and category buys 30 % more and
  the others correspondingly less; which year is taken from a hash of the CBS code and the
  category, so it differs between municipalities but never between loads.
"""

from __future__ import annotations

import copy
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from catalog.models import Category
from municipalities.demand_data import DemandData
from municipalities.models import Demand, Municipality, Participation
from municipalities.services.demand import (
    demand_for_participation,
    demand_save_draft,
    demand_submit,
)
from portal.models import User

EMPLOYEES_PER_1000_INHABITANTS = Decimal(10)
WORKPLACES_PER_EMPLOYEE = Decimal("1.2")
# category: (units, per "workplace" or "employee", replacement cycle in years)
FLEET = {
    "laptop": (Decimal("0.85"), "workplace", 4),
    "desktop": (Decimal("0.15"), "workplace", 5),
    "monitor": (Decimal("1.5"), "workplace", 6),
    "docking-station": (Decimal("0.85"), "workplace", 5),
    "keyboard-mouse": (Decimal(1), "workplace", 4),
    "headset": (Decimal(1), "employee", 3),
    "smartphone": (Decimal("0.7"), "employee", 3),
    "tablet": (Decimal("0.05"), "employee", 4),
}
WAVE = Decimal("1.3")
# Services wanted with each category: delivery always; installation with the desk hardware;
# take-back with everything that stores data; management where a municipality is small enough
# to leave it to the supplier.
INSTALLED = {"laptop", "desktop", "monitor", "docking-station"}
STORES_DATA = {"laptop", "desktop", "smartphone", "tablet"}
MANAGED_BELOW_INHABITANTS = 30_000


OWN_STAFF_EMPLOYEES = 180


def _round(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def staff(municipality: Municipality) -> tuple[int, int]:
    """(workplaces, employees) of a municipality, from its population."""
    employees = Decimal(municipality.population or 0) * EMPLOYEES_PER_1000_INHABITANTS / 1000
    return _round(employees * WORKPLACES_PER_EMPLOYEE), _round(employees)


def _wave_year(municipality: Municipality, slug: str, years: int) -> int:
    digest = hashlib.sha256(f"{municipality.cbs_code}:{slug}".encode()).hexdigest()
    return int(digest[:8], 16) % years


def yearly_quantities(municipality: Municipality, slug: str, years: list[int]) -> list[int]:
    units, per, cycle = FLEET[slug]
    workplaces, employees = staff(municipality)
    base = Decimal(workplaces if per == "workplace" else employees)
    per_year = base * units / cycle
    wave = _wave_year(municipality, slug, len(years))
    rest = (len(years) - WAVE) / (len(years) - 1)
    return [_round(per_year * (WAVE if i == wave else rest)) for i in range(len(years))]


def _services(municipality: Municipality, slug: str) -> list[str]:
    services = ["delivery"]
    if slug in INSTALLED:
        services.append("installation")
    if slug in STORES_DATA:
        services.append("take-back-data-erasure")
    if slug in {"laptop", "desktop"} and (municipality.population or 0) < MANAGED_BELOW_INHABITANTS:
        services.append("management")
    return sorted(services)


def demand_data(*, municipalities: list[Municipality], years: list[int]) -> DemandData:
    categories = {c.slug: c.pk for c in Category.objects.filter(slug__in=FLEET, is_active=True)}
    data = DemandData()
    for municipality in municipalities:
        data.profiles[municipality.pk] = staff(municipality)
        for slug, category_id in categories.items():
            quantities = yearly_quantities(municipality, slug, years)
            for year, quantity in zip(years, quantities, strict=True):
                data.lines[(municipality.pk, category_id, year)] = (quantity, None, None)
            if any(quantities):
                data.options[(municipality.pk, category_id)] = (
                    _services(municipality, slug),
                    "",
                )
    return data


def demand_enter_and_submit(*, participation: Participation, editor: User) -> Demand:
    """The buyer enters the figures of every covered municipality and submits them."""
    demand = demand_for_participation(participation=participation)
    if participation.own_staff:
        # An authority buying for its own staff (about 180 people), recorded under the
        # municipality where it is established.
        seat = copy.copy(participation.seat_municipality)
        seat.population = OWN_STAFF_EMPLOYEES * 1000 // int(EMPLOYEES_PER_1000_INHABITANTS)
        municipalities = [seat]
    else:
        municipalities = [
            c.municipality
            for c in participation.covered.filter(is_active=True).select_related("municipality")
        ]
    data = demand_data(municipalities=municipalities, years=participation.programme.years)
    demand_save_draft(actor=editor, demand=demand, revision=demand.revision, data=data)
    demand_submit(actor=editor, demand=demand, revision=demand.revision)
    return demand
