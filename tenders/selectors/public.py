"""Reads for the public tender pages (no login): the list of published tenders, one tender's
page with its lots, authorities per lot, timeline, criteria and requirements, and the
subscription links. Drafts are not public: 404, like a reference that does not exist.

The page's queries do not grow with the number of authorities: they are read in one query and
grouped per lot here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import holidays
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst

from portal.models import hash_token
from tenders.models import (
    LotAuthority,
    Requirement,
    Subscription,
    Tender,
    TenderLot,
)
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
    authorities: list[LotAuthority] = field(default_factory=list)


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
        .select_related("programme", "snapshot")
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


def public_lots(tender: Tender) -> list[PublicLot]:
    """The lots as published, each with the authorities that may call off under it (from the
    frozen snapshot)."""
    per_lot: dict[int, list[LotAuthority]] = defaultdict(list)
    for authority in LotAuthority.objects.filter(snapshot_id=tender.snapshot_id).order_by(
        "name", "pk"
    ):
        per_lot[authority.lot_id].append(authority)
    return [
        PublicLot(lot=lot, cpv_codes=list(lot.lot.cpv_codes.all()), authorities=per_lot[lot.lot_id])
        for lot in tender.lots.all()
    ]


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
    lots = public_lots(tender)
    return {
        "tender": tender,
        "programme": tender.programme,
        "lots": lots,
        "authority_count": sum(len(lot.authorities) for lot in lots),
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
