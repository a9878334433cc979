"""The aggregation's SQL path (``INSERT … SELECT … GROUP BY``) against an independent
computation in Python over random demand: every grouped total and every lot total, field by
field, with participants that share a municipality (their lines merge into one group),
municipalities that merged into a successor, withdrawn and returned participants (excluded),
revised demand (only the newest version counts), a category in no lot, a category without a
price and a price that is not yet in force. Seeded, so a failure can be replayed."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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

YEARS = (2028, 2029, 2030)
LOTS = {1: ("laptop", "desktop", "monitor"), 2: ("smartphone", "tablet")}
OUTSIDE_LOTS = "headset"  # demanded, in no lot
UNPRICED = "tablet"


def size_class(municipality: Municipality) -> str:
    if municipality.cbs_code in G4:
        return "g4"
    population = municipality.population
    if population is None:
        return "unknown"
    for floor, label in ((100_000, "100k+"), (50_000, "50-100k"), (20_000, "20-50k")):
        if population >= floor:
            return label
    return "<20k"


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def world(seed: int):
    """Random demand in a programme of its own; returns what the independent computation
    needs: the programme, lots, prices in force and the lines that must count."""
    rng = random.Random(seed)
    catalog_load_reference()
    programme = Programme.objects.create(
        slug=f"gt-sql-{seed}", name="GT SQL", status="joining", contract_start_year=2028
    )
    slugs = [s for lot in LOTS.values() for s in lot] + [OUTSIDE_LOTS]
    categories = {c.slug: c for c in Category.objects.filter(slug__in=slugs)}
    lots = {}
    for number, lot_slugs in LOTS.items():
        lot = Lot.objects.create(
            programme=programme,
            number=number,
            name=f"Perceel {number}",
            headroom_percent=Decimal(rng.randint(0, 4000)) / 100,
        )
        lot.categories.set([categories[s] for s in lot_slugs])
        lots[number] = lot
    ReferencePrice.objects.filter(category__in=categories.values()).delete()
    prices = {}
    for slug, category in categories.items():
        if slug == UNPRICED:
            continue
        price = Decimal(rng.randint(100, 300_000)) / 100
        ReferencePrice.objects.create(
            category=category, unit_price=price, valid_from=date(2020, 1, 1), source="t"
        )
        # A later price that is not yet in force does not count.
        ReferencePrice.objects.create(
            category=category,
            unit_price=price + 1,
            valid_from=date.today() + timedelta(days=30),
            source="t",
        )
        prices[category.pk] = price
    municipalities = []
    for n in range(12):
        municipalities.append(
            Municipality.objects.create(
                cbs_code=G4[n] if n < 2 else f"GM7{seed % 10}{n:02d}",
                name=f"Gemeente {seed}-{n}",
                province=rng.choice(Province.values),
                population=rng.choice([None, 5_000, 20_000, 49_999, 50_000, 150_000]),
            )
        )
    # Two municipalities merged into a successor: their lines still count as their own.
    for ended in municipalities[2:4]:
        ended.successor = municipalities[4]
        ended.valid_until = date(2027, 1, 1)
        ended.save(update_fields=["successor", "valid_until"])
    included = []  # (participation id, municipality, category, year, quantity)
    for n in range(10):
        organisation = Organisation.objects.create(slug=f"sql-{seed}-{n}", name=f"Deelnemer {n}")
        status = rng.choice(["approved"] * 4 + ["withdrawn"])
        participation = Participation.objects.create(
            programme=programme, organisation=organisation, status=status
        )
        returned = rng.random() < 0.15
        demand = Demand.objects.create(
            participation=participation,
            status=Demand.Status.RETURNED if returned else Demand.Status.SUBMITTED,
        )
        # Overlapping municipalities: several participants' lines merge into one group.
        covered = rng.sample(municipalities, rng.randint(1, 4))
        versions = rng.randint(1, 3)
        for number in range(1, versions + 1):
            version = DemandVersion.objects.create(
                demand=demand, number=number, snapshot={}, sha256="0" * 64
            )
            lines = {
                (m.pk, slug, year): (m, categories[slug], year, rng.randint(0, 5000))
                for m in covered
                for slug in rng.sample(slugs, rng.randint(1, len(slugs)))
                for year in rng.sample(YEARS, rng.randint(1, len(YEARS)))
            }
            DemandVersionLine.objects.bulk_create(
                [
                    DemandVersionLine(
                        version=version, municipality=m, category=c, year=y, quantity=q
                    )
                    for m, c, y, q in lines.values()
                ]
            )
            if number == versions and status == "approved" and not returned:
                included += [(participation.pk, *line) for line in lines.values()]
    return programme, lots, prices, included


def expected_totals(lots, prices, included) -> dict[tuple, tuple]:
    lot_of = {c.pk: lot.pk for lot in lots.values() for c in lot.categories.all()}
    quantity: dict[tuple, int] = defaultdict(int)
    participants: dict[tuple, set] = defaultdict(set)
    for participant, municipality, category, year, q in included:
        key = (category.pk, year, municipality.province, size_class(municipality))
        quantity[key] += q
        participants[key].add(participant)
    return {
        key: (quantity[key], len(participants[key]), lot_of.get(key[0]), prices.get(key[0]))
        for key in quantity
    }


def expected_lot_totals(lots, prices, included) -> dict[tuple, tuple]:
    rows = {}
    for lot in lots.values():
        mine = [row for row in included if row[2].slug in LOTS[lot.number]]
        headroom = 1 + lot.headroom_percent / 100
        quantity: dict[int, int] = defaultdict(int)
        value: dict[int, Decimal] = defaultdict(Decimal)
        for _p, _m, category, year, q in mine:
            quantity[year] += q
            value[year] += q * prices.get(category.pk, Decimal(0))
        quantity[0] = sum(quantity.values())
        value[0] = sum(value.values(), Decimal(0))
        for year in quantity:
            rows[(lot.pk, year)] = (
                quantity[year],
                int((quantity[year] * headroom).to_integral_value(rounding=ROUND_HALF_UP)),
                cents(value[year]),
                cents(value[year] * headroom),
                len({p for p, *_ in mine}),
            )
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sql_path_equals_an_independent_computation(seed):
    programme, lots, prices, included = world(seed)
    run = AggregationRun.objects.create(programme=programme, reason="test")
    with CaptureQueriesContext(connection) as queries:
        snapshot = aggregation_run(run_id=run.pk)
    assert included, "the seed made no demand that counts"

    got = {
        (t.category_id, t.year, t.province, t.size_class): (
            t.quantity,
            t.participants,
            t.lot_id,
            t.unit_price,
        )
        for t in SnapshotTotal.objects.filter(snapshot=snapshot)
    }
    assert SnapshotTotal.objects.filter(snapshot=snapshot).count() == len(got)
    assert got == expected_totals(lots, prices, included)

    lot_totals = {
        (t.lot_id, t.year): (
            t.quantity,
            t.maximum_quantity,
            t.estimated_value,
            t.maximum_value,
            t.participants,
        )
        for t in SnapshotLotTotal.objects.filter(snapshot=snapshot)
    }
    assert lot_totals == expected_lot_totals(lots, prices, included)
    assert set(snapshot.included_versions.values_list("demand__participation", flat=True)) == {
        p for p, *_ in included
    }
    demanded_unpriced = {c.slug for _p, _m, c, _y, q in included if q and c.pk not in prices}
    assert snapshot.unpriced_categories == [
        str(c) for c in Category.objects.filter(slug__in=demanded_unpriced).order_by("slug")
    ]

    # The database groups and writes: the grouped totals and the included versions are each
    # one INSERT … SELECT, and no query reads the demand lines themselves into Python.
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    totals_insert = [sql for sql in inserts if '"tenders_snapshottotal"' in sql]
    assert len(totals_insert) == 1 and "GROUP BY" in totals_insert[0]
    assert any(
        '"tenders_aggregationsnapshot_included_versions"' in sql and " SELECT " in sql
        for sql in inserts
    )
    line_reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and '"municipalities_demandversionline"' in q["sql"]
    ]
    assert all("GROUP BY" in sql for sql in line_reads), line_reads
