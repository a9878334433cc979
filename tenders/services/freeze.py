"""Freezing the demand: one snapshot becomes the basis of the tender, with the authorities that
may call off under each lot and their estimate and maximum. While frozen the demand, the
participations and the deadlines are locked (the lower apps read ``Programme.frozen_at``).
Until publication the project team may unfreeze, with a reason, confirmed by a second member.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import DemandVersionLine, Municipality, Participation
from portal.audit import audit, person_ref
from portal.db import violated_constraint
from portal.models import Organisation, User
from portal.selectors import is_project_team_editor
from portal.tenancy import require
from tenders.models import (
    AggregationSnapshot,
    Lot,
    LotAuthority,
    Programme,
    SnapshotTotal,
    UnfreezeRequest,
)
from tenders.selectors.freeze import freeze_check
from tenders.services.aggregation import round_money

K = LotAuthority.Kind


def _identifier(organisation: Organisation) -> tuple[str, str]:
    if organisation.oin:
        return LotAuthority.Scheme.OIN, organisation.oin
    if organisation.kvk_number:
        return LotAuthority.Scheme.KVK, organisation.kvk_number
    return LotAuthority.Scheme.NONE, ""


def _authority_rows(
    snapshot: AggregationSnapshot, named_without_demand: list[Participation]
) -> list[LotAuthority]:
    """Per lot, every organisation that will call off: the municipalities with their own
    figures, a joint body for the municipalities it covers (their figures together), and a
    joint body or other authority buying for its own staff. From the participations' lots and
    their demand in the snapshot."""
    lots = list(Lot.objects.filter(programme=snapshot.programme).prefetch_related("categories"))
    lot_of = {c.pk: lot for lot in lots for c in lot.categories.all()}
    prices = {
        row["category_id"]: row["unit_price"]
        for row in SnapshotTotal.objects.filter(snapshot=snapshot, unit_price__isnull=False)
        .values("category_id", "unit_price")
        .distinct()
    }
    # (participation, municipality, lot) -> (quantity, value), summed by the database per
    # category first.
    figures: dict[tuple[int, int, int], tuple[int, Decimal]] = defaultdict(lambda: (0, Decimal(0)))
    grouped = (
        DemandVersionLine.objects.filter(version__in=snapshot.included_versions.all())
        .values("version__demand__participation_id", "municipality_id", "category_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    for row in grouped:
        lot = lot_of.get(row["category_id"])
        if lot is None or not row["total"]:
            continue
        key = (row["version__demand__participation_id"], row["municipality_id"], lot.pk)
        quantity, value = figures[key]
        price = prices.get(row["category_id"]) or Decimal(0)
        figures[key] = (quantity + row["total"], value + price * row["total"])
    ids = {key[0] for key in figures} | {p.pk for p in named_without_demand}
    participations = {
        p.pk: p
        for p in Participation.objects.filter(pk__in=ids)
        .select_related("organisation")
        .prefetch_related("lots", "covered__municipality")
    }
    municipalities = Municipality.objects.in_bulk({key[1] for key in figures})
    headroom = {lot.pk: Decimal(1) + lot.headroom_percent / Decimal(100) for lot in lots}
    rows: dict[tuple, LotAuthority] = {}

    def add(participation, lot_id, kind, name, scheme, identifier, quantity, value, **extra):
        key = (lot_id, kind, scheme, identifier, name)
        row = rows.get(key)
        if row is None:
            row = rows[key] = LotAuthority(
                snapshot=snapshot,
                lot_id=lot_id,
                kind=kind,
                name=name,
                scheme=scheme,
                identifier=identifier,
                participation=participation,
                **extra,
            )
        row.quantity += quantity
        row.estimated_value += value
        row.maximum_quantity = int(
            (Decimal(row.quantity) * headroom[lot_id]).to_integral_value(ROUND_HALF_UP)
        )
        row.maximum_value = round_money(row.estimated_value * headroom[lot_id])
        row.estimated_value = round_money(row.estimated_value)
        row.has_demand = row.quantity > 0

    for (participation_id, municipality_id, lot_id), (quantity, value) in figures.items():
        participation = participations[participation_id]
        organisation = participation.organisation
        if participation.own_staff:
            scheme, identifier = _identifier(organisation)
            kind = (
                K.JOINT_BODY
                if organisation.kind == Organisation.Kind.JOINT_BODY
                else K.OTHER_AUTHORITY
            )
            add(participation, lot_id, kind, organisation.name, scheme, identifier, quantity, value)
            continue
        municipality = municipalities[municipality_id]
        add(
            participation,
            lot_id,
            K.MUNICIPALITY,
            str(municipality),
            LotAuthority.Scheme.CBS,
            municipality.cbs_code,
            quantity,
            value,
        )
        if organisation.kind == Organisation.Kind.JOINT_BODY:
            scheme, identifier = _identifier(organisation)
            add(
                participation,
                lot_id,
                K.JOINT_BODY,
                organisation.name,
                scheme,
                identifier,
                quantity,
                value,
            )
            on_behalf = rows[(lot_id, K.JOINT_BODY, scheme, identifier, organisation.name)]
            if str(municipality) not in on_behalf.on_behalf_of:
                on_behalf.on_behalf_of = sorted([*on_behalf.on_behalf_of, str(municipality)])
    # Participants named without demand: under the lots they registered interest in.
    for participation in named_without_demand:
        organisation = participation.organisation
        scheme, identifier = _identifier(organisation)
        kinds: dict[str, str] = {
            Organisation.Kind.MUNICIPALITY: K.MUNICIPALITY,
            Organisation.Kind.JOINT_BODY: K.JOINT_BODY,
        }
        named_kind = kinds.get(organisation.kind, K.OTHER_AUTHORITY)
        if named_kind == K.MUNICIPALITY and not participation.own_staff:
            covered = [c.municipality for c in participation.covered.all()]
            if covered:
                scheme, identifier = LotAuthority.Scheme.CBS, covered[0].cbs_code
        for lot in participation.lots.all():
            add(
                participation,
                lot.pk,
                named_kind,
                organisation.name,
                scheme,
                identifier,
                0,
                Decimal(0),
            )
    return sorted(rows.values(), key=lambda r: (r.lot_id, r.name))


@transaction.atomic
def snapshot_freeze(
    *,
    actor: User,
    snapshot: AggregationSnapshot,
    decisions: dict[str, str] | None = None,
    exclusion_reason: str = "",
) -> AggregationSnapshot:
    """Make ``snapshot`` the frozen basis of the tender. Refused with every blocking problem
    when the demand deadline has not passed, a category has no price, a lot has no demand, the
    calculation is out of date or an approved participant without demand has no decision.
    ``decisions`` maps a participation's public id to "name" or "exclude"; leaving one out
    needs ``exclusion_reason``."""
    require(is_project_team_editor(user=actor))
    programme = Programme.objects.select_for_update().get(pk=snapshot.programme_id)
    snapshot = AggregationSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    snapshot.programme = programme
    if snapshot.is_frozen:
        return snapshot
    decisions = decisions or {}
    check = freeze_check(snapshot=snapshot, decisions=decisions)
    if not check.can_freeze:
        raise ValidationError(check.problems)
    excluded = [p for p in check.without_demand if decisions.get(str(p.public_id)) == "exclude"]
    named = [p for p in check.without_demand if decisions.get(str(p.public_id)) == "name"]
    if excluded and not exclusion_reason.strip():
        raise ValidationError(
            {"exclusion_reason": _("Give the reason for leaving participants out.")}
        )
    rows = _authority_rows(snapshot, named)
    LotAuthority.objects.filter(snapshot=snapshot).delete()
    LotAuthority.objects.bulk_create(rows)
    snapshot.authorities = _authority_summary(rows)
    snapshot.excluded_participants = [
        {
            "participation": str(p.public_id),
            "name": p.organisation.name,
            "reason": exclusion_reason.strip(),
        }
        for p in excluded
    ]
    now = timezone.now()
    snapshot.is_frozen = True
    snapshot.frozen_at = now
    snapshot.frozen_by = actor
    snapshot.unfrozen_at = None
    try:
        with transaction.atomic():
            snapshot.save(
                update_fields=[
                    "authorities",
                    "excluded_participants",
                    "is_frozen",
                    "frozen_at",
                    "frozen_by",
                    "unfrozen_at",
                ]
            )
    except IntegrityError as exc:
        if violated_constraint(exc) != "aggregation_one_frozen_snapshot_per_programme":
            raise
        raise ValidationError(_("Another snapshot of this programme is already frozen.")) from exc
    programme.frozen_at = now
    programme.save(update_fields=["frozen_at"])
    audit(
        actor=actor,
        action="aggregation.frozen",
        target=programme,
        snapshot=str(snapshot.public_id),
        authorities=len(snapshot.authorities),
        excluded=[p["name"] for p in snapshot.excluded_participants],
        exclusion_reason=exclusion_reason.strip(),
        named_without_demand=[p.organisation.name for p in named],
    )
    return snapshot


def _authority_summary(rows: list[LotAuthority]) -> list[dict]:
    """The flat list of authorities (for the API): identifier, name, kind and their lots."""
    lots = dict(Lot.objects.filter(pk__in={r.lot_id for r in rows}).values_list("pk", "number"))
    summary: dict[tuple, dict] = {}
    for row in rows:
        entry = summary.setdefault(
            (row.kind, row.scheme, row.identifier, row.name),
            {
                "cbsCode": row.identifier if row.scheme == LotAuthority.Scheme.CBS else "",
                "identifier": row.identifier,
                "scheme": row.scheme,
                "name": row.name,
                "kind": row.kind,
                "participant": row.participation.organisation.name,
                "lots": [],
            },
        )
        entry["lots"] = sorted({*entry["lots"], lots[row.lot_id]})
    return sorted(summary.values(), key=lambda e: (e["name"], e["kind"]))


# --- Unfreezing (four eyes) ------------------------------------------------------------


def _require_unpublished(programme: Programme) -> None:
    if programme.status in (Programme.Status.PUBLISHED, Programme.Status.AWARDED):
        raise ValidationError(
            _("The tender has been published: the frozen figures can no longer be unfrozen.")
        )


@transaction.atomic
def unfreeze_request(*, actor: User, snapshot: AggregationSnapshot, reason: str) -> UnfreezeRequest:
    """Ask to unfreeze, with a reason; a second team member confirms."""
    require(is_project_team_editor(user=actor))
    snapshot = AggregationSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if not snapshot.is_frozen:
        raise ValidationError(_("This calculation is not frozen."))
    _require_unpublished(snapshot.programme)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for unfreezing.")})
    if UnfreezeRequest.objects.filter(
        snapshot=snapshot, status=UnfreezeRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("An unfreeze has already been asked and awaits confirmation."))
    request = UnfreezeRequest.objects.create(
        snapshot=snapshot, reason=reason.strip(), requested_by=actor
    )
    audit(
        actor=actor,
        action="aggregation.unfreeze_requested",
        target=snapshot.programme,
        snapshot=str(snapshot.public_id),
        reason=request.reason,
    )
    return request


@transaction.atomic
def unfreeze_decide(*, actor: User, request: UnfreezeRequest, confirm: bool) -> UnfreezeRequest:
    """Confirm (a team member other than the one who asked) or cancel an unfreeze."""
    require(is_project_team_editor(user=actor))
    request = (
        UnfreezeRequest.objects.select_for_update()
        .select_related("snapshot__programme")
        .get(pk=request.pk)
    )
    if request.status != UnfreezeRequest.Status.PENDING:
        raise ValidationError(_("This unfreeze has already been decided."))
    snapshot = request.snapshot
    programme = Programme.objects.select_for_update().get(pk=snapshot.programme_id)
    now = timezone.now()
    if not confirm:
        request.status = UnfreezeRequest.Status.CANCELLED
        request.decided_by, request.decided_at = actor, now
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit(actor=actor, action="aggregation.unfreeze_cancelled", target=programme)
        return request
    if request.requested_by_id == actor.pk:
        raise ValidationError(
            _("A second member of the project team confirms the unfreeze, not the one who asked.")
        )
    _require_unpublished(programme)
    request.status = UnfreezeRequest.Status.CONFIRMED
    request.decided_by, request.decided_at = actor, now
    request.save(update_fields=["status", "decided_by", "decided_at"])
    AggregationSnapshot.objects.filter(pk=snapshot.pk).update(is_frozen=False, unfrozen_at=now)
    programme.frozen_at = None
    programme.save(update_fields=["frozen_at"])
    audit(
        actor=actor,
        action="aggregation.unfrozen",
        target=programme,
        snapshot=str(snapshot.public_id),
        reason=request.reason,
        requested_by=person_ref(request.requested_by),
    )
    return request
