"""Reads for the project team's demand follow-up that are not the overview itself: the dates
of the demand reminders per participant and the lines of the latest submitted versions (the
export)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, OuterRef, QuerySet, Subquery

from catalog.models import name_column
from municipalities.models import DemandVersion, DemandVersionLine, Participation, municipality_name
from tenders.models import Milestone, Programme, Reminder

S = Participation.Status


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
    category and year, in a stable order, as rows of values (not model instances: at ten times
    the Netherlands these are a hundred thousand lines), in the export's columns: participant,
    CBS code, municipality (its CBS name, else its name), category code and name (in the active
    language), year, quantity, minimum, maximum, version number, submitted at."""
    return (
        DemandVersionLine.objects.filter(version__in=latest_demand_versions(programme=programme))
        .order_by(
            "version__demand__participation__organisation__name",
            "municipality__name",
            "category__sort_order",
            "category__slug",
            "year",
        )
        .values_list(
            "version__demand__participation__organisation__name",
            "municipality__cbs_code",
            municipality_name("municipality__"),
            "category__slug",
            name_column("category__"),
            "year",
            "quantity",
            "min_quantity",
            "max_quantity",
            "version__number",
            "version__submitted_at",
        )
    )
