"""Reminders the project team sends by hand from the participants overview."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Municipality
from portal.audit import audit
from portal.models import Organisation, User
from portal.notifications import notify_addresses
from portal.tenancy import require
from tenders.models import Milestone, Programme, Reminder
from tenders.selectors.overview import participation_overview
from tenders.selectors.programme import can_change_programme
from tenders.services.programme import _member_addresses

# At most this many municipalities per request (one page of the overview) …
MAX_SELECTED = 50
# … and an organisation is reminded by hand at most once in this period.
MANUAL_REMINDER_INTERVAL = timedelta(hours=24)


@dataclass
class ReminderResult:
    sent: list[str] = field(default_factory=list)  # names of the organisations reminded
    skipped: list[tuple[str, str]] = field(default_factory=list)  # municipality, reason


def reminded_by_hand_recently(
    *, programme: Programme, kind: str, organisation_ids, now
) -> set[int]:
    """The organisations reminded by hand about ``kind`` within ``MANUAL_REMINDER_INTERVAL``."""
    return set(
        Reminder.objects.filter(
            programme=programme,
            kind=kind,
            organisation_id__in=organisation_ids,
            sent_by__isnull=False,
            sent_at__gt=now - MANUAL_REMINDER_INTERVAL,
        ).values_list("organisation_id", flat=True)
    )


def reminder_send_by_hand(
    *,
    actor: User,
    programme: Programme,
    organisation: Organisation,
    kind: str,
    now,
    addresses: list[str],
    subject: str,
    template: str,
    context: dict,
    **audited,
) -> None:
    """One reminder sent by hand: recorded (so that it counts for the once-a-day rule),
    audited with its kind and ``audited``, and mailed on commit."""
    Reminder.objects.create(
        programme=programme,
        organisation=organisation,
        kind=kind,
        days_before=0,
        sent_at=now,
        sent_by=actor,
    )
    audit(
        actor=actor,
        action="reminder.sent_by_hand",
        target=programme,
        organisation=organisation,
        kind=kind,
        **audited,
    )
    notify_addresses(
        addresses=addresses,
        subject=subject,
        template=template,
        context={"programme": programme, "organisation": organisation, "days_before": 0, **context},
    )


@transaction.atomic
def reminders_send_selected(
    *, actor: User, programme: Programme, cbs_codes: list[str]
) -> ReminderResult:
    """Mail a reminder to join ``programme`` to the organisations behind the chosen
    municipalities (by CBS code). Project-team admins and editors only; at most
    ``MAX_SELECTED`` per call; an organisation reminded by hand in the last
    ``MANUAL_REMINDER_INTERVAL`` is skipped, as are municipalities with nothing left to do or
    no one to write to. Every reminder is recorded and audited; mail goes out on commit."""
    require(lambda: can_change_programme(user=actor))
    codes = list(dict.fromkeys(code.strip().upper() for code in cbs_codes if code.strip()))
    if not codes:
        raise ValidationError(_("Select at least one municipality."), code="empty")
    if len(codes) > MAX_SELECTED:
        raise ValidationError(
            _("Select at most %(max)d municipalities at a time.") % {"max": MAX_SELECTED},
            code="too_many",
        )
    milestone = next(
        (m for m in programme.milestones.all() if m.kind == Milestone.Kind.JOINING_DEADLINE),
        None,
    )
    now = timezone.now()
    if milestone is None or milestone.due_at <= now:
        raise ValidationError(
            _("The joining deadline of this programme has passed or is not set."),
            code="no_deadline",
        )
    known = set(
        Municipality.objects.current().filter(cbs_code__in=codes).values_list("cbs_code", flat=True)
    )
    rows = [
        row
        for row in participation_overview(programme=programme).rows
        if row.municipality.cbs_code in known
    ]
    targets = {row.reminder_organisation_id for row in rows if row.reminder_organisation_id}
    organisations = Organisation.objects.in_bulk(targets)
    recent = reminded_by_hand_recently(
        programme=programme, kind=milestone.kind, organisation_ids=targets, now=now
    )
    addresses = _member_addresses(targets)
    result = ReminderResult()
    done: set[int] = set()
    for code in sorted(set(codes) - known):
        result.skipped.append((code, _("not a current municipality")))
    for row in rows:
        name = row.municipality.name
        target = row.reminder_organisation_id
        if target is None and row.status not in ("not_started", "withdrawn"):
            result.skipped.append((name, _("has nothing left to do")))
        elif target is None or not addresses.get(target):
            result.skipped.append((name, _("there is no one in the portal to write to yet")))
        elif target in recent:
            result.skipped.append((name, _("was reminded less than a day ago")))
        elif target not in done:
            done.add(target)
            organisation = organisations[target]
            reminder_send_by_hand(
                actor=actor,
                programme=programme,
                organisation=organisation,
                kind=milestone.kind,
                now=now,
                addresses=addresses[target],
                subject=_("Reminder: %(programme)s – the joining deadline is near")
                % {"programme": programme},
                template="tenders/email/reminder.txt",
                context={"milestone": milestone},
                municipality=row.municipality.cbs_code,
            )
            result.sent.append(organisation.name)
    return result
