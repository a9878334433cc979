"""One lot total of a snapshot taken apart: each participant's contribution to it (the
project team's drilldown of the aggregation)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Sum,
    Value,
    When,
)

from municipalities.models import DemandVersionLine
from portal.kept import kept
from tenders.models import AggregationSnapshot, Lot
from tenders.selectors.aggregation import (
    ParticipantContribution,
    contribution_rows,
    participants_of,
    snapshot_prices,
)

# How long the sums of a lot and year stay in the cache (they never change; a day at most, so
# that those nobody looks at any more leave it).
DRILLDOWN_CACHE_SECONDS = 24 * 60 * 60


@dataclass
class Drilldown:
    participants: list[ParticipantContribution]
    quantity: int
    value: Decimal


def _line_value(prices) -> ExpressionWrapper:
    """A line's quantity times its category's unit price in the snapshot (no price: 0)."""
    money = DecimalField(max_digits=20, decimal_places=4)
    price = Case(
        *[
            When(category_id=key, then=Value(unit_price, output_field=money))
            for key, (_lot_id, unit_price) in sorted(prices.items())
            if unit_price is not None
        ],
        default=Value(Decimal(0), output_field=money),
        output_field=money,
    )
    return ExpressionWrapper(price * F("quantity"), output_field=money)


def aggregation_drilldown(
    *, snapshot: AggregationSnapshot, lot: Lot, year: int, page_number: Any, page_size: int
) -> tuple[Drilldown, Page]:
    """Each participant's contribution to one lot total (year 0 = the whole term), summed by
    the database from the lines of exactly the versions the snapshot included. The sums cover
    every participant (summed on the first request, then kept); only one page of participants
    is read with its lines, so the cost of a page does not grow with the participants.
    The order is by the participant's name when the lot and year were first summed."""
    prices = snapshot_prices(snapshot=snapshot, lot=lot)
    in_lot = DemandVersionLine.objects.filter(category_id__in=list(prices))
    if year:
        in_lot = in_lot.filter(year=year)
    lines = in_lot.filter(version__in=snapshot.included_versions.all())
    participation = "version__demand__participation_id"

    def summed() -> dict[str, Any]:
        """The sums over every participant with a line in the lot, and those participants in
        the order of the page (by name), from the included versions (one per participant)
        without summing their lines: only whether they have one in the lot."""
        sums = lines.aggregate(all_quantity=Sum("quantity"), all_value=Sum(_line_value(prices)))
        # One participant may have had more than one version included (a joint body's); it
        # is listed once.
        sums["order"] = list(
            dict.fromkeys(
                snapshot.included_versions.filter(Exists(in_lot.filter(version=OuterRef("pk"))))
                .order_by("demand__participation__organisation__name", "demand__participation_id")
                .values_list("demand__participation_id", flat=True)
            )
        )
        return sums

    # A snapshot never changes (nor do the versions it included), so the sums and the order
    # of the participants are made once per lot and year and kept in the cache (made again
    # when the cache is down); a page is then a slice of that order.
    totals = kept(
        f"aggregation-drilldown:{snapshot.public_id}:{lot.number}:{year}",
        summed,
        seconds=DRILLDOWN_CACHE_SECONDS,
    )
    page = Paginator(totals["order"], page_size).get_page(page_number)
    ids = list(page.object_list)
    shown = participants_of(
        contribution_rows(snapshot=snapshot, categories=list(prices), year=year).filter(
            **{f"{participation}__in": ids}
        ),
        prices,
    )
    rows: list[ParticipantContribution] = [shown[pk] for pk in ids]
    page.object_list = rows
    drilldown = Drilldown(
        participants=rows,
        quantity=totals["all_quantity"] or 0,
        value=totals["all_value"] or Decimal(0),
    )
    return drilldown, page
