"""Reads of the tenders app, scoped to the viewer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from municipalities.models import CoveredMunicipality, Municipality, Participation, Province
from portal.models import Organisation
from portal.selectors import is_project_team_editor
from portal.tenancy import get_visible_or_404, require

from .models import Milestone, Programme


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
