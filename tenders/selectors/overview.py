"""The project team's overview of a programme's participation: every municipality's status
(the demand overview is in ``tenders.selectors.demand_overview``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from municipalities.models import (
    CoveredMunicipality,
    Municipality,
    Participation,
    Province,
)
from portal.models import Organisation
from portal.paged_rows import PagedRows
from tenders.models import (
    Programme,
    Reminder,
)
from tenders.selectors.overview_counts import NOT_STARTED, participation_status_counts

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
    rows: PagedRows[OverviewRow]
    counts: list[tuple[str, str, int]]  # status, label, number (within the province filter)
    total: int
    provinces: list[ProvinceCount]  # over the whole register, no filter


def _deciding_coverage(programme: Programme) -> QuerySet[CoveredMunicipality]:
    """For the municipality of the outer query, the coverage that decides its status: its
    own or that of a merged predecessor (the successor took over its participation,
    decision 0025; two mergers deep). Its own active coverage comes first; else an active
    one wins (there is at most one per municipality), then the latest withdrawn one.

    The predecessors are few (a handful of mergers a year), so they are read first and the
    subquery only looks beyond the municipality's own coverage when there are any: the
    common case stays one index lookup per municipality."""
    coverages = CoveredMunicipality.objects.filter(programme=programme).filter(
        Q(is_active=True) | Q(participation__status=S.WITHDRAWN)
    )
    latest = (
        F("is_active").desc(),
        Coalesce("participation__withdrawn_at", "participation__created_at").desc(),
        "-pk",
    )
    merged = list(Municipality.objects.filter(successor__isnull=False).values_list("pk", flat=True))
    if not merged:
        return coverages.filter(municipality=OuterRef("pk")).order_by(*latest)
    inherited = Q(municipality__in=merged) & (
        Q(municipality__successor=OuterRef("pk"))
        | Q(municipality__successor__successor=OuterRef("pk"))
    )
    return coverages.filter(Q(municipality=OuterRef("pk")) | inherited).order_by(
        Case(
            # Its own: the municipality of the outer query is current, its merged
            # predecessors have ended.
            When(is_active=True, municipality__valid_until__isnull=True, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ).desc(),
        *latest,
    )


def _with_status(programme: Programme) -> Any:  # QuerySet[Municipality], annotated
    """Every current municipality with its status for the programme, computed by the
    database: the deciding coverage, its participation's status, the participant, the
    organisation a reminder goes to and the end of the current contract."""
    deciding = _deciding_coverage(programme)
    return (
        Municipality.objects.current()
        .annotate(
            coverage_id=Subquery(deciding.values("pk")[:1]),
            overview_status=Coalesce(
                Subquery(deciding.values("participation__status")[:1]), Value(NOT_STARTED)
            ),
            participant_id=Subquery(deciding.values("participation__organisation_id")[:1]),
        )
        .annotate(
            reminder_target=Case(
                When(
                    overview_status__in=(NOT_STARTED, S.WITHDRAWN),
                    then=Coalesce(
                        F("organisation_id"), F("participant_id"), output_field=IntegerField()
                    ),
                ),
                default=F("participant_id"),
                output_field=IntegerField(),
            )
        )
    )


def last_reminder(programme: Programme) -> Subquery:
    """When the organisation a municipality's reminder goes to (``reminder_target``) was last
    reminded for the programme (an index lookup per municipality)."""
    return Subquery(
        Reminder.objects.filter(programme=programme, organisation_id=OuterRef("reminder_target"))
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )


def _ordering(programme: Programme, sort: str, descending: bool) -> tuple[Any, list[Any]]:
    """The annotation a sort needs (or None) and the ORDER BY of the overview."""

    def by(*keys: Any) -> list[Any]:
        return [k.desc() if descending else k.asc() for k in keys]

    if sort == "provincie":
        return None, by(F("province"), F("name"), F("cbs_code"))
    if sort == "status":
        order = Case(
            *[
                When(overview_status=key, then=Value(i))
                for i, (key, _l) in enumerate(OVERVIEW_STATUSES)
            ]
        )
        return ("status_order", order), by(F("status_order"), F("name"), F("cbs_code"))
    if sort == "herinnering":
        # Never reminded first: those are the ones to chase.
        key = F("last_reminder")
        first = key.desc(nulls_last=True) if descending else key.asc(nulls_first=True)
        return ("last_reminder", last_reminder(programme)), [first, *by(F("name"), F("cbs_code"))]
    if sort == "contracteinde":
        end = Subquery(
            CoveredMunicipality.objects.filter(pk=OuterRef("coverage_id")).values(
                "participation__current_contract_end"
            )[:1]
        )
        key = F("contract_end")
        first = key.desc(nulls_first=True) if descending else key.asc(nulls_last=True)
        return ("contract_end", end), [first, *by(F("name"), F("cbs_code"))]
    return None, by(F("name"), F("cbs_code"))


def overview_municipalities(
    *,
    programme: Programme,
    province: str = "",
    status: str = "",
    search: str = "",
    sort: str = "",
    descending: bool = False,
) -> Any:  # QuerySet[Municipality], annotated by ``_with_status``
    """The current municipalities of the overview, filtered by ``province``, ``status`` and
    ``search`` (name or CBS code) and sorted, by the database."""
    municipalities = _with_status(programme)
    if province in Province.values:
        municipalities = municipalities.filter(province=province)
    if status in STATUS_LABELS:
        municipalities = municipalities.filter(overview_status=status)
    needle = search.strip()
    if needle:
        municipalities = municipalities.filter(
            Q(name__icontains=needle) | Q(cbs_code__icontains=needle)
        )
    extra, ordering = _ordering(programme, sort if sort in SORTS else "", descending)
    if extra:
        municipalities = municipalities.annotate(**{extra[0]: extra[1]})
    return municipalities.order_by(*ordering)


def participation_overview(
    *,
    programme: Programme,
    province: str = "",
    status: str = "",
    search: str = "",
    sort: str = "",
    descending: bool = False,
) -> Overview:
    """Every current municipality of the register with its status for the programme
    (``overview_municipalities``). The counts follow the province filter only, so they show
    what each status holds; the per-province counts cover the whole register. Counted by the
    database in one query; the rows are read a page at a time (``PagedRows``)."""
    grouped = participation_status_counts(programme=programme)
    tally: Counter[str] = Counter()
    for (where, key), n in grouped.items():
        if province not in Province.values or where == province:
            tally[key] += n
    counts = [(key, str(label), tally.get(key, 0)) for key, label in OVERVIEW_STATUSES]
    municipalities = overview_municipalities(
        programme=programme,
        province=province,
        status=status,
        search=search,
        sort=sort,
        descending=descending,
    )
    # Without a search the counts above already hold the number of rows.
    known = (
        None
        if search.strip()
        else tally.get(status, 0)
        if status in STATUS_LABELS
        else sum(tally.values())
    )
    return Overview(
        rows=PagedRows(municipalities, partial(_rows, programme), count=known),
        counts=counts,
        total=sum(tally.values()),
        provinces=_province_counts(grouped),
    )


# The fields of a row's deciding coverage that ``OverviewRow`` and its readers use.
COVERAGE_FIELDS = (
    "participation",
    "participation__public_id",
    "participation__status",
    "participation__submitted_at",
    "participation__current_contract_end",
    "participation__organisation",
    "participation__organisation__name",
    "participation__organisation__kind",
    "municipality",
    "municipality__name",
    "municipality__cbs_name",
    "municipality__cbs_code",
)


def _rows(programme: Programme, municipalities: list[Any]) -> list[OverviewRow]:
    """The rows of these municipalities (annotated by ``_with_status``): their deciding
    coverage with participation and participant in one query, every reminder of the
    programme to the organisations concerned in another."""
    coverages = (
        CoveredMunicipality.objects.select_related("participation__organisation", "municipality")
        # What a row shows: a participation is wide, and the export reads 3,420 of them.
        .only(*COVERAGE_FIELDS)
        .in_bulk([m.coverage_id for m in municipalities if m.coverage_id])
    )
    targets = {m.reminder_target for m in municipalities if m.reminder_target}
    dates: dict[int, list[datetime]] = {}
    for organisation_id, sent_at in (
        Reminder.objects.filter(programme=programme, organisation_id__in=targets)
        .order_by("-sent_at")
        .values_list("organisation_id", "sent_at")
    ):
        dates.setdefault(organisation_id, []).append(sent_at)
    rows = []
    for municipality in municipalities:
        covered = coverages.get(municipality.coverage_id)
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
                via_predecessor=covered.municipality
                if covered.municipality_id != municipality.pk
                else None,
            )
        row.reminders = dates.get(municipality.reminder_target, [])
        if row.reminders:
            row.last_reminder, row.reminder_count = row.reminders[0], len(row.reminders)
        rows.append(row)
    return rows


def _province_counts(grouped: Counter[tuple[str, str]]) -> list[ProvinceCount]:
    totals: Counter[str] = Counter()
    taking_part: Counter[str] = Counter()
    for (province, status), n in grouped.items():
        totals[province] += n
        if status in PARTICIPATING:
            taking_part[province] += n
    return [
        ProvinceCount(str(value), str(label), totals[value], taking_part[value])
        for value, label in Province.choices
        if totals[value]
    ]
