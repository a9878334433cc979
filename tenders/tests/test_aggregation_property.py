"""Property-based test of the aggregation: for random participants, municipalities, lines,
prices and headroom, the database's totals equal sums made independently in Python.

Each Hypothesis example creates its data inside a savepoint that is rolled back at the end of
the example, so examples never see each other's rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Category, ReferencePrice
from catalog.services import catalog_load_reference
from municipalities.models import (
    Demand,
    DemandVersion,
    DemandVersionLine,
    Municipality,
    Participation,
    Province,
)
from portal.models import Organisation
from tenders.models import AggregationRun, Lot, Programme, SnapshotLotTotal, SnapshotTotal
from tenders.services.aggregation import G4, aggregation_run

pytestmark = pytest.mark.django_db

YEARS = [2028, 2029, 2030, 2031]
# Three categories per lot.
LOT_CATEGORIES = (("laptop", "desktop", "monitor"), ("smartphone", "tablet", "headset"))
CATEGORIES = [slug for lot in LOT_CATEGORIES for slug in lot]

money = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)
municipality = st.tuples(
    st.sampled_from(Province.values),
    st.one_of(st.none(), st.integers(min_value=1_000, max_value=900_000)),
    st.booleans(),  # one of the G4
)
lines = st.dictionaries(
    keys=st.tuples(
        st.integers(min_value=0, max_value=1),  # which of the participant's municipalities
        st.integers(min_value=0, max_value=len(CATEGORIES) - 1),
        st.sampled_from(YEARS),
    ),
    values=st.integers(min_value=0, max_value=10_000),
    max_size=24,
)
participant = st.fixed_dictionaries(
    {
        "municipalities": st.lists(municipality, min_size=1, max_size=2),
        "status": st.sampled_from(["approved", "approved", "approved", "withdrawn"]),
        "returned": st.sampled_from([False, False, False, True]),
        "versions": st.lists(lines, min_size=1, max_size=2),
    }
)
world = st.fixed_dictionaries(
    {
        "participants": st.lists(participant, min_size=1, max_size=5),
        "prices": st.lists(st.one_of(st.none(), money), min_size=6, max_size=6),
        "headroom": st.tuples(*[st.decimals(min_value=0, max_value=50, places=2)] * 2),
    }
)


@pytest.fixture
def base(db):
    catalog_load_reference()
    programme = Programme.objects.create(
        slug="gt-prop", name="GT Prop", status="joining", contract_start_year=2028, contract_years=4
    )
    categories = {c.slug: c for c in Category.objects.filter(slug__in=CATEGORIES)}
    return programme, categories


def size_class(code: str, population: int | None) -> str:
    if code in G4:
        return "g4"
    if population is None:
        return "unknown"
    for floor, label in ((100_000, "100k+"), (50_000, "50-100k"), (20_000, "20-50k")):
        if population >= floor:
            return label
    return "<20k"


def create(programme, categories, data):
    """The data of one example; returns the lots and the lines that must be included, as
    (participant index, municipality, category slug, year, quantity)."""
    lots = []
    for number, (slugs, headroom) in enumerate(
        zip(LOT_CATEGORIES, data["headroom"], strict=True), start=1
    ):
        lot = Lot.objects.create(
            programme=programme, number=number, name=f"Lot {number}", headroom_percent=headroom
        )
        lot.categories.set([categories[s] for s in slugs])
        lots.append(lot)
    for slug, price in zip(CATEGORIES, data["prices"], strict=True):
        if price is not None:
            ReferencePrice.objects.create(
                category=categories[slug], unit_price=price, valid_from=date(2020, 1, 1), source="t"
            )
    g4 = iter(G4)
    included = []
    serial = 0
    for index, p in enumerate(data["participants"]):
        organisation = Organisation.objects.create(slug=f"prop-{index}", name=f"Prop {index}")
        munis = []
        for province, population, is_g4 in p["municipalities"]:
            serial += 1
            code = next(g4, None) if is_g4 else None
            munis.append(
                Municipality.objects.create(
                    cbs_code=code or f"GM8{serial:03d}",
                    name=f"Gemeente {serial}",
                    province=province,
                    population=population,
                )
            )
        participation = Participation.objects.create(
            programme=programme, organisation=organisation, status=p["status"]
        )
        demand = Demand.objects.create(
            participation=participation,
            status=Demand.Status.RETURNED if p["returned"] else Demand.Status.SUBMITTED,
        )
        for number, rows in enumerate(p["versions"], start=1):
            version = DemandVersion.objects.create(
                demand=demand, number=number, snapshot={}, sha256="0" * 64
            )
            resolved = {
                (munis[m % len(munis)], CATEGORIES[c], y): q for (m, c, y), q in rows.items()
            }
            DemandVersionLine.objects.bulk_create(
                [
                    DemandVersionLine(
                        version=version,
                        municipality=m,
                        category=categories[slug],
                        year=y,
                        quantity=q,
                    )
                    for (m, slug, y), q in resolved.items()
                ]
            )
            newest = number == len(p["versions"])
            if newest and p["status"] == "approved" and not p["returned"]:
                included += [(index, m, slug, y, q) for (m, slug, y), q in resolved.items()]
    return lots, included


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=world)
def test_totals_equal_the_sums_of_the_included_lines(base, data):
    programme, categories = base
    with transaction.atomic():
        lots, included = create(programme, categories, data)
        run = AggregationRun.objects.create(programme=programme, reason="property")
        snapshot = aggregation_run(run_id=run.pk)
        price = {
            slug: p if p is not None else Decimal(0)
            for slug, p in zip(CATEGORIES, data["prices"], strict=True)
        }
        for lot, slugs in zip(lots, LOT_CATEGORIES, strict=True):
            mine = [row for row in included if row[2] in slugs]
            quantity: dict[int, int] = defaultdict(int)
            value: dict[int, Decimal] = defaultdict(Decimal)
            for _p, _m, slug, year, q in mine:
                quantity[year] += q
                value[year] += q * price[slug]
            rows = {t.year: t for t in SnapshotLotTotal.objects.filter(snapshot=snapshot, lot=lot)}
            # One row per year with lines of this lot, and the term (year 0).
            assert sorted(rows) == [0, *sorted(quantity)]
            for year in quantity:
                assert rows[year].quantity == quantity[year], (lot.number, year)
                assert rows[year].estimated_value == cents(value[year]), (lot.number, year)
            term = rows[0]
            assert (
                term.quantity
                == sum(rows[y].quantity for y in rows if y)
                == sum(q for *_, q in mine)
            )
            assert term.estimated_value == cents(sum(value.values(), Decimal(0)))
            assert term.participants == len({p for p, *_ in mine})
            for row in rows.values():
                assert row.maximum_value >= row.estimated_value
                assert row.maximum_quantity >= row.quantity
            grouped = SnapshotTotal.objects.filter(snapshot=snapshot, lot=lot)
            assert sum(t.quantity for t in grouped) == term.quantity
        # The grouped totals per category, year, province and size class.
        expected: dict[tuple, int] = defaultdict(int)
        for _p, m, slug, year, q in included:
            expected[(slug, year, m.province, size_class(m.cbs_code, m.population))] += q
        got = {
            (t.category.slug, t.year, t.province, t.size_class): t.quantity
            for t in SnapshotTotal.objects.filter(snapshot=snapshot).select_related("category")
        }
        assert got == dict(expected)
        assert snapshot.included_versions.count() == len(
            [p for p in data["participants"] if p["status"] == "approved" and not p["returned"]]
        )
        transaction.set_rollback(True)
