"""The tender's status after publication: closed when the bid deadline passes, the award
decision per lot with its standstill, awarded once the standstill has passed, or cancelled.
Every step is audited, recorded as a ``TenderEvent`` (the public page and the OCDS releases
show them) and announced as the domain event ``tender.status_changed``."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import dates
from portal.audit import audit
from portal.models import Organisation, User
from portal.selectors import is_project_team_editor
from portal.signals import send_domain_event
from portal.tenancy import require
from tenders.models import Tender, TenderAward, TenderEvent
from tenders.services.ocds import ocds_release_add

S = Tender.Status
# Aanbestedingswet 2012 art. 2.127: at least 20 calendar days between the award decision and
# the contract.
STANDSTILL_DAYS = 20


# The OCDS release each step adds: the award decision and the award carry the suppliers per lot.
RELEASE_TAGS = {
    S.CLOSED: "tenderUpdate",
    S.AWARD_DECISION: "award",
    S.AWARDED: "awardUpdate",
    S.CANCELLED: "tenderCancellation",
}


def _step(tender: Tender, status: str, *, actor: User | None, note: str = "") -> Tender:
    tender.status = status
    tender.save(update_fields=["status", "standstill_end_at"])
    TenderEvent.objects.create(tender=tender, status=status, by=actor, note=note)
    if status in RELEASE_TAGS:
        ocds_release_add(actor=actor, tender=tender, tag=RELEASE_TAGS[S(status)])
    audit(
        actor=actor,
        action=f"tender.{status}",
        target=tender.programme,
        tender=str(tender.public_id),
        note=note,
    )
    send_domain_event("tender.status_changed", instance=tender, actor=actor)
    return tender


def tenders_close_due(*, now: datetime | None = None) -> int:
    """Close every published tender whose bid deadline has passed (periodic, idempotent)."""
    now = now or timezone.now()
    closed = 0
    due = Tender.objects.filter(status=S.PUBLISHED, bid_deadline_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            tender = Tender.objects.select_for_update().select_related("programme").get(pk=pk)
            if tender.status != S.PUBLISHED:
                continue  # another worker closed it
            _step(tender, S.CLOSED, actor=None, note=_("The deadline for bids has passed."))
            closed += 1
    return closed


@transaction.atomic
def tender_award_decision(
    *, actor: User, tender: Tender, awards: dict[int, list[Organisation]], note: str = ""
) -> Tender:
    """The award decision: the suppliers per lot (in rank order). Every lot gets at least one
    supplier; the standstill of 20 calendar days starts now."""
    require(is_project_team_editor(user=actor))
    tender = Tender.objects.select_for_update().select_related("programme").get(pk=tender.pk)
    if tender.status != S.CLOSED:
        raise ValidationError(
            _("An award decision follows the closing of the bids; the tender is %(status)s.")
            % {"status": tender.get_status_display().lower()}
        )
    lots = {lot.number: lot for lot in tender.lots.all()}
    errors = []
    missing = sorted(set(lots) - {n for n, suppliers in awards.items() if suppliers})
    if missing:
        errors.append(
            _("Choose at least one supplier for lot %(lots)s.")
            % {"lots": ", ".join(str(n) for n in missing)}
        )
    if set(awards) - set(lots):
        errors.append(_("The decision names a lot the tender does not have."))
    suppliers = [s for chosen in awards.values() for s in chosen]
    if any(s.kind != Organisation.Kind.SUPPLIER for s in suppliers):
        errors.append(_("Only suppliers can be awarded a lot."))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    TenderAward.objects.bulk_create(
        [
            TenderAward(
                tender=tender,
                lot=lots[number],
                supplier=supplier,
                rank=rank,
                decided_at=now,
                decided_by=actor,
            )
            for number, chosen in sorted(awards.items())
            for rank, supplier in enumerate(chosen, start=1)
        ]
    )
    tender.standstill_end_at = max(
        now + timedelta(days=STANDSTILL_DAYS), tender.standstill_end_at or now
    )
    return _step(tender, S.AWARD_DECISION, actor=actor, note=note)


@transaction.atomic
def tender_award_final(*, actor: User, tender: Tender) -> Tender:
    """Awarded: the standstill has passed without an objection that stops it."""
    require(is_project_team_editor(user=actor))
    tender = Tender.objects.select_for_update().select_related("programme").get(pk=tender.pk)
    if tender.status != S.AWARD_DECISION:
        raise ValidationError(_("Only a tender with an award decision can be awarded."))
    assert tender.standstill_end_at is not None
    if timezone.now() < tender.standstill_end_at:
        raise ValidationError(
            _(
                "The standstill runs until %(date)s (Aanbestedingswet 2012 art. 2.127): the "
                "framework agreements can be awarded after it."
            )
            % {"date": dates.moment_text(tender.standstill_end_at)}
        )
    return _step(tender, S.AWARDED, actor=actor)


@transaction.atomic
def tender_cancel(*, actor: User, tender: Tender, reason: str) -> Tender:
    """Cancel a published tender, with the reason that is published with it."""
    require(is_project_team_editor(user=actor))
    tender = Tender.objects.select_for_update().select_related("programme").get(pk=tender.pk)
    if tender.status in (S.DRAFT, S.AWARDED, S.CANCELLED):
        raise ValidationError(
            _("A tender that is %(status)s cannot be cancelled.")
            % {"status": tender.get_status_display().lower()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling the tender.")})
    return _step(tender, S.CANCELLED, actor=actor, note=reason.strip())
