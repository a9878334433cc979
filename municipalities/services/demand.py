"""Demand (inventarisatie) writes: save the working copy, submit immutable versions, and the
project team's return and extension.

The values arrive clean (``DemandData``, see ``municipalities.demand_data``); nothing is stored
when there is any problem."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.demand_data import DemandData, Problem
from municipalities.models import (
    Demand,
    DemandCategoryOption,
    DemandLine,
    DemandProfile,
    DemandVersion,
    DemandVersionLine,
    Participation,
)
from municipalities.selectors import (
    demand_edit_check,
    demand_scope,
    frozen_reason,
    service_slugs,
    snapshot_of,
    working_data,
)
from municipalities.selectors.deadline import demand_extension_limit, demand_extension_refusal
from portal.audit import audit
from portal.db import insert_rows, update_rows
from portal.idempotency import AlreadyDone
from portal.models import User
from portal.notifications import notify_members
from portal.selectors import is_project_team_editor
from portal.signals import send_domain_event
from portal.tenancy import require

# A line's columns as ``insert_rows`` writes them (a version line has ``version`` first).
LINE_FIELDS = (
    "demand",
    "municipality",
    "category",
    "year",
    "quantity",
    "min_quantity",
    "max_quantity",
)


class DemandConflict(ValidationError):
    """Someone else saved the demand after this user loaded it."""


def _check_scope(demand: Demand, data: DemandData) -> list[Problem]:
    municipalities, categories, years = demand_scope(demand)
    allowed_m = {m.pk for m in municipalities}
    allowed_c = {c.pk for c in categories}
    problems = []
    for m, c, y in data.lines:
        if m not in allowed_m or c not in allowed_c or y not in years:
            problems.append(Problem("", _("A line does not belong to this inventory.")))
            break
    allowed_services = set(service_slugs())
    for (m, c), (services, _remark) in data.options.items():
        if m not in allowed_m or c not in allowed_c or not set(services) <= allowed_services:
            problems.append(
                Problem("", _("A choice of services does not belong to this inventory."))
            )
            break
    return problems


def _require_editable(*, actor: User, demand: Demand) -> None:
    check = demand_edit_check(user=actor, demand=demand)
    if not check.is_editor:
        raise PermissionDenied
    if check.closed_reason:
        raise ValidationError(check.closed_reason)


def _bump_revision(*, demand: Demand, revision: int, actor: User) -> None:
    updated = Demand.objects.filter(pk=demand.pk, revision=revision).update(
        revision=F("revision") + 1, updated_at=timezone.now(), updated_by=actor
    )
    if not updated:
        current = Demand.objects.select_related("updated_by").get(pk=demand.pk)
        who = current.updated_by or _("someone else")
        raise DemandConflict(
            _(
                "%(who)s saved this inventory after you opened it. Your changes were not "
                "saved. Reload the page to see the latest values, then enter your changes again."
            )
            % {"who": who},
            code="conflict",
        )
    demand.revision = revision + 1


def _write_lines(demand: Demand, data: DemandData) -> None:
    """Make the stored lines equal ``data``'s, writing only what differs: a line no longer
    expected is deleted, a changed one updated in place (its keys stay, so the database checks
    no foreign key again), a new one inserted. A save that changes a few figures of a large
    inventory writes a few rows."""
    # Zero without a range is the same as no line: only what is expected is stored, so the
    # form, the spreadsheet and the API store the same rows for the same figures.
    wanted = {
        key: (q, lo, hi)
        for key, (q, lo, hi) in data.lines.items()
        if q or lo is not None or hi is not None
    }
    stored = {
        (m, c, y): (pk, (q, lo, hi))
        for pk, m, c, y, q, lo, hi in DemandLine.objects.filter(demand=demand).values_list(
            "pk", *LINE_FIELDS[1:]
        )
    }
    gone = [pk for key, (pk, _values) in stored.items() if key not in wanted]
    if gone:
        DemandLine.objects.filter(pk__in=gone).delete()
    update_rows(
        DemandLine,
        LINE_FIELDS[4:],
        (
            (stored[key][0], *values)
            for key, values in wanted.items()
            if key in stored and stored[key][1] != values
        ),
    )
    insert_rows(
        DemandLine,
        LINE_FIELDS,
        ((demand.pk, *key, *values) for key, values in wanted.items() if key not in stored),
    )


@transaction.atomic
def demand_save_draft(
    *, actor: User, demand: Demand, revision: int, data: DemandData, source: str = "form"
) -> Demand:
    """Replace the working copy with ``data`` (all or nothing)."""
    _require_editable(actor=actor, demand=demand)
    problems = _check_scope(demand, data)
    if problems:
        raise ValidationError([p.message for p in problems])
    _bump_revision(demand=demand, revision=revision, actor=actor)
    _write_lines(demand, data)
    DemandCategoryOption.objects.filter(demand=demand).delete()
    DemandCategoryOption.objects.bulk_create(
        [
            DemandCategoryOption(
                demand=demand,
                municipality_id=m,
                category_id=c,
                services=sorted(services),
                remark=remark,
            )
            for (m, c), (services, remark) in data.options.items()
            if services or remark
        ]
    )
    DemandProfile.objects.filter(demand=demand).delete()
    insert_rows(
        DemandProfile,
        ("demand", "municipality", "workplaces", "employees"),
        ((demand.pk, m, w, e) for m, (w, e) in data.profiles.items()),
    )
    if demand.status != Demand.Status.DRAFT:
        Demand.objects.filter(pk=demand.pk).update(status=Demand.Status.DRAFT)
        demand.status = Demand.Status.DRAFT
    audit(
        actor=actor,
        action="demand.saved",
        target=demand,
        organisation=demand.participation.organisation,
        source=source,
        revision=demand.revision,
        lines=len(data.lines),
    )
    return demand


def _raise_if_submitted_from(*, demand: Demand, revision: int, actor: User) -> None:
    """Each save and submit raises the revision by one, so "one step past the revision the
    form was opened at, submitted, by this user" means the one step was this user's submit
    of the same form (its first request, which was committed while this one waited)."""
    current = Demand.objects.get(pk=demand.pk)
    latest = demand.versions.order_by("-number").first()
    if (
        latest is not None
        and current.revision == revision + 1
        and current.status == Demand.Status.SUBMITTED
        and current.updated_by_id == actor.pk
        and latest.submitted_by_id == actor.pk
    ):
        raise AlreadyDone(action="demand.submitted", object_id=latest.pk)


@transaction.atomic
def demand_submit(
    *, actor: User, demand: Demand, revision: int, source: str = "form"
) -> DemandVersion:
    """Freeze the working copy as a new immutable version. The same submit sent twice (a
    double click, a resent form: the same revision) raises ``AlreadyDone`` with the version
    the first one made, not a conflict with oneself."""
    _require_editable(actor=actor, demand=demand)
    try:
        _bump_revision(demand=demand, revision=revision, actor=actor)
    except DemandConflict:
        _raise_if_submitted_from(demand=demand, revision=revision, actor=actor)
        raise
    data = working_data(demand)
    snapshot = snapshot_of(demand, data)
    encoded = json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode()
    number = (demand.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DemandVersion.objects.create(
        demand=demand,
        number=number,
        submitted_by=actor,
        snapshot=snapshot,
        sha256=hashlib.sha256(encoded).hexdigest(),
        source=source,
    )
    insert_rows(
        DemandVersionLine,
        ("version", *LINE_FIELDS[1:]),
        ((version.pk, m, c, y, q, lo, hi) for (m, c, y), (q, lo, hi) in data.lines.items()),
    )
    Demand.objects.filter(pk=demand.pk).update(status=Demand.Status.SUBMITTED, return_comment="")
    demand.status = Demand.Status.SUBMITTED
    audit(
        actor=actor,
        action="demand.submitted",
        target=demand,
        organisation=demand.participation.organisation,
        version=number,
        sha256=version.sha256,
    )
    send_domain_event("demand.submitted", instance=version, actor=actor)
    return version


@transaction.atomic
def demand_save_and_submit(
    *, actor: User, demand: Demand, revision: int, data: DemandData, source: str = "excel"
) -> DemandVersion:
    """Take over ``data`` and submit it as a new version, in one step ("overnemen en
    indienen"): both or neither. The same checks as a save followed by a submit; audited as
    both."""
    demand_save_draft(actor=actor, demand=demand, revision=revision, data=data, source=source)
    return demand_submit(actor=actor, demand=demand, revision=demand.revision, source=source)


@transaction.atomic
def demand_return(*, actor: User, demand: Demand, comment: str) -> Demand:
    require(is_project_team_editor(user=actor))
    frozen = frozen_reason(programme=demand.participation.programme)
    if frozen:
        raise ValidationError(frozen, code="frozen")
    if not comment.strip():
        raise ValidationError({"comment": _("Explain what the participant should change.")})
    if demand.status != Demand.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted inventory can be returned."))
    Demand.objects.filter(pk=demand.pk).update(
        status=Demand.Status.RETURNED, return_comment=comment.strip()
    )
    demand.status = Demand.Status.RETURNED
    demand.return_comment = comment.strip()
    audit(
        actor=actor,
        action="demand.returned",
        target=demand,
        organisation=demand.participation.organisation,
        comment=demand.return_comment,
    )
    notify_members(
        organisation=demand.participation.organisation,
        subject=_("Your demand inventory for %(programme)s needs changes")
        % {"programme": demand.participation.programme},
        template="municipalities/email/demand_returned.txt",
        context={"demand": demand},
    )
    send_domain_event("demand.returned", instance=demand, actor=actor)
    return demand


@transaction.atomic
def demand_extend_deadline(*, actor: User, demand: Demand, until, reason: str) -> Demand:
    """Grant one participant more time than the programme's demand deadline. Refused while
    the demand is frozen, and past the freeze, the planned publication or the contract
    start."""
    require(is_project_team_editor(user=actor))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if until <= timezone.now():
        raise ValidationError({"date": _("Choose a date and time in the future.")})
    # The programme row, locked: a freeze of the same programme waits, or this sees its mark.
    current = demand.participation.programme
    programme = type(current)._default_manager.select_for_update(no_key=True).get(pk=current.pk)
    refusal = demand_extension_refusal(programme=programme)
    if refusal:
        raise ValidationError(refusal)
    too_late = demand_extension_limit(programme=programme, until=until)
    if too_late:
        raise ValidationError({"date": too_late})
    Demand.objects.filter(pk=demand.pk).update(deadline_extended_until=until)
    demand.deadline_extended_until = until
    audit(
        actor=actor,
        action="demand.deadline_extended",
        target=demand,
        organisation=demand.participation.organisation,
        until=until.isoformat(),
        reason=reason.strip(),
    )
    notify_members(
        organisation=demand.participation.organisation,
        subject=_("More time for your demand inventory for %(programme)s")
        % {"programme": demand.participation.programme},
        template="municipalities/email/demand_extended.txt",
        context={"demand": demand, "reason": reason.strip()},
    )
    return demand


def demand_for_participation(*, participation: Participation) -> Demand:
    """The demand working copy of an approved participation (created on first use)."""
    demand, _created = Demand.objects.get_or_create(participation=participation)
    return demand


@transaction.atomic
def demand_start(*, actor: User, participation: Participation) -> Demand:
    """Start the demand inventory of an approved participation: its working copy, made by an
    editor or administrator of the participant (the button "Enter your demand"). Started
    already: the existing working copy, nothing written."""
    from municipalities.selectors.participations import can_edit_participation

    require(can_edit_participation(user=actor, participation=participation))
    if participation.status != Participation.Status.APPROVED:
        raise ValidationError(_("The demand inventory starts once the registration is approved."))
    demand, created = Demand.objects.get_or_create(participation=participation)
    if created:
        audit(
            actor=actor,
            action="demand.started",
            target=demand,
            organisation=participation.organisation,
            programme=participation.programme.slug,
        )
    return demand
