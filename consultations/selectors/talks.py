"""Reads of the consultation's talks, scoped to the viewer: the project team sees every slot
with the supplier that booked it; a supplier sees the free slots and its own booking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from consultations.models import Consultation, TalkSlot
from portal.selectors import membership_for
from portal.tenancy import get_visible_or_404


def slots_for_project_team(*, consultation: Consultation) -> QuerySet[TalkSlot]:
    return (
        TalkSlot.objects.filter(consultation=consultation)
        .select_related("organisation", "booked_by")
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class TalkDay:
    """A day (Dutch time) with talks, and how many of them are booked."""

    day: date
    total: int
    booked: int


@dataclass
class TalkDayListing:
    """The project team's talks one day at a time: every day with its counts (one GROUP BY),
    the chosen day and its slots, and the totals over all days."""

    days: list[TalkDay]
    current: TalkDay | None
    slots: list[TalkSlot]

    @property
    def total(self) -> int:
        return sum(day.total for day in self.days)

    @property
    def booked(self) -> int:
        return sum(day.booked for day in self.days)

    def _neighbour(self, step: int) -> TalkDay | None:
        if self.current is None:
            return None
        index = self.days.index(self.current) + step
        return self.days[index] if 0 <= index < len(self.days) else None

    @property
    def previous(self) -> TalkDay | None:
        return self._neighbour(-1)

    @property
    def next(self) -> TalkDay | None:
        return self._neighbour(1)


def parse_day(value: Any) -> date | None:
    """A day from the ``dag`` parameter (YYYY-MM-DD); None for anything else."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def talk_days(*, consultation: Consultation) -> list[TalkDay]:
    """Every day (Dutch time) with talks, in order, with its number of talks and bookings."""
    rows = (
        TalkSlot.objects.filter(consultation=consultation)
        .annotate(day=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(total=Count("id"), booked=Count("id", filter=Q(organisation__isnull=False)))
        .order_by("day")
    )
    return [TalkDay(day=row["day"], total=row["total"], booked=row["booked"]) for row in rows]


def talks_of_day(*, consultation: Consultation, day: Any = None) -> TalkDayListing:
    """The slots of one day for the project team, with the supplier that booked each. Without
    a (known) day: today or the first day after it with talks, else the last day with talks.
    Two queries, whatever the number of talks."""
    days = talk_days(consultation=consultation)
    wanted = parse_day(day)
    current = next((d for d in days if d.day == wanted), None)
    if current is None and days:
        today = timezone.localdate()
        current = next((d for d in days if d.day >= today), days[-1])
    slots: list[TalkSlot] = []
    if current is not None:
        zone = timezone.get_current_timezone()
        start = datetime.combine(current.day, time.min, tzinfo=zone)
        end = datetime.combine(current.day + timedelta(days=1), time.min, tzinfo=zone)
        slots = list(
            slots_for_project_team(consultation=consultation).filter(
                starts_at__gte=start, starts_at__lt=end
            )
        )
    return TalkDayListing(days=days, current=current, slots=slots)


def slot_length_minutes(*, consultation: Consultation) -> int | None:
    """The length every talk of the consultation has (set by its first slot), if any."""
    first = (
        TalkSlot.objects.filter(consultation=consultation)
        .order_by("starts_at")
        .values("starts_at", "ends_at")
        .first()
    )
    if first is None:
        return None
    return int((first["ends_at"] - first["starts_at"]).total_seconds() // 60)


def talks_for_supplier(*, user: Any, organisation, consultation: Consultation) -> dict[str, Any]:
    """The supplier's own booking (or None) and the free slots still to book, in one query."""
    slots = list(
        TalkSlot.objects.visible_to(user)
        .filter(consultation=consultation)
        .filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .order_by("starts_at", "id")
    )
    own = next((s for s in slots if s.organisation_id == organisation.pk), None)
    now = timezone.now()
    free = [s for s in slots if s.organisation_id is None and s.starts_at > now]
    return {"own_slot": own, "free_slots": free}


def slot_get(*, user: Any, consultation: Consultation, public_id) -> TalkSlot:
    """A slot the user may see (project team: any; supplier: free or its own); else 404."""
    return get_visible_or_404(
        TalkSlot.objects.select_related("consultation", "organisation"),
        user,
        consultation=consultation,
        public_id=public_id,
    )


def slot_get_with_minutes(*, user: Any, consultation: Consultation, public_id) -> TalkSlot:
    """A slot whose minutes the user may read: the project team, or the supplier that booked
    it. Everybody else, and a slot without minutes, gets 404."""
    slot = slot_get(user=user, consultation=consultation, public_id=public_id)
    if not slot.minutes or not slot.is_booked:
        raise Http404
    if slot.organisation is None:  # a booked slot always has one (a database constraint)
        raise Http404
    if (
        not user.is_project_team
        and membership_for(user=user, organisation=slot.organisation) is None
    ):
        raise Http404
    return slot


def manage_part(*, user: Any, consultation) -> dict[str, Any]:
    """Context for `templates/consultations/consultation_parts/manage_talks.html`."""
    counts = TalkSlot.objects.filter(consultation=consultation).aggregate(
        total=Count("id"), booked=Count("id", filter=Q(organisation__isnull=False))
    )
    return {"talk_counts": counts}


def public_part(*, user: Any, consultation, **_options: Any) -> dict[str, Any]:
    """Talks are not public: the public page shows nothing of them."""
    return {}
