"""Reminders about the demand inventory. Before the demand deadline every approved participant
whose demand is not submitted is reminded (on the schedule of the joining reminders, once per
programme, organisation and number of days), and the project team can remind the participants
it selects on the demand overview by hand (at most 50 at a time, each at most once a day).

A reminder goes to the participant's administrators and editors or, when it has none (they
left), to the contacts the project team has for it; the mail names the municipalities the
inventory covers and the participant's own deadline (an extension included)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import CoveredMunicipality, Demand, Participation
from municipalities.selectors.participations import frozen_reason
from portal.tenancy import require
from tenders.models import Milestone, Programme
from tenders.selectors.programme import can_change_programme
from tenders.services.programme import _reminder_addresses, _reminder_due, _reminder_send_one
from tenders.services.reminders import (
    MAX_SELECTED,
    ReminderResult,
    reminded_by_hand_recently,
    reminder_send_by_hand,
)

KIND = Milestone.Kind.DEMAND_DEADLINE
# The stored statuses in which demand is collected (the buyer's dashboard offers the inventory
# then); a frozen programme takes no demand.
DEMAND_PHASES = (
    Programme.Status.JOINING,
    Programme.Status.INVENTORY,
    Programme.Status.CONSULTATION,
)
TEMPLATE = "tenders/email/demand_reminder.txt"


@dataclass
class DemandState:
    participation: Participation
    submitted: bool
    deadline: datetime | None  # the participant's own: the programme's or its extension
    municipalities: list[str]

    @property
    def organisation(self):
        return self.participation.organisation


def demand_states(
    *, programme: Programme, public_ids: list[str] | None = None
) -> list[DemandState]:
    """The approved participations of ``programme`` (of active organisations; only those with
    ``public_ids`` when given) and whether their demand is submitted: never started, a draft
    (also one changed after it was submitted) and a returned demand are not. Two queries; the
    programme's milestones are read through ``milestones.all()``."""
    participations = (
        Participation.objects.filter(
            programme=programme,
            status=Participation.Status.APPROVED,
            organisation__is_active=True,
        )
        .select_related("organisation", "demand")
        .prefetch_related(
            Prefetch(
                "covered",
                queryset=CoveredMunicipality.objects.filter(is_active=True)
                .select_related("municipality")
                .order_by("municipality__name"),
                to_attr="active_covered",
            )
        )
        .order_by("organisation__name", "pk")
    )
    if public_ids is not None:
        participations = participations.filter(public_id__in=public_ids)
    programme_deadline = programme.milestone_at(KIND)
    states = []
    for participation in participations:
        participation.programme = programme  # Demand.deadline reads it: no extra query
        demand = getattr(participation, "demand", None)
        states.append(
            DemandState(
                participation=participation,
                submitted=demand is not None and demand.status == Demand.Status.SUBMITTED,
                deadline=demand.deadline if demand is not None else programme_deadline,
                municipalities=[str(c.municipality) for c in participation.active_covered],
            )
        )
    return states


def _subject(programme: Programme) -> str:
    return _("Reminder: %(programme)s – submit your demand inventory") % {"programme": programme}


def _context(state: DemandState) -> dict:
    demand = getattr(state.participation, "demand", None)
    path = (
        reverse("municipalities:demand-edit", args=[demand.public_id])
        if demand is not None
        else reverse("portal:home")
    )
    return {
        "deadline": state.deadline,
        "municipalities": state.municipalities,
        "portal": settings.PORTAL_NAME,
        "url": settings.PORTAL_BASE_URL.rstrip("/") + path,
        "started": demand is not None,
    }


def demand_reminders_send(*, now: datetime | None = None) -> int:
    """Mail a reminder to every approved participant whose demand is not submitted when its
    deadline is within one of ``settings.REMINDER_DAYS_BEFORE`` days, in the programmes that
    collect demand. Each (programme, organisation, kind, days) goes out at most once (the
    ``Reminder`` constraint). Returns the number of reminders sent."""
    now = now or timezone.now()
    days = sorted({int(d) for d in settings.REMINDER_DAYS_BEFORE if int(d) > 0})
    programmes = (
        Programme.objects.filter(
            status__in=DEMAND_PHASES, frozen_at__isnull=True, milestones__kind=KIND
        )
        .prefetch_related("milestones")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for programme in programmes:
        milestone = next(m for m in programme.milestones.all() if m.kind == KIND)
        milestone.programme = programme
        due = []
        for state in demand_states(programme=programme):
            if state.submitted or state.deadline is None:
                continue
            days_before = _reminder_due(deadline=state.deadline, now=now, days=days)
            if days_before is not None:
                due.append((state, days_before))
        if not due:
            continue
        addresses = _reminder_addresses([state.organisation.pk for state, _days in due])
        for state, days_before in due:
            if _reminder_send_one(
                milestone=milestone,
                organisation=state.organisation,
                days_before=days_before,
                addresses=addresses.get(state.organisation.pk, []),
                now=now,
                subject=_subject(programme),
                template=TEMPLATE,
                context=_context(state),
            ):
                sent += 1
    return sent


def _valid_ids(values: list[str]) -> list[str]:
    ids = []
    for value in values:
        try:
            ids.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return ids


@transaction.atomic
def demand_reminders_send_selected(
    *, actor, programme: Programme, participation_ids: list[str]
) -> ReminderResult:
    """Mail a reminder to submit the demand to the chosen approved participants (by the
    participation's public id). Project-team admins and editors only; at most
    ``MAX_SELECTED`` per call; a participant reminded about its demand by hand in the last
    ``MANUAL_REMINDER_INTERVAL`` is skipped, as are those that submitted, whose deadline
    passed or that have no one to write to. Recorded, audited; mail goes out on commit."""
    require(lambda: can_change_programme(user=actor))
    ids = list(dict.fromkeys(value.strip() for value in participation_ids if value.strip()))
    if not ids:
        raise ValidationError(_("Select at least one participant."), code="empty")
    if len(ids) > MAX_SELECTED:
        raise ValidationError(
            _("Select at most %(max)d participants at a time.") % {"max": MAX_SELECTED},
            code="too_many",
        )
    frozen = frozen_reason(programme=programme)
    if frozen:
        raise ValidationError(frozen, code="frozen")
    milestone = next((m for m in programme.milestones.all() if m.kind == KIND), None)
    if milestone is None:
        raise ValidationError(_("The programme has no demand deadline yet."), code="no_deadline")
    now = timezone.now()
    states = demand_states(programme=programme, public_ids=_valid_ids(ids))
    targets = [state.organisation.pk for state in states]
    recent = reminded_by_hand_recently(
        programme=programme, kind=KIND, organisation_ids=targets, now=now
    )
    addresses = _reminder_addresses(targets)
    result = ReminderResult()
    unknown = len(ids) - len(states)
    if unknown:
        result.skipped.append(
            (
                _("%(count)d of the selected") % {"count": unknown},
                _("not an approved participant of this programme"),
            )
        )
    for state in states:
        organisation = state.organisation
        if state.submitted:
            result.skipped.append((organisation.name, _("has submitted its demand")))
        elif state.deadline is not None and state.deadline <= now:
            result.skipped.append((organisation.name, _("its deadline has passed")))
        elif organisation.pk in recent:
            result.skipped.append((organisation.name, _("was reminded less than a day ago")))
        elif not addresses.get(organisation.pk):
            result.skipped.append((organisation.name, _("there is no one to write to yet")))
        else:
            reminder_send_by_hand(
                actor=actor,
                programme=programme,
                organisation=organisation,
                kind=KIND,
                now=now,
                addresses=addresses[organisation.pk],
                subject=_subject(programme),
                template=TEMPLATE,
                context={"milestone": milestone, **_context(state)},
            )
            result.sent.append(organisation.name)
    return result
