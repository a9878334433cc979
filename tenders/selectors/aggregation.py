"""Reads of the aggregation: snapshots, runs, totals per lot, breakdowns, drill-downs and
comparisons."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from municipalities.models import (
    DemandVersion,
    DemandVersionLine,
    Province,
)
from portal.db import JSONArrayLength, JSONArrayRows
from portal.kept import kept
from portal.paged_rows import PagedRows, read_by_key
from tenders.models import (
    AggregationRun,
    AggregationSnapshot,
    Lot,
    LotAuthority,
    Programme,
    SnapshotLotTotal,
    SnapshotTotal,
)

# Size classes as the aggregation groups them (tenders.services.aggregation.SIZE_CLASSES), in
# that order.
SIZE_CLASS_LABELS: dict[str, Any] = {
    "g4": _("G4 (the four largest cities)"),
    "100k+": _("100,000 inhabitants or more"),
    "50-100k": _("50,000 to 100,000 inhabitants"),
    "20-50k": _("20,000 to 50,000 inhabitants"),
    "<20k": _("Fewer than 20,000 inhabitants"),
    "unknown": _("Population unknown"),
}


def aggregation_snapshots(*, programme: Programme) -> QuerySet[AggregationSnapshot]:
    """The programme's snapshots, newest first, with the number of included versions."""
    return (
        AggregationSnapshot.objects.filter(programme=programme)
        .select_related("run")
        .defer("authorities")
        .annotate(
            # A subquery, not a join with GROUP BY: the JSON list is then measured once per
            # snapshot, not once per included version.
            version_count=Coalesce(
                Subquery(
                    AggregationSnapshot.included_versions.through.objects.filter(
                        aggregationsnapshot_id=OuterRef("pk")
                    )
                    .values("aggregationsnapshot_id")
                    .annotate(n=Count("*"))
                    .values("n")  # type: ignore[misc]
                ),
                0,
            ),
            authority_count=JSONArrayLength("authorities"),
        )
        .order_by("-created_at", "-id")
    )


def _shown(programme: Programme) -> QuerySet[AggregationSnapshot]:
    """The programme's snapshots as a page shows one: who froze it, and its list of
    authorities counted by the database, not read."""
    return (
        AggregationSnapshot.objects.filter(programme=programme)
        .select_related("frozen_by")
        .defer("authorities")
        .annotate(authority_count=JSONArrayLength("authorities"))
    )


def aggregation_snapshot_get(*, programme: Programme, public_id: Any) -> AggregationSnapshot:
    """One snapshot of ``programme`` (the caller checked access to the programme), else 404.
    The list of authorities of a frozen snapshot (thousands at national scale) is counted by
    the database and read only when asked for (``snapshot.authorities``)."""
    snapshot = _shown(programme).filter(public_id=public_id).first()
    if snapshot is None:
        raise Http404
    snapshot.programme = programme
    return snapshot


def aggregation_snapshot_authorities(*, snapshot: AggregationSnapshot) -> Sequence[dict]:
    """The authorities a frozen snapshot recorded (none before the freeze), for a paged list:
    a page of them (6,840 at ten times the national scale) is unpacked by the database, and
    the whole list is never read. ``snapshot`` comes from ``aggregation_snapshot_get``."""
    if not snapshot.is_frozen:
        return []
    return JSONArrayRows(snapshot, "authorities", count=getattr(snapshot, "authority_count", None))


def aggregation_frozen_snapshot(*, programme: Programme) -> AggregationSnapshot | None:
    """The frozen snapshot of ``programme`` (at most one), for a link to it."""
    return (
        AggregationSnapshot.objects.filter(programme=programme, is_frozen=True)
        .only("pk", "public_id", "programme_id")
        .first()
    )


def aggregation_current_snapshot(*, programme: Programme) -> AggregationSnapshot | None:
    """The snapshot the dashboard shows: the frozen one when there is one, else the newest."""
    snapshot = _shown(programme).order_by("-is_frozen", "-created_at", "-id").first()
    if snapshot is not None:
        snapshot.programme = programme
    return snapshot


def aggregation_latest_run(*, programme: Programme) -> AggregationRun | None:
    runs = AggregationRun.objects.filter(programme=programme)
    return runs.order_by("-requested_at", "-id").first()


def aggregation_run_get(*, programme: Programme, public_id: Any) -> AggregationRun:
    run = AggregationRun.objects.filter(programme=programme, public_id=public_id).first()
    if run is None:
        raise Http404
    run.programme = programme
    return run


@dataclass
class LotSummary:
    lot: Lot
    years: list[SnapshotLotTotal]  # one row per contract year with demand, in order
    term: SnapshotLotTotal | None  # year 0: the whole term


def aggregation_lot_summaries(*, snapshot: AggregationSnapshot) -> list[LotSummary]:
    """Per lot: the totals per year and over the whole term, in one query."""
    summaries: dict[int, LotSummary] = {}
    rows = (
        SnapshotLotTotal.objects.filter(snapshot=snapshot)
        .select_related("lot")
        .order_by("lot__number", "year")
    )
    for row in rows:
        summary = summaries.setdefault(row.lot_id, LotSummary(lot=row.lot, years=[], term=None))
        if row.year == 0:
            summary.term = row
        else:
            summary.years.append(row)
    return list(summaries.values())


# How long a snapshot's kept sums and the sorted keys of its lists stay in the cache (they never
# change; a day at most, so that those nobody looks at any more leave it).
SNAPSHOT_KEYS_SECONDS = 24 * 60 * 60


def freeze_key(snapshot: AggregationSnapshot) -> str:
    """Names one freeze of ``snapshot`` in a cache key: only a freeze writes its authorities
    (anew, with a new ``frozen_at``), so what is kept under this key never goes stale."""
    frozen_at = snapshot.frozen_at.isoformat() if snapshot.frozen_at else "never"
    return f"{snapshot.public_id}:{frozen_at}"


@dataclass
class BreakdownRow:
    key: str
    label: str
    quantities: list[int]  # one per lot column
    quantity: int
    estimated_value: Decimal


@dataclass
class Breakdown:
    lots: list[tuple[int | None, str]]  # (lot number or None for "no lot", label)
    rows: list[BreakdownRow]
    total: BreakdownRow


def _breakdown(*, snapshot: AggregationSnapshot, field: str, labels: dict[str, Any]) -> Breakdown:
    """Quantity over the whole term per ``field`` (province or size class) and lot, and the
    estimated value, grouped by the database. A snapshot's totals never change, so the sums
    are kept per snapshot; the lots' numbers and names are read as they are now."""

    def grouped_sums() -> list[tuple[str, int | None, int, Decimal]]:
        rows = (
            SnapshotTotal.objects.filter(snapshot=snapshot)
            .values(field, "lot_id")
            .annotate(
                total=Sum("quantity"),
                value=Sum(
                    F("quantity") * Coalesce(F("unit_price"), Value(Decimal(0))),
                    output_field=DecimalField(max_digits=20, decimal_places=2),
                ),
            )
            .order_by()
        )
        return [
            (row[field], row["lot_id"], row["total"] or 0, row["value"] or Decimal(0))
            for row in rows
        ]

    sums = kept(
        f"snapshot-breakdown:{snapshot.public_id}:{field}",
        grouped_sums,
        seconds=SNAPSHOT_KEYS_SECONDS,
    )
    lot_ids = {lot_id for _key, lot_id, _total, _value in sums if lot_id is not None}
    names = {
        pk: (number, name)
        for pk, number, name in Lot.objects.filter(pk__in=lot_ids).values_list(
            "pk", "number", "name"
        )
    }
    lot_labels: dict[int | None, str] = {}
    cells: dict[tuple[str, int | None], int] = {}
    values: dict[str, Decimal] = {}
    for key, lot_id, quantity, value in sums:
        number, name = names[lot_id] if lot_id is not None else (None, "")
        lot_labels[number] = (
            f"{_('Lot')} {number}: {name}" if number is not None else str(_("No lot"))
        )
        cells[(key, number)] = cells.get((key, number), 0) + quantity
        values[key] = values.get(key, Decimal(0)) + value
    lots = sorted(lot_labels.items(), key=lambda item: (item[0] is None, item[0] or 0))
    keys = [key for key in labels if key in values] + sorted(k for k in values if k not in labels)
    rows = []
    for key in keys:
        quantities = [cells.get((key, number), 0) for number, _label in lots]
        rows.append(
            BreakdownRow(
                key=key,
                label=str(labels.get(key, key)),
                quantities=quantities,
                quantity=sum(quantities),
                estimated_value=values[key],
            )
        )
    total = BreakdownRow(
        key="",
        label=str(_("Total")),
        quantities=[sum(row.quantities[i] for row in rows) for i in range(len(lots))],
        quantity=sum(row.quantity for row in rows),
        estimated_value=sum((row.estimated_value for row in rows), Decimal(0)),
    )
    return Breakdown(lots=lots, rows=rows, total=total)


def aggregation_by_province(*, snapshot: AggregationSnapshot) -> Breakdown:
    return _breakdown(snapshot=snapshot, field="province", labels=dict(Province.choices))


def aggregation_by_size_class(*, snapshot: AggregationSnapshot) -> Breakdown:
    return _breakdown(snapshot=snapshot, field="size_class", labels=SIZE_CLASS_LABELS)


def aggregation_lot_get(*, snapshot: AggregationSnapshot, number: int) -> Lot:
    lot = Lot.objects.filter(programme_id=snapshot.programme_id, number=number).first()
    if lot is None:
        raise Http404
    return lot


def snapshot_prices(*, snapshot: AggregationSnapshot, lot: Lot | None = None):
    """Category → (lot id, unit price) as the snapshot recorded them: the lot's categories and
    prices at the time of the run, not as they were edited later."""
    rows = SnapshotTotal.objects.filter(snapshot=snapshot)
    if lot is not None:
        rows = rows.filter(lot=lot)
    return {
        row["category_id"]: (row["lot_id"], row["unit_price"])
        for row in rows.values("category_id", "lot_id", "unit_price").distinct().order_by()
    }


@dataclass
class Contribution:
    municipality_name: str
    cbs_code: str
    category: Any
    year: int
    quantity: int
    unit_price: Decimal | None
    value: Decimal
    lot_id: int | None = None


@dataclass
class ParticipantContribution:
    participant: str
    lines: list[Contribution]
    quantity: int
    value: Decimal


def contribution_rows(*, snapshot: AggregationSnapshot, categories, year: int = 0):
    """Per participant, municipality, category and year: the summed quantity of the lines of
    the versions the snapshot included, in the participants' order."""
    lines = DemandVersionLine.objects.filter(
        version__in=snapshot.included_versions.all(), category_id__in=categories
    )
    if year:
        lines = lines.filter(year=year)
    return (
        lines.values(
            "version__demand__participation_id",
            "version__demand__participation__organisation__name",
            "municipality__name",
            "municipality__cbs_code",
            "category_id",
            "year",
        )
        .annotate(total=Sum("quantity"))
        .order_by(
            "version__demand__participation__organisation__name",
            "version__demand__participation_id",
            "municipality__name",
            "category_id",
            "year",
        )
    )


def _contribution(row: dict, categories: dict, prices) -> Contribution:
    """One contribution row (``contribution_rows``) with its lot, unit price and value."""
    lot_id, price = prices[row["category_id"]]
    return Contribution(
        municipality_name=row["municipality__name"],
        cbs_code=row["municipality__cbs_code"],
        category=categories[row["category_id"]],
        year=row["year"],
        quantity=row["total"],
        unit_price=price,
        value=(price or Decimal(0)) * row["total"],
        lot_id=lot_id,
    )


def participants_of(rows, prices) -> dict[int, ParticipantContribution]:
    """Contribution rows (``contribution_rows``) grouped per participation, in their order."""
    from catalog.models import Category

    rows = list(rows)
    categories = Category.objects.in_bulk({row["category_id"] for row in rows})
    participants: dict[int, ParticipantContribution] = {}
    for row in rows:
        line = _contribution(row, categories, prices)
        entry = participants.setdefault(
            row["version__demand__participation_id"],
            ParticipantContribution(
                participant=row["version__demand__participation__organisation__name"],
                lines=[],
                quantity=0,
                value=Decimal(0),
            ),
        )
        entry.lines.append(line)
        entry.quantity += line.quantity
        entry.value += line.value
    return participants


def aggregation_contribution_lines(
    *, snapshot: AggregationSnapshot
) -> Iterator[tuple[str, Contribution]]:
    """Every participant's contribution to every lot, line by line (participant, line), in
    the participants' order, for the export: read from one cursor a chunk at a time, so that
    memory stays flat in the lines (109,440 at ten times the Netherlands)."""
    from catalog.models import Category

    prices = snapshot_prices(snapshot=snapshot)
    categories = Category.objects.in_bulk(list(prices))
    for row in contribution_rows(snapshot=snapshot, categories=list(prices)).iterator(
        chunk_size=2000
    ):
        yield (
            row["version__demand__participation__organisation__name"],
            _contribution(row, categories, prices),
        )


def aggregation_contribution_count(*, snapshot: AggregationSnapshot) -> int:
    """How many rows ``aggregation_contribution_lines`` gives (the progress of its export)."""
    return contribution_rows(
        snapshot=snapshot, categories=list(snapshot_prices(snapshot=snapshot))
    ).count()


def aggregation_category_totals(*, snapshot: AggregationSnapshot) -> QuerySet[SnapshotTotal]:
    return (
        SnapshotTotal.objects.filter(snapshot=snapshot)
        .select_related("lot", "category")
        .order_by("lot__number", "category__sort_order", "category__slug", "year", "province")
    )


def aggregation_included_versions(*, snapshot: AggregationSnapshot) -> PagedRows[DemandVersion]:
    """The demand versions the snapshot counted, by participant: sorted as keys, each page
    read with its participants. The versions of a snapshot never change, so their sorted
    keys are kept (sorted by the names at the first request) and a page costs one query."""
    keys = kept(
        f"snapshot-versions:{snapshot.public_id}",
        lambda: list(
            snapshot.included_versions.order_by(
                "demand__participation__organisation__name", "number"
            ).values_list("pk", flat=True)
        ),
        seconds=SNAPSHOT_KEYS_SECONDS,
    )
    return PagedRows(
        keys,
        # Not the version's own copy of its content (a JSON text of every line): the list shows
        # who, which version and when.
        read_by_key(
            DemandVersion.objects.select_related("demand__participation__organisation").defer(
                "snapshot"
            )
        ),
    )


def aggregation_lot_authorities(*, snapshot: AggregationSnapshot) -> PagedRows[LotAuthority]:
    """The contracting authorities per lot the snapshot froze (6,840 at ten times the national
    scale): sorted as keys, each page read with its participation. Only a freeze writes them
    (anew, with a new ``frozen_at``), so their sorted keys are kept per freeze and a page
    costs one query."""
    keys = kept(
        f"snapshot-authorities:{freeze_key(snapshot)}",
        lambda: list(
            LotAuthority.objects.filter(snapshot=snapshot)
            .order_by("lot__number", "kind", "name", "pk")
            .values_list("pk", flat=True)
        ),
        seconds=SNAPSHOT_KEYS_SECONDS,
    )
    return PagedRows(
        keys,
        read_by_key(LotAuthority.objects.select_related("lot", "participation__organisation")),
    )


@dataclass
class ComparisonRow:
    lot: Lot
    year: int
    old: SnapshotLotTotal | None
    new: SnapshotLotTotal | None

    @property
    def quantity_difference(self) -> int:
        return (self.new.quantity if self.new else 0) - (self.old.quantity if self.old else 0)

    @property
    def value_difference(self) -> Decimal:
        new = self.new.estimated_value if self.new else Decimal(0)
        return new - (self.old.estimated_value if self.old else Decimal(0))

    @property
    def maximum_value_difference(self) -> Decimal:
        new = self.new.maximum_value if self.new else Decimal(0)
        return new - (self.old.maximum_value if self.old else Decimal(0))


def aggregation_compare(
    *, old: AggregationSnapshot, new: AggregationSnapshot
) -> list[ComparisonRow]:
    """Per lot and year (the whole term last) both snapshots' totals, in one query."""
    rows: dict[tuple[int, int], ComparisonRow] = {}
    totals = (
        SnapshotLotTotal.objects.filter(snapshot__in=[old, new])
        .select_related("lot")
        .order_by("lot__number", "year")
    )
    for total in totals:
        row = rows.setdefault(
            (total.lot_id, total.year),
            ComparisonRow(lot=total.lot, year=total.year, old=None, new=None),
        )
        if total.snapshot_id == old.pk:
            row.old = total
        if total.snapshot_id == new.pk:
            row.new = total
    return sorted(rows.values(), key=lambda r: (r.lot.number, r.year == 0, r.year))
