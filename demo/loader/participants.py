"""The participants' story, recorded through the services: each registers, has its mandate
drawn up and signed, submits, and is approved by the project team (or returned, or withdraws
later), and the approved ones enter and submit their demand.

The services refuse a step after its deadline, and the demo records months of steps in one
go. So while the participants' steps are recorded the deadline they had to meet is lifted
(``deadline_lifted``), and put back before anything else reads it; then the rows get the
dates of the story (``_date_story``), all on working days within office hours. The audit
trail keeps the moment the demo was loaded: it records what happened, and is never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from demo.loader.demand import demand_enter_and_submit
from demo.loader.mandates import mandate_complete, signing_authority_record
from demo.loader.organisations import PARTICIPANTS, DemoParticipant, Outcome
from demo.loader.workdays import add_working_days, office_time, working_days_between
from municipalities.models import Demand, DemandVersion, Municipality, Participation
from municipalities.services.participations import (
    participation_approve,
    participation_create,
    participation_return,
    participation_submit,
    participation_withdraw,
)
from portal.models import Organisation, User
from tenders.models import Lot, Milestone, Programme

K = Milestone.Kind


@contextmanager
def deadline_lifted(*, programme: Programme, kind: str) -> Iterator[None]:
    """Record steps as if before the deadline ``kind``; the milestone is unchanged after."""
    milestone = Milestone.objects.get(programme=programme, kind=kind)
    Milestone.objects.filter(pk=milestone.pk).delete()
    try:
        yield
    finally:
        Milestone.objects.create(programme=programme, kind=kind, due_at=milestone.due_at)


@dataclass
class StoryDates:
    """When one participant did what (Amsterdam office hours, working days)."""

    registered: datetime
    mandate_requested: datetime
    signed: datetime
    submitted: datetime
    decided: datetime
    demand_submitted: datetime | None = None
    withdrawn: datetime | None = None


def story_dates(*, index: int, count: int, milestones: dict[str, datetime]) -> StoryDates:
    """Registrations spread over the joining period; each next step a few working days on."""
    opens = milestones[K.JOINING_OPENS].date()
    joining_deadline = milestones[K.JOINING_DEADLINE].date()
    demand_deadline = milestones[K.DEMAND_DEADLINE].date()
    # The last registration leaves two weeks for the mandate, the submission and the decision.
    window = working_days_between(opens, add_working_days(joining_deadline, -10))
    registered = window[index * (len(window) - 1) // max(count - 1, 1)]
    seed = index * 5 + 3

    def on(day: date, offset: int) -> datetime:
        return office_time(day, seed + offset)

    requested = add_working_days(registered, 1)
    signed = add_working_days(requested, 2 + index % 3)
    decided = add_working_days(signed, 2 + index % 4)
    # Demand comes in over the inventory period, the last ones in the final week.
    days_left = working_days_between(decided, demand_deadline)
    demand = days_left[min(len(days_left) - 1, 5 + (index * 7) % max(len(days_left) - 5, 1))]
    withdrawn = add_working_days(decided, 8)
    return StoryDates(
        registered=on(registered, 0),
        mandate_requested=on(requested, 1),
        signed=on(signed, 2),
        submitted=on(signed, 2) + timedelta(minutes=20),
        decided=on(decided, 3),
        demand_submitted=on(demand, 4),
        withdrawn=on(withdrawn, 5),
    )


def _contract_end(index: int, programme_start: date) -> date:
    """The end of the current hardware contract: some just before the new framework starts,
    others later (their mini-competition follows then)."""
    months = (index * 5) % 19 - 1
    year = programme_start.year + (programme_start.month - 1 + months) // 12
    month = (programme_start.month - 1 + months) % 12 + 1
    return date(year, month, 1) - timedelta(days=1)


def _contacts(participant: DemoParticipant) -> dict[str, dict[str, str]]:
    return {
        "procurement": {
            "name": participant.editor,
            "email": participant.editor_email,
            "phone": "",
        },
        "ict_workplace": {
            "name": "Servicedesk werkplek",
            "email": f"werkplek@{participant.short}.demo.gt-portaal.nl",
            "phone": "",
        },
    }


def participants_load(*, programme: Programme, users: dict[str, User], team: User) -> int:
    """Record every participant's story (the caller runs it once, in one transaction)."""
    milestones = {m.kind: m.due_at for m in programme.milestones.all()}
    organisations = {
        o.slug: o for o in Organisation.objects.filter(slug__in=[p.slug for p in PARTICIPANTS])
    }
    lots = list(Lot.objects.filter(programme=programme))
    contract_start = milestones[K.CONTRACT_START].date()
    dates = [
        story_dates(index=i, count=len(PARTICIPANTS), milestones=milestones)
        for i in range(len(PARTICIPANTS))
    ]
    participations: list[Participation] = []
    with deadline_lifted(programme=programme, kind=K.JOINING_DEADLINE):
        for index, participant in enumerate(PARTICIPANTS):
            participations.append(
                participation_create(
                    actor=users[participant.editor_email],
                    programme=programme,
                    organisation=organisations[participant.slug],
                    municipalities=Municipality.objects.filter(cbs_code__in=participant.cbs_codes),
                    own_staff=participant.kind == Organisation.Kind.OTHER_AUTHORITY,
                    seat_municipality=Municipality.objects.get(cbs_code=participant.cbs_codes[0]),
                    contacts=_contacts(participant),
                    current_contract_end=_contract_end(index, contract_start),
                    lots=lots,
                )
            )
    for index, (participant, when) in enumerate(zip(PARTICIPANTS, dates, strict=True)):
        participation = participations[index]
        editor = users[participant.editor_email]
        signing_authority_record(
            participation=participation,
            participant=participant,
            editor=editor,
            signatory=users[participant.signatory_email],
            team=team,
            # Two weeks before the mandate was drawn up: the same weekday, a working day.
            decided_on=(when.mandate_requested - timedelta(days=14)).date(),
        )
        mandate_complete(
            participation=participation,
            participant=participant,
            editor=editor,
            signatory=users[participant.signatory_email],
            requested_at=when.mandate_requested,
            signed_at=when.signed,
        )
        participation_submit(actor=editor, participation=participation)
        if participant.outcome == Outcome.RETURNED:
            participation_return(actor=team, participation=participation, reason=participant.reason)
            continue
        participation = participation_approve(actor=team, participation=participation)
        if participant.outcome == Outcome.WITHDRAWN:
            participation = participation_withdraw(
                actor=editor, participation=participation, reason=participant.reason
            )
        participations[index] = participation
    with deadline_lifted(programme=programme, kind=K.DEMAND_DEADLINE):
        for participation, participant in zip(participations, PARTICIPANTS, strict=True):
            if participant.outcome == Outcome.APPROVED:
                demand_enter_and_submit(
                    participation=participation, editor=users[participant.editor_email]
                )
    for participation, participant, when in zip(participations, PARTICIPANTS, dates, strict=True):
        _date_story(participation=participation, outcome=participant.outcome, when=when)
    return len(participations)


def _date_story(*, participation: Participation, outcome: str, when: StoryDates) -> None:
    last = when.decided
    fields: dict[str, datetime | None] = {
        "created_at": when.registered,
        "submitted_at": when.submitted,
        "decided_at": when.decided,
    }
    if outcome == Outcome.WITHDRAWN:
        fields["withdrawn_at"] = last = when.withdrawn or last
    if outcome == Outcome.APPROVED and when.demand_submitted is not None:
        last = when.demand_submitted
        demand = Demand.objects.filter(participation=participation)
        demand.update(updated_at=when.demand_submitted)
        DemandVersion.objects.filter(demand__in=demand).update(submitted_at=when.demand_submitted)
    Participation.objects.filter(pk=participation.pk).update(updated_at=last, **fields)
