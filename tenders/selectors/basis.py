"""The basis of a calculation: which submitted versions count, the reference prices and the EU
threshold in force on a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from catalog.models import ReferencePrice
from municipalities.models import Demand, DemandVersion, Participation
from tenders.models import AuthorityType, ContractType, EuThreshold, Milestone, Programme


def included_versions(*, programme: Programme):
    """The newest submitted version of every approved participant's demand that has not been
    returned for changes."""
    newest = (
        DemandVersion.objects.filter(demand=OuterRef("demand"))
        .order_by("-number")
        .values("number")[:1]
    )
    return DemandVersion.objects.filter(
        demand__participation__programme=programme,
        demand__participation__status=Participation.Status.APPROVED,
        number=Subquery(newest),
    ).exclude(demand__status=Demand.Status.RETURNED)


def threshold_on(
    day: date,
    *,
    authority_type: str = AuthorityType.SUB_CENTRAL,
    contract_type: str = ContractType.SUPPLIES,
) -> Decimal | None:
    """The EU threshold in force on ``day`` for this kind of authority and contract."""
    threshold = (
        EuThreshold.objects.filter(
            valid_from__lte=day, authority_type=authority_type, contract_type=contract_type
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )
    return threshold.amount if threshold else None


def threshold_date(programme: Programme) -> date:
    """The day whose threshold applies: when the call for competition is sent (2014/24/EU
    art. 5(5)), i.e. the planned publication; today while none is planned."""
    planned = programme.milestone_at(Milestone.Kind.PLANNED_PUBLICATION)
    return timezone.localdate(planned) if planned is not None else timezone.localdate()


def prices_on(day: date) -> dict[int, Decimal]:
    """The reference unit price in force per category on ``day``."""
    prices: dict[int, Decimal] = {}
    for price in ReferencePrice.objects.filter(valid_from__lte=day).order_by(
        "category_id", "-valid_from", "-id"
    ):
        prices.setdefault(price.category_id, price.unit_price)
    return prices
