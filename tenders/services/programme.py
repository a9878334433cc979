"""Writes of the tenders app: atomic, audited, mail on commit."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import CoveredMunicipality, OrganisationContact, Participation
from portal.audit import audit
from portal.models import Membership, Organisation, Role, User
from portal.notifications import notify_addresses
from portal.tenancy import require
from tenders.models import (
    AuthorityType,
    ContractType,
    Milestone,
    MilestoneChange,
    Programme,
    Reminder,
)
from tenders.selectors.programme import can_change_programme
from tenders.selectors.timeline import (
    milestone_change_refusal,
    milestone_order_problems,
    term_problem,
)

S = Participation.Status


def _member_addresses(organisation_ids) -> dict[int, list[str]]:
    """The e-mail addresses of the admins and editors of these organisations, in one query."""
    addresses: dict[int, list[str]] = defaultdict(list)
    rows = Membership.objects.filter(
        organisation_id__in=organisation_ids,
        role__in=(Role.ADMIN, Role.EDITOR),
        user__is_active=True,
    ).values_list("organisation_id", "user__email")
    for organisation_id, email in rows:
        addresses[organisation_id].append(email)
    return addresses


def _reminder_addresses(organisation_ids) -> dict[int, list[str]]:
    """Who gets a reminder: the admins and editors; for an organisation that has none yet,
    the contacts the project team has for it (the people it invited and its general
    address), so the organisations that most need chasing are reached."""
    addresses = _member_addresses(organisation_ids)
    rows = (
        OrganisationContact.objects.filter(organisation_id__in=organisation_ids)
        .exclude(organisation_id__in=list(addresses))
        .values_list("organisation_id", "email")
    )
    for organisation_id, email in rows:
        addresses[organisation_id].append(email)
    return addresses


@transaction.atomic
def milestone_extend(
    *, actor: User, milestone: Milestone, new_due_at: datetime, reason: str
) -> MilestoneChange:
    """Move a milestone (usually a deadline gets later) with a reason. Records the change and
    an audit event, and mails the admins and editors of every active participant on commit.
    Refused when the timeline would break its order, and for the joining and demand deadlines
    while the demand is frozen."""
    require(lambda: can_change_programme(user=actor))
    if timezone.is_naive(new_due_at):
        raise ValueError("new_due_at must be an aware datetime")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change.")})
    # The programme row first: a freeze of the same programme waits, or this sees its mark.
    programme = Programme.objects.select_for_update(no_key=True).get(pk=milestone.programme_id)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    milestone.programme = programme
    if new_due_at == milestone.due_at:
        raise ValidationError({"date": _("Choose a date or time other than the current one.")})
    if new_due_at <= timezone.now():
        raise ValidationError({"date": _("Choose a date and time in the future.")})
    refusal = milestone_change_refusal(programme, milestone.kind)
    if refusal:
        raise ValidationError({"date": refusal})
    timeline = dict(Milestone.objects.filter(programme=programme).values_list("kind", "due_at")) | {
        milestone.kind: new_due_at
    }
    problems = milestone_order_problems(timeline, involving=milestone.kind)
    if problems:
        raise ValidationError({"date": [m for messages in problems.values() for m in messages]})
    old_due_at = milestone.due_at
    milestone.due_at = new_due_at
    milestone.save(update_fields=["due_at"])
    change = MilestoneChange.objects.create(
        milestone=milestone,
        old_due_at=old_due_at,
        new_due_at=new_due_at,
        reason=reason,
        changed_by=actor,
    )
    audit(
        actor=actor,
        action="milestone.changed",
        target=programme,
        kind=milestone.kind,
        old_due_at=old_due_at.isoformat(),
        new_due_at=new_due_at.isoformat(),
        reason=reason,
    )
    participants = Participation.objects.filter(programme=programme).active()
    addresses = _member_addresses(participants.values("organisation_id"))
    notify_addresses(
        addresses=[email for emails in addresses.values() for email in emails],
        subject=_("%(programme)s: new date for %(milestone)s")
        % {"programme": programme, "milestone": milestone.get_kind_display()},
        template="tenders/email/milestone_changed.txt",
        context={"programme": programme, "milestone": milestone, "change": change},
    )
    return change


# --- Reminders -------------------------------------------------------------------------------


def _unfinished_organisations(*, programme: Programme) -> list[Organisation]:
    """Municipalities and joint bodies in the portal that still have to join: no
    participation, or one in draft or returned. A municipality that another organisation's
    active participation covers has nothing left to do."""
    participations = Participation.objects.filter(programme=programme)
    finished = set(
        participations.filter(status__in=(S.SUBMITTED, S.APPROVED, S.WITHDRAWN)).values_list(
            "organisation_id", flat=True
        )
    )
    unfinished = set(
        participations.filter(status__in=Participation.EDITABLE).values_list(
            "organisation_id", flat=True
        )
    )
    covered_by_others = set(
        CoveredMunicipality.objects.filter(programme=programme, is_active=True)
        .exclude(municipality__organisation=None)
        .values_list("municipality__organisation_id", "participation__organisation_id")
    )
    covered = {own for own, participant in covered_by_others if own != participant}
    organisations = Organisation.objects.filter(
        kind__in=(Organisation.Kind.MUNICIPALITY, Organisation.Kind.JOINT_BODY), is_active=True
    ).order_by("pk")
    return [
        organisation
        for organisation in organisations
        if organisation.pk in unfinished
        or (organisation.pk not in finished and organisation.pk not in covered)
    ]


def _reminder_due(*, deadline: datetime, now: datetime, days: list[int]) -> int | None:
    """The reminder that is due now: the smallest number of days before the deadline that
    it is within (so a late first run sends one reminder, not all of them)."""
    if deadline <= now:
        return None
    within = [d for d in days if deadline - now <= timedelta(days=d)]
    return min(within) if within else None


def reminders_send(*, now: datetime | None = None) -> int:
    """Mail a reminder to every organisation that has not finished joining a programme when
    its joining deadline is within one of ``settings.REMINDER_DAYS_BEFORE`` days. Each
    reminder (programme, organisation, kind, days) goes out at most once: the unique
    constraint decides, also between concurrent runs. Returns the number of reminders sent."""
    now = now or timezone.now()
    days = sorted({int(d) for d in settings.REMINDER_DAYS_BEFORE if int(d) > 0})
    kind = Milestone.Kind.JOINING_DEADLINE
    sent = 0
    deadlines = Milestone.objects.filter(
        kind=kind, due_at__gt=now, programme__status=Programme.Status.JOINING
    ).select_related("programme")
    for milestone in deadlines:
        days_before = _reminder_due(deadline=milestone.due_at, now=now, days=days)
        if days_before is None:
            continue
        organisations = _unfinished_organisations(programme=milestone.programme)
        addresses = _reminder_addresses([o.pk for o in organisations])
        for organisation in organisations:
            if _reminder_send_one(
                milestone=milestone,
                organisation=organisation,
                days_before=days_before,
                addresses=addresses.get(organisation.pk, []),
                now=now,
            ):
                sent += 1
    return sent


@transaction.atomic
def _reminder_send_one(
    *,
    milestone: Milestone,
    organisation: Organisation,
    days_before: int,
    addresses: list[str],
    now: datetime,
    subject: str = "",
    template: str = "tenders/email/reminder.txt",
    context: dict | None = None,
) -> bool:
    """Record and mail one scheduled reminder, unless it was recorded before. The mail is the
    joining reminder unless ``subject``, ``template`` and ``context`` say otherwise."""
    try:
        with transaction.atomic():
            _reminder, created = Reminder.objects.get_or_create(
                programme=milestone.programme,
                organisation=organisation,
                kind=milestone.kind,
                days_before=days_before,
                defaults={"sent_at": now},
            )
    except IntegrityError:  # a concurrent run recorded it first
        return False
    if not created:
        return False
    audit(
        actor=None,
        action="reminder.sent",
        target=milestone.programme,
        organisation=organisation,
        kind=milestone.kind,
        days_before=days_before,
    )
    # Mailed after this transaction commits, so a reminder is never mailed without its row.
    notify_addresses(
        addresses=addresses,
        subject=subject
        or _("Reminder: %(programme)s – the joining deadline is near")
        % {"programme": milestone.programme},
        template=template,
        context={
            "programme": milestone.programme,
            "milestone": milestone,
            "organisation": organisation,
            "days_before": days_before,
            **(context or {}),
        },
    )
    return True


# --- Programmes ------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: User,
    name: str,
    slug: str = "",
    description: str = "",
    status: str = Programme.Status.DRAFT,
    contract_start_year: int,
    contract_years: int = 4,
    extension_years: int = 0,
    term_justification: str = "",
    authority_type: str = AuthorityType.SUB_CENTRAL,
    contract_type: str = ContractType.SUPPLIES,
    milestones: dict[str, datetime],
) -> Programme:
    """A new programme with its timeline. Project-team editors only; the next GT programme
    needs no code, only this. The milestones must come in their order, and a term over four
    years (extensions included) needs a recorded justification. All problems are reported at
    once (per field; a milestone's problems under its kind); nothing is stored then."""
    from django.utils.text import slugify

    require(lambda: can_change_programme(user=actor))
    errors: dict[str, list[str]] = defaultdict(list)
    slug = slug or slugify(name)[:80]
    if not slug:
        errors["slug"].append(_("Enter a short name in web addresses."))
    elif Programme.objects.filter(slug=slug).exists():
        errors["slug"].append(_("Another programme already uses this short name."))
    if status not in Programme.Status.values:
        errors["status"].append(_("Choose a status."))
    if contract_years < 1:
        errors["contract_years"].append(_("The contract term is at least 1 year."))
    if extension_years < 0:
        errors["extension_years"].append(_("Enter 0 or more years of extension options."))
    if authority_type not in AuthorityType.values:
        errors["authority_type"].append(_("Choose the kind of contracting authority."))
    if contract_type not in ContractType.values:
        errors["contract_type"].append(_("Choose the kind of contract."))
    unknown = set(milestones) - set(Milestone.Kind.values)
    if unknown:
        raise ValueError(f"unknown milestone kinds: {sorted(unknown)}")
    if any(timezone.is_naive(due_at) for due_at in milestones.values()):
        raise ValueError("milestones must be aware datetimes")
    term_justification = term_justification.strip()
    problem = term_problem(
        contract_years=contract_years,
        extension_years=extension_years,
        justification=term_justification,
    )
    if problem:
        errors["term_justification"].append(problem)
    for kind, messages in milestone_order_problems(milestones).items():
        errors[kind].extend(messages)
    if errors:
        raise ValidationError(dict(errors))
    programme = Programme.objects.create(
        name=name.strip(),
        slug=slug,
        description=description.strip(),
        status=status,
        contract_start_year=contract_start_year,
        contract_years=contract_years,
        extension_years=extension_years,
        term_justification=term_justification,
        authority_type=authority_type,
        contract_type=contract_type,
    )
    Milestone.objects.bulk_create(
        [
            Milestone(programme=programme, kind=kind, due_at=due_at)
            for kind, due_at in milestones.items()
        ]
    )
    audit(
        actor=actor,
        action="programme.created",
        target=programme,
        contract_years=contract_years,
        extension_years=extension_years,
        term_justification=term_justification,
        authority_type=authority_type,
        contract_type=contract_type,
        milestones={kind: due_at.isoformat() for kind, due_at in milestones.items()},
    )
    return programme


# --- Lots ------------------------------------------------------------------------------------


@transaction.atomic
def lot_save(
    *,
    actor: User,
    programme: Programme,
    lot: Any = None,
    number: int,
    name: str,
    description: str = "",
    categories,
    cpv_codes=(),
    headroom_percent,
) -> Any:
    """Create or change a lot. A category belongs to at most one lot of a programme, or the
    aggregation would count it twice."""
    from tenders.models import Lot

    require(lambda: can_change_programme(user=actor))
    Programme.objects.select_for_update(no_key=True).get(pk=programme.pk)
    others = Lot.objects.filter(programme=programme)
    if lot is not None:
        others = others.exclude(pk=lot.pk)
    if others.filter(number=number).exists():
        raise ValidationError({"number": _("Another lot of this programme has this number.")})
    taken = {
        category.name
        for other in others.prefetch_related("categories")
        for category in other.categories.all()
        if category in set(categories)
    }
    if taken:
        raise ValidationError(
            {
                "categories": _("Already in another lot: %(categories)s.")
                % {"categories": ", ".join(sorted(taken))}
            }
        )
    if lot is None:
        lot = Lot(programme=programme)
    lot.number = number
    lot.name = name.strip()
    lot.description = description.strip()
    lot.headroom_percent = headroom_percent
    lot.save()
    lot.categories.set(categories)
    lot.cpv_codes.set(cpv_codes)
    audit(
        actor=actor,
        action="lot.saved",
        target=programme,
        lot=number,
        categories=sorted(c.slug for c in categories),
        headroom_percent=str(headroom_percent),
    )
    return lot
