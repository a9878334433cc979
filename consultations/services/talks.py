"""Writes of a consultation's 1-on-1 talks: the project team offers slots of equal length, a
supplier books at most one, and the project team attaches the minutes afterwards. Atomic and
audited; the supplier hears of its booking, of a cancellation by the project team and of the
minutes by mail, after the commit."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation, TalkSlot
from portal.audit import audit
from portal.db import violated_constraint
from portal.models import Membership, Role, User
from portal.notifications import notify_members
from portal.selectors import is_project_team_editor, require_project_team_editor
from portal.tenancy import require
from portal.uploads import validate_pdf_upload
from portal.virus_scan import ScanResult, scan_upload
from suppliers.selectors import user_supplier_membership

MAX_SLOTS_PER_BATCH = 40
MIN_LENGTH_MINUTES = 10
MAX_LENGTH_MINUTES = 240
MAX_BREAK_MINUTES = 240
ONE_PER_SUPPLIER = "talkslot_one_per_supplier"


def _require_not_closed(consultation: Consultation) -> None:
    if consultation.status == Consultation.Status.CLOSED:
        raise ValidationError(
            _("This market consultation is closed; its talks can no longer be changed.")
        )


def _lock_slot(slot: TalkSlot) -> TalkSlot:
    locked = (
        TalkSlot.objects.select_for_update(of=("self",))
        .select_related("consultation", "organisation")
        .filter(pk=slot.pk)
        .first()
    )
    if locked is None:  # removed by the project team a moment ago
        raise ValidationError(_("This talk is no longer available. Choose another time."))
    return locked


def _minutes(length: timedelta) -> int:
    return int(length.total_seconds() // 60)


@transaction.atomic
def slots_create(
    *,
    actor: User,
    consultation: Consultation,
    first_start: datetime,
    length_minutes: int,
    count: int,
    location: str = "",
    break_minutes: int = 0,
) -> list[TalkSlot]:
    """Offer ``count`` talks of ``length_minutes`` each, the first at ``first_start`` and the
    next ones after it with ``break_minutes`` in between. Every talk of a consultation lasts
    equally long (equal treatment of suppliers), and no two talks overlap."""
    require_project_team_editor(actor)
    if timezone.is_naive(first_start):
        raise ValueError("first_start must be an aware datetime")
    # Lock the consultation: two batches created at once must not both pass the checks.
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_not_closed(consultation)
    errors: dict[str, str] = {}
    if not MIN_LENGTH_MINUTES <= length_minutes <= MAX_LENGTH_MINUTES:
        errors["length_minutes"] = _("Enter a length between %(min)s and %(max)s minutes.") % {
            "min": MIN_LENGTH_MINUTES,
            "max": MAX_LENGTH_MINUTES,
        }
    if not 1 <= count <= MAX_SLOTS_PER_BATCH:
        errors["count"] = _("Enter a number of talks between 1 and %(max)s.") % {
            "max": MAX_SLOTS_PER_BATCH
        }
    if not 0 <= break_minutes <= MAX_BREAK_MINUTES:
        errors["break_minutes"] = _("Enter a break between 0 and %(max)s minutes.") % {
            "max": MAX_BREAK_MINUTES
        }
    if first_start <= timezone.now():
        errors["time"] = _("The first talk must start in the future.")
    location = (location or "").strip()
    if len(location) > 200:
        errors["location"] = _("Enter a location of at most 200 characters.")
    if errors:
        raise ValidationError(errors)

    length = timedelta(minutes=length_minutes)
    existing = consultation.talk_slots.order_by("starts_at").first()
    if existing is not None and existing.ends_at - existing.starts_at != length:
        raise ValidationError(
            {
                "length_minutes": _(
                    "Every talk of this market consultation lasts %(minutes)s minutes. "
                    "Enter %(minutes)s minutes, so that every supplier gets the same time."
                )
                % {"minutes": _minutes(existing.ends_at - existing.starts_at)}
            }
        )
    # Step in UTC: adding to a local time would stretch or shrink a talk across a change of
    # the clocks.
    start = first_start.astimezone(UTC)
    step = length + timedelta(minutes=break_minutes)
    periods = [(start + i * step, start + i * step + length) for i in range(count)]
    clashes = consultation.talk_slots.filter(
        starts_at__lt=periods[-1][1], ends_at__gt=periods[0][0]
    ).order_by("starts_at")
    for slot in clashes:
        if any(slot.starts_at < end and slot.ends_at > begin for begin, end in periods):
            local = timezone.localtime(slot.starts_at)
            raise ValidationError(
                {
                    "time": _(
                        "These talks overlap the talk of %(date)s at %(time)s. "
                        "Choose another start time or fewer talks."
                    )
                    % {"date": f"{local:%d-%m-%Y}", "time": f"{local:%H:%M}"}
                }
            )
    slots = TalkSlot.objects.bulk_create(
        [
            TalkSlot(consultation=consultation, starts_at=begin, ends_at=end, location=location)
            for begin, end in periods
        ]
    )
    audit(
        actor=actor,
        action="talk.slots_created",
        target=consultation,
        count=count,
        first_start=periods[0][0].isoformat(),
        length_minutes=length_minutes,
        break_minutes=break_minutes,
        location=location,
    )
    return slots


@transaction.atomic
def slot_delete(*, actor: User, slot: TalkSlot) -> None:
    """Remove a free slot; a booked one must be cancelled first (the supplier is told)."""
    require_project_team_editor(actor)
    slot = _lock_slot(slot)
    _require_not_closed(slot.consultation)
    if slot.is_booked:
        raise ValidationError(
            _("This talk has been booked. Cancel the booking before you remove the talk.")
        )
    audit(
        actor=actor,
        action="talk.slot_deleted",
        target=slot.consultation,
        slot=str(slot.public_id),
        starts_at=slot.starts_at.isoformat(),
    )
    slot.delete()


@transaction.atomic
def slot_book(*, actor: User, slot: TalkSlot) -> TalkSlot:
    """Book a free slot for the actor's supplier, before it starts and while the consultation
    is published. One talk per supplier: the database constraint decides, so two bookings
    made at the same moment by colleagues cannot both succeed."""
    membership = user_supplier_membership(user=actor)
    require(membership is not None and membership.can_edit)
    assert membership is not None
    slot = _lock_slot(slot)
    consultation = slot.consultation
    if consultation.status != Consultation.Status.PUBLISHED:
        raise ValidationError(_("Talks of this market consultation can no longer be booked."))
    if slot.organisation_id == membership.organisation_id:
        raise ValidationError(_("You have already booked this talk."))
    if slot.is_booked:
        raise ValidationError(_("Another supplier has just booked this talk. Choose another time."))
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This talk has already started. Choose another time."))
    slot.organisation = membership.organisation
    slot.booked_by = actor
    slot.booked_at = timezone.now()
    try:
        with transaction.atomic():
            slot.save(update_fields=["organisation", "booked_by", "booked_at"])
    except IntegrityError as exc:
        if violated_constraint(exc) == ONE_PER_SUPPLIER:
            raise ValidationError(
                _("Your organisation has already booked a talk."), code="one_per_supplier"
            ) from exc
        raise
    audit(
        actor=actor,
        action="talk.booked",
        target=slot,
        organisation=membership.organisation,
        consultation=consultation.slug,
        starts_at=slot.starts_at.isoformat(),
    )
    notify_members(
        organisation=membership.organisation,
        subject=_("Your talk for %(consultation)s has been booked")
        % {"consultation": consultation.title},
        template="consultations/email/talk_booked.txt",
        context={"slot": slot, "consultation": consultation, "booked_by": actor},
    )
    return slot


@transaction.atomic
def slot_cancel(*, actor: User, slot: TalkSlot) -> TalkSlot:
    """Cancel a booking: the supplier itself before the talk starts, the project team until
    the minutes are attached. The slot is free again; if the project team cancels, the
    supplier is told."""
    slot = _lock_slot(slot)
    organisation = slot.organisation
    by_project_team = is_project_team_editor(user=actor)
    if not by_project_team:
        require(
            organisation is not None
            and Membership.objects.filter(
                user=actor, organisation=organisation, role__in=[Role.ADMIN, Role.EDITOR]
            ).exists()
        )
    _require_not_closed(slot.consultation)
    if organisation is None:
        raise ValidationError(_("This talk has not been booked."))
    if slot.minutes:
        raise ValidationError(_("This talk has taken place: its minutes have been attached."))
    if not by_project_team and slot.starts_at <= timezone.now():
        raise ValidationError(
            _("This talk has already started. Contact the project team to cancel it.")
        )
    slot.organisation = None
    slot.booked_by = None
    slot.booked_at = None
    slot.save(update_fields=["organisation", "booked_by", "booked_at"])
    audit(
        actor=actor,
        action="talk.cancelled",
        target=slot,
        organisation=organisation,
        consultation=slot.consultation.slug,
        by="project_team" if by_project_team else "supplier",
    )
    if by_project_team:
        notify_members(
            organisation=organisation,
            subject=_("Your talk for %(consultation)s has been cancelled")
            % {"consultation": slot.consultation.title},
            template="consultations/email/talk_cancelled.txt",
            context={"slot": slot, "consultation": slot.consultation},
        )
    return slot


def minutes_attach(*, actor: User, slot: TalkSlot, file) -> TalkSlot:
    """Attach the minutes (a PDF, scanned for viruses and checked by its content) of a booked
    talk once it has started; a second upload replaces the first. Only the project team and
    the supplier of the talk can read them."""
    require_project_team_editor(actor)
    scan = scan_upload(
        file,
        actor=actor,
        field="file",
        max_bytes=settings.UPLOAD_MAX_BYTES,
        target=slot,
        organisation=slot.organisation,
    )
    return _minutes_attach(actor=actor, slot=slot, file=file, scan=scan)


@transaction.atomic
def _minutes_attach(*, actor: User, slot: TalkSlot, file, scan: ScanResult) -> TalkSlot:
    require_project_team_editor(actor)
    slot = _lock_slot(slot)
    if not slot.is_booked or slot.organisation is None:
        raise ValidationError({"file": _("Minutes can only be attached to a booked talk.")})
    if slot.starts_at > timezone.now():
        raise ValidationError({"file": _("Minutes can be attached once the talk has started.")})
    try:
        content = validate_pdf_upload(file, max_bytes=settings.UPLOAD_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    old = slot.minutes.name if slot.minutes else ""
    slot.minutes.save("verslag.pdf", ContentFile(content), save=False)
    slot.minutes_sha256 = hashlib.sha256(content).hexdigest()
    slot.minutes_uploaded_at = timezone.now()
    scan.apply(slot, prefix="minutes_")
    slot.save(
        update_fields=[
            "minutes", "minutes_sha256", "minutes_uploaded_at", *scan.fields("minutes_")
        ]
    )  # fmt: skip
    if old:
        storage = slot.minutes.storage
        transaction.on_commit(lambda: storage.delete(old), robust=True)
    audit(
        actor=actor,
        action="talk.minutes_attached",
        target=slot,
        organisation=slot.organisation,
        sha256=slot.minutes_sha256,
        replaced=bool(old),
    )
    notify_members(
        organisation=slot.organisation,
        subject=_("The minutes of your talk for %(consultation)s are available")
        % {"consultation": slot.consultation.title},
        template="consultations/email/talk_minutes.txt",
        context={"slot": slot, "consultation": slot.consultation},
    )
    return slot
