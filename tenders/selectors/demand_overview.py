"""The project team's overview of everyone's demand in a programme: per participant the state
of its demand inventory."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Demand, DemandVersion, Participation
from portal.models import Organisation
from portal.paged_rows import PagedRows
from tenders.models import Milestone, Programme
from tenders.selectors.overview_counts import NOT_STARTED

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
    rows: PagedRows[DemandRow]
    counts: list[tuple[str, str, int]]  # status, label, number of participants
    late: int
    total: int


def _demand_states(programme: Programme) -> Any:  # QuerySet[Participation], annotated
    """The approved participations with their demand's state, computed by the database: the
    status the overview shows, the deadline (the programme's or the participant's
    extension) and whether it has passed without a submitted version."""
    now = timezone.now()
    programme_deadline = programme.milestone_at(Milestone.Kind.DEMAND_DEADLINE)
    extended = F("demand__deadline_extended_until")
    if programme_deadline is None:
        deadline: Any = extended
    else:
        deadline = Case(
            When(demand__deadline_extended_until__gt=programme_deadline, then=extended),
            default=Value(programme_deadline),
        )
    # By the demand's id (the participation's one demand, joined for its status): the database
    # then looks up the versions of that demand, instead of joining every demand of every
    # programme to its versions first.
    submitted = Exists(DemandVersion.objects.filter(demand_id=OuterRef("demand__id")))
    return (
        Participation.objects.filter(programme=programme, status=Participation.Status.APPROVED)
        .annotate(has_version=submitted, deadline=deadline)
        .annotate(
            demand_status=Case(
                When(has_version=False, then=Value(NOT_STARTED)),
                default=F("demand__status"),
            ),
            is_late=Case(
                When(has_version=False, deadline__lte=now, then=Value(True)),
                default=Value(False),
            ),
        )
    )


def demand_overview(
    *, programme: Programme, status: str = "", late: bool = False, search: str = ""
) -> DemandOverview:
    """Every approved participation of the programme with the state of its demand.
    ``status``, ``late`` and ``search`` (the participant's name) filter the rows; the counts
    are over all approved participations. Counted and filtered by the database in one query;
    the rows are read a page at a time (``PagedRows``), in two queries per page."""
    participations = _demand_states(programme)
    grouped = participations.values("demand_status", "is_late").annotate(n=Count("pk")).order_by()
    tally: Counter[str] = Counter()
    late_count = 0
    for row in grouped:
        tally[row["demand_status"]] += row["n"]
        late_count += row["n"] if row["is_late"] else 0
    counts = [(key, str(label), tally.get(key, 0)) for key, label in DEMAND_STATUSES]
    known: int | None = sum(tally.values())
    if status in DEMAND_STATUS_LABELS:
        participations = participations.filter(demand_status=status)
        known = tally.get(status, 0)
    if late:
        participations = participations.filter(is_late=True)
        known = late_count if known == sum(tally.values()) else None
    needle = search.strip()
    if needle:
        participations = participations.filter(organisation__name__icontains=needle)
        known = None
    # The page is sorted as keys: the states (three EXISTS over every version) are only
    # computed where a filter needs them, and for the page's rows from their own query.
    rows = PagedRows(
        participations.order_by("organisation__name", "pk").values_list("pk", flat=True),
        partial(_demand_rows, programme),
        count=known,
    )
    return DemandOverview(rows=rows, counts=counts, late=late_count, total=sum(tally.values()))


def _demand_rows(programme: Programme, page: list[int]) -> list[DemandRow]:
    """The rows of one page: the participations with their organisation, demand, the number
    of municipalities they cover and their latest version, in one query. Their state follows
    from those as ``_demand_states`` computes it in SQL for the filters and counts: no
    version yet is "not started", and late once the deadline (``Demand.deadline``) passed."""
    now = timezone.now()
    programme_deadline = programme.milestone_at(Milestone.Kind.DEMAND_DEADLINE)
    participations = (
        Participation.objects.filter(pk__in=page)
        .select_related("organisation", "demand")
        .annotate(
            # Two joins fan out: count coverages distinctly; Max is not affected.
            municipality_count=Count("covered", filter=Q(covered__is_active=True), distinct=True),
            latest_version=Max("demand__versions__number"),
            latest_submitted_at=Max("demand__versions__submitted_at"),
        )
        .in_bulk()
    )
    rows = []
    for pk in page:
        participation = participations[pk]
        participation.programme = programme  # Demand.deadline reads it: no extra query
        demand = getattr(participation, "demand", None)
        started = participation.latest_version is not None
        deadline = demand.deadline if demand is not None else programme_deadline
        rows.append(
            DemandRow(
                participation=participation,
                demand=demand,
                status=demand.status if started and demand is not None else NOT_STARTED,
                municipality_count=participation.municipality_count,
                latest_version=participation.latest_version,
                submitted_at=participation.latest_submitted_at,
                deadline=deadline,
                is_late=not started and deadline is not None and deadline <= now,
            )
        )
    return rows
