"""What stands in the way of freezing a snapshot, shown before the confirmation and checked
again by the freeze itself: blocking problems and warnings, each in words a team member acts on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from municipalities.models import Demand, DemandVersion, Participation
from portal import dates
from tenders.models import (
    AggregationSnapshot,
    Lot,
    Milestone,
    Programme,
    SnapshotLotTotal,
    UnfreezeRequest,
)
from tenders.selectors.basis import included_versions, threshold_date

P = Participation.Status


def _when(value: datetime) -> str:
    return dates.moment_text(value)


@dataclass
class FreezeCheck:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Approved participants without submitted demand: each needs a recorded decision (named
    # with a warning, or left out) before the freeze.
    without_demand: list[Participation] = field(default_factory=list)

    @property
    def can_freeze(self) -> bool:
        return not self.problems


def demand_closes_at(*, programme: Programme) -> datetime | None:
    """When the last participant's demand closes: the programme's deadline or a later
    extension."""
    deadline = programme.milestone_at(Milestone.Kind.DEMAND_DEADLINE)
    extended = Demand.objects.filter(
        participation__programme=programme, participation__status=P.APPROVED
    ).aggregate(latest=Max("deadline_extended_until"))["latest"]
    if deadline is None:
        return extended
    return max(deadline, extended) if extended else deadline


def participants_without_demand(*, programme: Programme) -> list[Participation]:
    """Approved participants that have never submitted demand (or whose demand was returned)."""
    submitted = DemandVersion.objects.filter(
        demand__participation__programme=programme
    ).values_list("demand__participation_id", flat=True)
    return list(
        Participation.objects.filter(programme=programme, status=P.APPROVED)
        .filter(Q(demand__isnull=True) | ~Q(pk__in=submitted) | Q(demand__status="returned"))
        .select_related("organisation")
        .order_by("organisation__name")
    )


def freeze_check(
    *, snapshot: AggregationSnapshot, decisions: dict[str, str] | None = None
) -> FreezeCheck:
    """Every problem that blocks freezing ``snapshot`` and every warning. ``decisions`` maps a
    participation's public id to "name" or "exclude" for participants without demand."""
    programme = snapshot.programme
    check = FreezeCheck()
    decisions = decisions or {}
    now = timezone.now()
    if programme.frozen_at is not None:
        check.problems.append(_("The demand of this programme is already frozen."))
    closes = demand_closes_at(programme=programme)
    if closes is None:
        check.problems.append(_("The programme has no demand deadline."))
    elif closes > now:
        check.problems.append(
            _(
                "The demand inventory closes on %(date)s; the demand can only be frozen after "
                "that, when every participant has had the time given to them."
            )
            % {"date": _when(closes)}
        )
    if snapshot.threshold_amount is None:
        check.problems.append(
            _("No EU threshold is known for %(date)s, the planned publication.")
            % {"date": formats.date_format(snapshot.threshold_date or now.date())}
        )
    elif snapshot.threshold_date != threshold_date(programme):
        check.problems.append(
            _(
                "The planned publication moved after this calculation; the threshold in force "
                "then may differ. Run the aggregation again."
            )
        )
    if snapshot.unpriced_categories:
        check.problems.append(
            _(
                "These categories have demand but no reference price, so their value is "
                "unknown: %(names)s. Add a reference price and run the aggregation again."
            )
            % {"names": ", ".join(snapshot.unpriced_categories)}
        )
    included = set(snapshot.included_versions.values_list("pk", flat=True))
    current = set(included_versions(programme=programme).values_list("pk", flat=True))
    if included != current:
        check.problems.append(
            _(
                "Demand was submitted, returned or approved after this calculation. Run the "
                "aggregation again and freeze the new calculation."
            )
        )
    with_demand = set(
        SnapshotLotTotal.objects.filter(snapshot=snapshot, year=0, quantity__gt=0).values_list(
            "lot_id", flat=True
        )
    )
    for lot in Lot.objects.filter(programme=programme).order_by("number"):
        if lot.pk not in with_demand:
            check.problems.append(
                _(
                    "%(lot)s has no demand: its maximum would be 0 and no authority could call "
                    "off under it. Remove the lot or its categories, or ask for demand first."
                )
                % {"lot": lot}
            )
    check.without_demand = participants_without_demand(programme=programme)
    for participation in check.without_demand:
        decision = decisions.get(str(participation.public_id))
        if decision == "name":
            check.warnings.append(
                _(
                    "%(organisation)s is named as an authority without demand: its estimate "
                    "and maximum are 0."
                )
                % {"organisation": participation.organisation}
            )
        elif decision != "exclude":
            check.problems.append(
                _(
                    "%(organisation)s is an approved participant without submitted demand. "
                    "Decide whether it is named without demand or left out."
                )
                % {"organisation": participation.organisation}
            )
    undecided = Participation.objects.filter(programme=programme, status=P.SUBMITTED).count()
    if undecided:
        check.warnings.append(
            _(
                "%(count)s registrations still await a decision; their demand is not in this "
                "calculation."
            )
            % {"count": undecided}
        )
    if snapshot.above_threshold is False:
        check.warnings.append(
            _("The procurement is below the EU threshold: check the choice of procedure.")
        )
    return check


def unfreeze_pending(*, snapshot: AggregationSnapshot) -> UnfreezeRequest | None:
    return (
        UnfreezeRequest.objects.filter(snapshot=snapshot, status=UnfreezeRequest.Status.PENDING)
        .select_related("requested_by")
        .first()
    )


def freeze_decision_choices() -> list[tuple[str, Any]]:
    return [
        ("name", _("Name it as an authority without demand")),
        ("exclude", _("Leave it out of the framework")),
    ]
