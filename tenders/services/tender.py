"""Writes of the tender while it is a draft: created from the frozen figures, then its
timeline, award criteria and requirements. Atomic and audited; a published tender is changed
only through a change notice (not here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit
from portal.models import User
from portal.selectors import is_project_team_editor
from portal.tenancy import require
from tenders.models import (
    AggregationSnapshot,
    AwardCriterion,
    Milestone,
    Programme,
    Requirement,
    SnapshotLotTotal,
    Tender,
    TenderLot,
)

TIMELINE_FIELDS = (
    "publication_at",
    "question_deadline_at",
    "answers_at",
    "bid_deadline_at",
    "opening_at",
    "award_decision_at",
    "standstill_end_at",
)


def _require_draft(tender: Tender) -> None:
    if not tender.is_draft:
        raise ValidationError(
            _(
                "The tender has been published: it changes only through a change notice with a "
                "new version of its documents."
            )
        )


@transaction.atomic
def tender_create(*, actor: User, programme: Programme, reference: str = "") -> Tender:
    """The draft tender of ``programme``, its lots as published copied from the frozen
    snapshot (estimate, maximum and the options' value over the whole term)."""
    require(is_project_team_editor(user=actor))
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    snapshot = AggregationSnapshot.objects.filter(programme=programme, is_frozen=True).first()
    if programme.frozen_at is None or snapshot is None:
        raise ValidationError(
            _("Freeze the demand first: the tender is built on the frozen figures.")
        )
    planned = programme.milestone_at(Milestone.Kind.PLANNED_PUBLICATION)
    contract_start = programme.milestone_at(Milestone.Kind.CONTRACT_START)
    reference = reference.strip() or f"VNG-{programme.slug.upper()}"[:40]
    try:
        with transaction.atomic():
            tender = Tender.objects.create(
                programme=programme,
                snapshot=snapshot,
                reference=reference,
                title=programme.name,
                summary=programme.description,
                publication_at=planned,
                contract_start=timezone.localdate(contract_start) if contract_start else None,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This programme already has a tender, or the reference is taken.")
        ) from exc
    terms = SnapshotLotTotal.objects.filter(snapshot=snapshot, year=0).select_related("lot")
    TenderLot.objects.bulk_create(
        [
            TenderLot(
                tender=tender,
                lot=term.lot,
                number=term.lot.number,
                title=term.lot.name,
                description=term.lot.description,
                quantity=term.quantity,
                maximum_quantity=term.maximum_quantity,
                estimated_value=term.estimated_value,
                maximum_value=term.maximum_value,
                option_value=term.option_value,
            )
            for term in terms.order_by("lot__number")
        ]
    )
    audit(
        actor=actor,
        action="tender.created",
        target=programme,
        tender=str(tender.public_id),
        snapshot=str(snapshot.public_id),
    )
    return tender


@transaction.atomic
def tender_timeline_set(
    *, actor: User, tender: Tender, contract_start: date | None = None, **moments: datetime | None
) -> Tender:
    """Set the draft tender's timeline. The legal periods are checked before publication."""
    require(is_project_team_editor(user=actor))
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    _require_draft(tender)
    unknown = set(moments) - set(TIMELINE_FIELDS)
    if unknown:
        raise ValueError(f"unknown timeline fields: {sorted(unknown)}")
    if any(m is not None and timezone.is_naive(m) for m in moments.values()):
        raise ValueError("timeline moments must be aware datetimes")
    for name, value in moments.items():
        setattr(tender, name, value)
    tender.contract_start = contract_start
    tender.save(update_fields=[*moments, "contract_start"])
    audit(
        actor=actor,
        action="tender.timeline_set",
        target=tender.programme,
        timeline={name: value.isoformat() if value else None for name, value in moments.items()},
        contract_start=contract_start.isoformat() if contract_start else None,
    )
    return tender


@dataclass(frozen=True)
class CriterionData:
    kind: str
    name: str
    weight: int
    description: str = ""


def award_criteria_problems(criteria: list[CriterionData]) -> list[str]:
    """Best price-quality ratio: at least one price criterion, every weight 1 to 100, and the
    weights add up to exactly 100."""
    problems = []
    if not criteria:
        return [_("Add the award criteria.")]
    if not any(c.kind == AwardCriterion.Kind.PRICE for c in criteria):
        problems.append(_("Add a price criterion: the award is on the best price-quality ratio."))
    if any(not c.name.strip() for c in criteria):
        problems.append(_("Give every criterion a name."))
    if any(not 1 <= c.weight <= 100 for c in criteria):
        problems.append(_("Every weight is a whole number from 1 to 100."))
    total = sum(c.weight for c in criteria)
    if total != 100:
        problems.append(
            _("The weights add up to %(total)s; they must add up to 100.") % {"total": total}
        )
    return problems


@transaction.atomic
def award_criteria_set(*, actor: User, tender: Tender, criteria: list[CriterionData]) -> Tender:
    """Replace the award criteria (all or nothing)."""
    require(is_project_team_editor(user=actor))
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    _require_draft(tender)
    problems = award_criteria_problems(criteria)
    if problems:
        raise ValidationError(problems)
    AwardCriterion.objects.filter(tender=tender).delete()
    AwardCriterion.objects.bulk_create(
        [
            AwardCriterion(
                tender=tender,
                kind=c.kind,
                name=c.name.strip(),
                description=c.description.strip(),
                weight=c.weight,
                order=i,
            )
            for i, c in enumerate(criteria)
        ]
    )
    audit(
        actor=actor,
        action="tender.criteria_set",
        target=tender.programme,
        criteria=[{"name": c.name, "kind": c.kind, "weight": c.weight} for c in criteria],
    )
    return tender


@dataclass(frozen=True)
class RequirementData:
    kind: str
    text: str
    level: str = ""
    amount: Decimal | None = None
    mandatory: bool = True
    lots: tuple[int, ...] = ()  # lot numbers; empty: every lot


@transaction.atomic
def requirements_set(*, actor: User, tender: Tender, requirements: list[RequirementData]) -> Tender:
    """Replace the requirements (sustainability, exclusion, suitability) as data."""
    require(is_project_team_editor(user=actor))
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    _require_draft(tender)
    lots = {lot.number: lot for lot in tender.lots.all()}
    errors = []
    for r in requirements:
        if r.kind not in Requirement.Kind.values:
            errors.append(_("Choose the kind of every requirement."))
        if not r.text.strip():
            errors.append(_("Word every requirement as it will appear in the documents."))
        if any(number not in lots for number in r.lots):
            errors.append(_("A requirement names a lot the tender does not have."))
    if errors:
        raise ValidationError(sorted(set(errors)))
    Requirement.objects.filter(tender=tender).delete()
    for i, r in enumerate(requirements):
        row = Requirement.objects.create(
            tender=tender,
            kind=r.kind,
            text=r.text.strip(),
            level=r.level.strip(),
            amount=r.amount,
            mandatory=r.mandatory,
            order=i,
        )
        row.lots.set([lots[number] for number in r.lots])
    audit(
        actor=actor,
        action="tender.requirements_set",
        target=tender.programme,
        requirements=[r.kind for r in requirements],
    )
    return tender
