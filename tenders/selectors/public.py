"""Reads for the public tender pages (no login): the list of published tenders, one tender's
page with its lots, the number of authorities per lot, timeline, criteria and requirements,
each lot's authorities (a page of their own, paged and searchable) and the subscription links.
Drafts are not public: 404, like a reference that does not exist.

The tender page's queries do not grow with the number of authorities: it shows only how many
there are per lot (thousands at national scale). They are counted once per frozen snapshot and
kept in the cache: the authorities of a snapshot change only when it is frozen again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import holidays
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst

from portal.kept import kept
from portal.models import hash_token
from tenders.models import (
    LotAuthority,
    Requirement,
    Subscription,
    Tender,
    TenderLot,
)
from tenders.selectors.aggregation import SNAPSHOT_KEYS_SECONDS, freeze_key
from tenders.selectors.change import change_notices_confirmed
from tenders.selectors.documents import published_documents
from tenders.selectors.enquiries import enquiry_rounds_published

TIMELINE = (
    "publication_at",
    "question_deadline_at",
    "answers_at",
    "bid_deadline_at",
    "opening_at",
    "award_decision_at",
    "standstill_end_at",
    "contract_start",
)


@dataclass(frozen=True)
class TimelineEntry:
    label: str
    value: datetime | date
    is_date: bool
    holiday: str = ""


@dataclass
class PublicLot:
    lot: TenderLot
    cpv_codes: list[Any]
    authority_count: int = 0


def tender_public_list() -> QuerySet[Tender]:
    """Every tender once published (also closed, awarded or cancelled), newest first."""
    return (
        Tender.objects.public().select_related("programme").order_by("-published_at", "reference")
    )


def tender_public_page_get(*, reference: str) -> Tender:
    """A published (or later) tender with everything its page shows; 404 for a draft."""
    tender = (
        Tender.objects.public()
        .filter(reference=reference)
        .with_snapshot()  # the lots' pages show the authorities a page at a time
        .prefetch_related(
            Prefetch(
                "lots",
                queryset=TenderLot.objects.select_related("lot")
                .prefetch_related("lot__cpv_codes")
                .order_by("number"),
            ),
            "criteria",
            Prefetch(
                "requirements",
                queryset=Requirement.objects.prefetch_related(
                    Prefetch("lots", queryset=TenderLot.objects.order_by("number"))
                ),
            ),
        )
        .first()
    )
    if tender is None:
        raise Http404
    return tender


def tender_public_brief_get(*, reference: str) -> Tender:
    """A published (or later) tender by its reference, without its parts; 404 for a draft."""
    tender = Tender.objects.public().filter(reference=reference).first()
    if tender is None:
        raise Http404
    return tender


@dataclass(frozen=True)
class AuthorityCounts:
    per_lot: dict[int, int]  # Lot id -> authorities that may call off under it
    total: int  # each organisation once, also when it is named under more than one lot


def authority_counts(tender: Tender) -> AuthorityCounts:
    """How many authorities the tender's frozen snapshot names, per lot and in all; counted
    on the first request after a freeze, then kept (computed again when the cache is down)."""

    def count() -> AuthorityCounts:
        rows = LotAuthority.objects.filter(snapshot_id=tender.snapshot_id)
        per_lot = dict(rows.values_list("lot_id").annotate(count=Count("pk")).order_by())
        # As the parties of the draft framework agreement are counted.
        total = rows.values("name", "scheme", "identifier").distinct().count()
        return AuthorityCounts(per_lot=per_lot, total=total)

    if tender.snapshot is None:
        return count()
    return kept(
        f"public-authority-counts:{freeze_key(tender.snapshot)}",
        count,
        seconds=SNAPSHOT_KEYS_SECONDS,
    )


def public_lots(tender: Tender, counts: AuthorityCounts) -> list[PublicLot]:
    """The lots as published, each with the number of authorities that may call off under it
    (from the frozen snapshot; the names are on the lot's own page)."""
    return [
        PublicLot(
            lot=lot,
            cpv_codes=list(lot.lot.cpv_codes.all()),
            authority_count=counts.per_lot.get(lot.lot_id, 0),
        )
        for lot in tender.lots.all()
    ]


def public_lot_get(*, tender: Tender, number: int) -> TenderLot:
    """Lot ``number`` of a public tender; 404 when it has no such lot."""
    lot = tender.lots.filter(number=number).first()
    if lot is None:
        raise Http404
    return lot


def public_lot_authorities(*, tender: Tender, lot: TenderLot, search: str = "") -> QuerySet:
    """The authorities that may call off under ``lot``, by name; with ``search``, those whose
    name or identifier contains it, or a joint body calling off for a municipality of that
    name. A queryset, so that a page of it is one query."""
    rows = LotAuthority.objects.filter(snapshot_id=tender.snapshot_id, lot_id=lot.lot_id)
    if search:
        rows = rows.filter(
            Q(name__icontains=search)
            | Q(identifier__icontains=search)
            | Q(on_behalf_of__icontains=search)
        )
    return rows.order_by("name", "pk")


def public_timeline(tender: Tender) -> list[TimelineEntry]:
    """The moments that are set, in order, each with the Dutch public holiday it falls on."""
    moments = [(name, getattr(tender, name)) for name in TIMELINE]
    moments = [(name, value) for name, value in moments if value is not None]
    days = {
        name: timezone.localdate(value) if isinstance(value, datetime) else value
        for name, value in moments
    }
    calendar = holidays.country_holidays(
        "NL", years={day.year for day in days.values()}, language="nl"
    )
    return [
        TimelineEntry(
            label=capfirst(str(getattr(Tender._meta.get_field(name), "verbose_name", name))),
            value=value,
            is_date=not isinstance(value, datetime),
            holiday=calendar.get(days[name]) or "",
        )
        for name, value in moments
    ]


def tender_public_context(tender: Tender) -> dict[str, Any]:
    counts = authority_counts(tender)
    lots = public_lots(tender, counts)
    return {
        "tender": tender,
        "programme": tender.programme,
        "lots": lots,
        "authority_count": counts.total,
        "timeline": public_timeline(tender),
        "criteria": list(tender.criteria.all()),
        "requirements": list(tender.requirements.all()),
        "lot_count": len(lots),
        "documents": published_documents(tender=tender),
        "notices": enquiry_rounds_published(tender=tender),
        "change_notices": change_notices_confirmed(tender=tender),
    }


def subscription_for_confirm_token(*, tender: Tender, token: str) -> Subscription | None:
    """The subscription this confirmation link confirms, or None when the link is unknown,
    used or expired."""
    subscription = Subscription.objects.filter(
        tender=tender, confirm_token_hash=hash_token(token)
    ).first()
    return subscription if subscription is not None and subscription.is_confirmable else None


def subscription_for_unsubscribe_token(*, tender: Tender, token: str) -> Subscription | None:
    """The subscription of this unsubscribe link, or None when the link is unknown."""
    return Subscription.objects.filter(
        tender=tender, unsubscribe_token_hash=hash_token(token)
    ).first()
