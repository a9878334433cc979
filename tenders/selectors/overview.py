"""The project team's overviews of a programme: every municipality's participation status and
everyone's demand."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import (
    Count,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
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
from tenders.models import (
    Milestone,
    Programme,
    Reminder,
)

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


# Statuses in which a municipality takes part (its registration is in, or approved).
PARTICIPATING = (S.SUBMITTED, S.APPROVED)

# The overview's sort keys (the value in ?sorteren=) and what they sort on.
SORTS = ("naam", "provincie", "status", "herinnering", "contracteinde")


@dataclass
class OverviewRow:
    municipality: Municipality
    status: str
    participant: Organisation | None = None
    joint_body: Organisation | None = None
    submitted_at: datetime | None = None
    participation: Participation | None = None
    last_reminder: datetime | None = None
    reminder_count: int = 0
    reminders: list[datetime] | None = None  # filled for the rows of one page
    # The merged predecessor whose participation this row shows (the register names this
    # municipality as its successor), or None when the row is the municipality's own.
    via_predecessor: Municipality | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def contract_end(self) -> date | None:
        return self.participation.current_contract_end if self.participation else None

    @property
    def reminder_organisation_id(self) -> int | None:
        """Whom a reminder reaches: the organisation whose registration is still open, or,
        before anyone started, the municipality's own organisation. None when nothing is
        left to do (submitted, approved) or there is no one to write to."""
        if self.status in Participation.EDITABLE and self.participant is not None:
            return self.participant.pk
        if self.status in (NOT_STARTED, S.WITHDRAWN):
            return self.municipality.organisation_id
        return None


@dataclass
class ProvinceCount:
    province: str
    label: str
    total: int
    participating: int


@dataclass
class Overview:
    rows: list[OverviewRow]
    counts: list[tuple[str, str, int]]  # status, label, number (within the province filter)
    total: int
    provinces: list[ProvinceCount] | None = None  # over the whole register, no filter


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


def _predecessors(register: list[Municipality]) -> dict[int, list[Municipality]]:
    """Per municipality the ended municipalities that merged into it, also through a chain of
    mergers (A into B, B into C: both A and B are C's)."""
    direct: dict[int, list[Municipality]] = {}
    for municipality in register:
        if municipality.successor_id is not None:
            direct.setdefault(municipality.successor_id, []).append(municipality)
    result: dict[int, list[Municipality]] = {}
    for successor_id in direct:
        seen: list[Municipality] = []
        todo = list(direct[successor_id])
        while todo:
            predecessor = todo.pop()
            if predecessor in seen:
                continue
            seen.append(predecessor)
            todo.extend(direct.get(predecessor.pk, []))
        result[successor_id] = seen
    return result


def _deciding_coverage(
    municipality: Municipality,
    predecessors: dict[int, list[Municipality]],
    coverage: dict[int, CoveredMunicipality],
) -> tuple[CoveredMunicipality | None, Municipality | None]:
    """The coverage that decides a current municipality's status: its own, or that of a
    merged predecessor (the successor took over its participation, decision 0025). Its own
    active coverage comes first; else an active one wins, then the latest. Returns it with
    the predecessor it came through (None for its own)."""
    best, via = coverage.get(municipality.pk), None
    if best is not None and best.is_active:
        return best, None  # its own registration comes first
    for predecessor in predecessors.get(municipality.pk, []):
        candidate = coverage.get(predecessor.pk)
        if candidate is not None and (best is None or _ranks_higher(candidate, best)):
            best, via = candidate, predecessor
    return best, via


def _last_reminders(*, programme: Programme) -> dict[int, tuple[datetime, int]]:
    """One query: per organisation the last reminder for the programme and how many."""
    rows = (
        Reminder.objects.filter(programme=programme)
        .values("organisation_id")
        .annotate(last=Max("sent_at"), n=Count("id"))
        .order_by()
    )
    return {row["organisation_id"]: (row["last"], row["n"]) for row in rows}


def _sort_key(sort: str):
    order = {key: i for i, (key, _label) in enumerate(OVERVIEW_STATUSES)}
    far = date.max
    keys = {
        "provincie": lambda r: (r.municipality.province, r.municipality.name),
        "status": lambda r: (order[r.status], r.municipality.name),
        # Never reminded first: those are the ones to chase.
        "herinnering": lambda r: (
            r.last_reminder is not None,
            r.last_reminder or datetime.min.replace(tzinfo=UTC),
            r.municipality.name,
        ),
        "contracteinde": lambda r: (r.contract_end or far, r.municipality.name),
    }
    return keys.get(sort, lambda r: (r.municipality.name, r.municipality.cbs_code))


def participation_overview(
    *,
    programme: Programme,
    province: str = "",
    status: str = "",
    search: str = "",
    sort: str = "",
    descending: bool = False,
) -> Overview:
    """Every current municipality of the register with its status for the programme, in three
    queries whatever the number of municipalities. ``province``, ``status`` and ``search``
    (name or CBS code) filter the rows; the counts follow the province filter only, so they
    show what each status holds; the per-province counts cover the whole register."""
    # The whole register in one query: the current municipalities are the rows, the ended
    # ones lend their participation to their successor.
    register = list(Municipality.objects.order_by("name", "cbs_code"))
    predecessors = _predecessors(register)
    coverage = _coverage_by_municipality(programme=programme)
    reminded = _last_reminders(programme=programme)
    rows = []
    for municipality in register:
        if municipality.valid_until is not None:
            continue
        covered, via = _deciding_coverage(municipality, predecessors, coverage)
        if covered is None:
            row = OverviewRow(municipality=municipality, status=NOT_STARTED)
        else:
            participation = covered.participation
            organisation = participation.organisation
            row = OverviewRow(
                municipality=municipality,
                status=participation.status,
                participant=organisation,
                joint_body=organisation
                if organisation.kind == Organisation.Kind.JOINT_BODY
                else None,
                submitted_at=participation.submitted_at,
                participation=participation,
                via_predecessor=via,
            )
        target = row.reminder_organisation_id or (row.participant.pk if row.participant else None)
        if target in reminded:
            row.last_reminder, row.reminder_count = reminded[target]
        rows.append(row)
    provinces = _province_counts(rows)
    if province in Province.values:
        rows = [row for row in rows if row.municipality.province == province]
    tally = Counter(row.status for row in rows)
    counts = [(key, str(label), tally.get(key, 0)) for key, label in OVERVIEW_STATUSES]
    if status in STATUS_LABELS:
        rows = [row for row in rows if row.status == status]
    needle = search.strip().casefold()
    if needle:
        rows = [
            row
            for row in rows
            if needle in row.municipality.name.casefold()
            or needle in row.municipality.cbs_code.casefold()
        ]
    if sort in SORTS[1:] or descending:
        rows.sort(key=_sort_key(sort), reverse=descending)
    return Overview(rows=rows, counts=counts, total=sum(tally.values()), provinces=provinces)


def reminder_dates(*, programme: Programme, rows: list[OverviewRow]) -> None:
    """One query: fill in the dates of every reminder for the rows of one page."""
    targets: set[int] = set()
    for row in rows:
        target = row.reminder_organisation_id or getattr(row.participant, "pk", None)
        if target is not None:
            targets.add(target)
    dates: dict[int, list[datetime]] = {}
    for organisation_id, sent_at in (
        Reminder.objects.filter(programme=programme, organisation_id__in=targets)
        .order_by("-sent_at")
        .values_list("organisation_id", "sent_at")
    ):
        dates.setdefault(organisation_id, []).append(sent_at)
    for row in rows:
        target = row.reminder_organisation_id or getattr(row.participant, "pk", None)
        row.reminders = dates.get(target, []) if target else []


def _province_counts(rows: list[OverviewRow]) -> list[ProvinceCount]:
    totals: Counter[str] = Counter()
    taking_part: Counter[str] = Counter()
    for row in rows:
        totals[row.municipality.province] += 1
        if row.status in PARTICIPATING:
            taking_part[row.municipality.province] += 1
    return [
        ProvinceCount(str(value), str(label), totals[value], taking_part[value])
        for value, label in Province.choices
        if totals[value]
    ]


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


def demand_reminder_dates(*, programme: Programme) -> dict[int, list[datetime]]:
    """One query: per organisation the dates of its reminders about the demand, newest first."""
    dates: dict[int, list[datetime]] = {}
    for organisation_id, sent_at in (
        Reminder.objects.filter(programme=programme, kind=Milestone.Kind.DEMAND_DEADLINE)
        .order_by("-sent_at")
        .values_list("organisation_id", "sent_at")
    ):
        dates.setdefault(organisation_id, []).append(sent_at)
    return dates


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
