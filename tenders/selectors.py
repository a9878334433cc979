"""Reads of the tenders app, scoped to the viewer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import (
    CoveredMunicipality,
    Demand,
    DemandVersion,
    DemandVersionLine,
    Municipality,
    Participation,
    Province,
)
from portal.models import Organisation
from portal.selectors import is_project_team_editor
from portal.tenancy import get_visible_or_404, require
from tenders.models import (
    AggregationRun,
    AggregationSnapshot,
    Lot,
    Milestone,
    Programme,
    SnapshotLotTotal,
    SnapshotTotal,
)


def programme_list(*, user) -> QuerySet[Programme]:
    return Programme.objects.visible_to(user).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_at"))
    )


def programme_get_for_user(*, user: Any, slug: str) -> Programme:
    """A programme anyone may see (drafts: the project team only); 404 otherwise."""
    return get_visible_or_404(programme_list(user=user), user, slug=slug)


def can_change_programme(*, user: Any) -> bool:
    """Project-team admins and editors change a programme; project-team viewers only read."""
    return getattr(user, "is_authenticated", False) and is_project_team_editor(user=user)


def programme_get_for_project_team(*, user: Any, slug: str) -> Programme:
    """The programme for the project team's own pages: 404 for everyone outside it."""
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404
    return programme_get_for_user(user=user, slug=slug)


def milestone_get_for_change(*, user: Any, programme_slug: str, kind: str) -> Milestone:
    """404 outside the project team (and for an unknown milestone), 403 for its viewers."""
    programme = programme_get_for_project_team(user=user, slug=programme_slug)
    milestone = next((m for m in programme.milestones.all() if m.kind == kind), None)
    if milestone is None:
        raise Http404
    require(lambda: can_change_programme(user=user))
    milestone.programme = programme
    return milestone


# --- Participation overview ---------------------------------------------------------------

NOT_STARTED = "not_started"
S = Participation.Status

# The overview's statuses, in the order of the workflow.
OVERVIEW_STATUSES: list[tuple[str, Any]] = [
    (NOT_STARTED, _("Not started")),
    (S.DRAFT, S.DRAFT.label),
    (S.SUBMITTED, S.SUBMITTED.label),
    (S.APPROVED, S.APPROVED.label),
    (S.RETURNED, S.RETURNED.label),
    (S.WITHDRAWN, S.WITHDRAWN.label),
]
STATUS_LABELS = dict(OVERVIEW_STATUSES)


@dataclass
class OverviewRow:
    municipality: Municipality
    status: str
    participant: Organisation | None = None
    joint_body: Organisation | None = None
    submitted_at: datetime | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Overview:
    rows: list[OverviewRow]
    counts: list[tuple[str, str, int]]  # status, label, number (within the province filter)
    total: int


def _coverage_by_municipality(*, programme: Programme) -> dict[int, CoveredMunicipality]:
    """One query: for each municipality the coverage that decides its status. An active
    coverage wins (there is at most one); else the latest withdrawn participation."""
    coverages = (
        CoveredMunicipality.objects.filter(programme=programme)
        .filter(Q(is_active=True) | Q(participation__status=S.WITHDRAWN))
        .select_related("participation__organisation")
    )
    chosen: dict[int, CoveredMunicipality] = {}
    for coverage in coverages:
        current = chosen.get(coverage.municipality_id)
        if current is None or _ranks_higher(coverage, current):
            chosen[coverage.municipality_id] = coverage
    return chosen


def _ranks_higher(candidate: CoveredMunicipality, current: CoveredMunicipality) -> bool:
    if candidate.is_active != current.is_active:
        return candidate.is_active
    when = candidate.participation.withdrawn_at or candidate.participation.created_at
    other = current.participation.withdrawn_at or current.participation.created_at
    return when > other


def participation_overview(
    *, programme: Programme, province: str = "", status: str = ""
) -> Overview:
    """Every current municipality of the register with its status for the programme, in two
    queries whatever the number of municipalities. ``province`` and ``status`` filter the
    rows; the counts follow the province filter only, so they show what each status holds."""
    municipalities = Municipality.objects.current().order_by("name", "cbs_code")
    if province in Province.values:
        municipalities = municipalities.filter(province=province)
    coverage = _coverage_by_municipality(programme=programme)
    rows = []
    for municipality in municipalities:
        covered = coverage.get(municipality.pk)
        if covered is None:
            rows.append(OverviewRow(municipality=municipality, status=NOT_STARTED))
            continue
        participation = covered.participation
        organisation = participation.organisation
        rows.append(
            OverviewRow(
                municipality=municipality,
                status=participation.status,
                participant=organisation,
                joint_body=organisation
                if organisation.kind == Organisation.Kind.JOINT_BODY
                else None,
                submitted_at=participation.submitted_at,
            )
        )
    tally = Counter(row.status for row in rows)
    counts = [(key, str(label), tally.get(key, 0)) for key, label in OVERVIEW_STATUSES]
    if status in STATUS_LABELS:
        rows = [row for row in rows if row.status == status]
    return Overview(rows=rows, counts=counts, total=sum(tally.values()))


# --- Demand overview (inventarisatie) ------------------------------------------------------

D = Demand.Status

# A participant without a Demand, or whose Demand has no submitted version yet, has not
# started as far as the project team is concerned: nothing of it counts in the aggregation.
DEMAND_STATUSES: list[tuple[str, Any]] = [
    (NOT_STARTED, _("Not started")),
    (D.DRAFT, D.DRAFT.label),
    (D.SUBMITTED, D.SUBMITTED.label),
    (D.RETURNED, D.RETURNED.label),
]
DEMAND_STATUS_LABELS = dict(DEMAND_STATUSES)


@dataclass
class DemandRow:
    participation: Participation
    demand: Demand | None
    status: str
    municipality_count: int
    latest_version: int | None
    submitted_at: datetime | None
    deadline: datetime | None
    is_late: bool

    @property
    def organisation(self) -> Organisation:
        return self.participation.organisation

    @property
    def status_label(self) -> str:
        return str(DEMAND_STATUS_LABELS[self.status])


@dataclass
class DemandOverview:
    rows: list[DemandRow]
    counts: list[tuple[str, str, int]]  # status, label, number of participants
    late: int
    total: int


def demand_overview(
    *, programme: Programme, status: str = "", late: bool = False
) -> DemandOverview:
    """Every approved participation of the programme with the state of its demand, in one
    query (the programme and its milestones are already loaded). ``status`` and ``late``
    filter the rows; the counts are over all approved participations."""
    participations = (
        Participation.objects.filter(programme=programme, status=S.APPROVED)
        .select_related("organisation", "demand")
        .annotate(
            # Two joins fan out: count coverages distinctly; Max is not affected.
            municipality_count=Count("covered", filter=Q(covered__is_active=True), distinct=True),
            latest_version=Max("demand__versions__number"),
            latest_submitted_at=Max("demand__versions__submitted_at"),
        )
        .order_by("organisation__name", "pk")
    )
    now = timezone.now()
    programme_deadline = programme.milestone_at(Milestone.Kind.DEMAND_DEADLINE)
    rows = []
    for participation in participations:
        participation.programme = programme  # Demand.deadline reads it: no extra query
        demand = getattr(participation, "demand", None)
        if demand is None or participation.latest_version is None:
            row_status = NOT_STARTED
        else:
            row_status = demand.status
        deadline = demand.deadline if demand is not None else programme_deadline
        rows.append(
            DemandRow(
                participation=participation,
                demand=demand,
                status=row_status,
                municipality_count=participation.municipality_count,
                latest_version=participation.latest_version,
                submitted_at=participation.latest_submitted_at,
                deadline=deadline,
                is_late=deadline is not None
                and deadline <= now
                and participation.latest_version is None,
            )
        )
    tally = Counter(row.status for row in rows)
    counts = [(key, str(label), tally.get(key, 0)) for key, label in DEMAND_STATUSES]
    late_count = sum(row.is_late for row in rows)
    if status in DEMAND_STATUS_LABELS:
        rows = [row for row in rows if row.status == status]
    if late:
        rows = [row for row in rows if row.is_late]
    return DemandOverview(rows=rows, counts=counts, late=late_count, total=sum(tally.values()))


def latest_demand_versions(*, programme: Programme) -> QuerySet[DemandVersion]:
    """The latest submitted version of every approved participant of the programme."""
    newest = (
        DemandVersion.objects.filter(demand=OuterRef("demand"))
        .order_by("-number")
        .values("number")[:1]
    )
    return (
        DemandVersion.objects.filter(
            demand__participation__programme=programme,
            demand__participation__status=S.APPROVED,
        )
        .annotate(newest=Subquery(newest))
        .filter(number=F("newest"))
    )


def demand_export_lines(*, programme: Programme) -> QuerySet[DemandVersionLine]:
    """The lines of the latest submitted versions, one per participant, municipality,
    category and year, in a stable order."""
    return (
        DemandVersionLine.objects.filter(version__in=latest_demand_versions(programme=programme))
        .select_related("version__demand__participation__organisation", "municipality", "category")
        .order_by(
            "version__demand__participation__organisation__name",
            "municipality__name",
            "category__sort_order",
            "category__slug",
            "year",
        )
    )


# --- Aggregation (the project team's dashboard) ---------------------------------------------

# Size classes as the aggregation groups them (tenders.aggregation.SIZE_CLASSES), in that order.
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
        .annotate(version_count=Count("included_versions", distinct=True))
        .order_by("-created_at", "-id")
    )


def aggregation_snapshot_get(*, programme: Programme, public_id: Any) -> AggregationSnapshot:
    """One snapshot of ``programme`` (the caller checked access to the programme), else 404."""
    snapshot = (
        AggregationSnapshot.objects.filter(programme=programme, public_id=public_id)
        .select_related("frozen_by")
        .first()
    )
    if snapshot is None:
        raise Http404
    snapshot.programme = programme
    return snapshot


def aggregation_current_snapshot(*, programme: Programme) -> AggregationSnapshot | None:
    """The snapshot the dashboard shows: the frozen one when there is one, else the newest."""
    snapshot = (
        AggregationSnapshot.objects.filter(programme=programme)
        .select_related("frozen_by")
        .order_by("-is_frozen", "-created_at", "-id")
        .first()
    )
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
    estimated value, grouped by the database."""
    grouped = (
        SnapshotTotal.objects.filter(snapshot=snapshot)
        .values(field, "lot__number", "lot__name")
        .annotate(
            total=Sum("quantity"),
            value=Sum(
                F("quantity") * Coalesce(F("unit_price"), Value(Decimal(0))),
                output_field=DecimalField(max_digits=20, decimal_places=2),
            ),
        )
        .order_by()
    )
    lot_labels: dict[int | None, str] = {}
    cells: dict[tuple[str, int | None], int] = {}
    values: dict[str, Decimal] = {}
    for row in grouped:
        number = row["lot__number"]
        lot_labels[number] = (
            f"{_('Lot')} {number}: {row['lot__name']}" if number is not None else str(_("No lot"))
        )
        key = (row[field], number)
        cells[key] = cells.get(key, 0) + (row["total"] or 0)
        values[row[field]] = values.get(row[field], Decimal(0)) + (row["value"] or Decimal(0))
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


def _snapshot_prices(*, snapshot: AggregationSnapshot, lot: Lot | None = None):
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


@dataclass
class Drilldown:
    participants: list[ParticipantContribution]
    quantity: int
    value: Decimal


def _contribution_rows(*, snapshot: AggregationSnapshot, categories, year: int = 0):
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


def _contributions(*, snapshot: AggregationSnapshot, prices, year: int = 0) -> Drilldown:
    from catalog.models import Category

    rows = list(_contribution_rows(snapshot=snapshot, categories=list(prices), year=year))
    categories = Category.objects.in_bulk({row["category_id"] for row in rows})
    participants: dict[int, ParticipantContribution] = {}
    for row in rows:
        lot_id, price = prices[row["category_id"]]
        value = (price or Decimal(0)) * row["total"]
        entry = participants.setdefault(
            row["version__demand__participation_id"],
            ParticipantContribution(
                participant=row["version__demand__participation__organisation__name"],
                lines=[],
                quantity=0,
                value=Decimal(0),
            ),
        )
        entry.lines.append(
            Contribution(
                municipality_name=row["municipality__name"],
                cbs_code=row["municipality__cbs_code"],
                category=categories[row["category_id"]],
                year=row["year"],
                quantity=row["total"],
                unit_price=price,
                value=value,
                lot_id=lot_id,
            )
        )
        entry.quantity += row["total"]
        entry.value += value
    found = list(participants.values())
    return Drilldown(
        participants=found,
        quantity=sum(p.quantity for p in found),
        value=sum((p.value for p in found), Decimal(0)),
    )


def aggregation_drilldown(*, snapshot: AggregationSnapshot, lot: Lot, year: int) -> Drilldown:
    """Each participant's contribution to one lot total (year 0 = the whole term), summed by
    the database from the lines of exactly the versions the snapshot included."""
    return _contributions(
        snapshot=snapshot, prices=_snapshot_prices(snapshot=snapshot, lot=lot), year=year
    )


def aggregation_all_contributions(*, snapshot: AggregationSnapshot) -> Drilldown:
    """Every participant's contribution to every lot, for the export."""
    return _contributions(snapshot=snapshot, prices=_snapshot_prices(snapshot=snapshot))


def aggregation_category_totals(*, snapshot: AggregationSnapshot) -> QuerySet[SnapshotTotal]:
    return (
        SnapshotTotal.objects.filter(snapshot=snapshot)
        .select_related("lot", "category")
        .order_by("lot__number", "category__sort_order", "category__slug", "year", "province")
    )


def aggregation_included_versions(*, snapshot: AggregationSnapshot) -> QuerySet[DemandVersion]:
    return snapshot.included_versions.select_related(
        "demand__participation__organisation"
    ).order_by("demand__participation__organisation__name", "number")


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
