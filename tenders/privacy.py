"""The tenders' personal data for ``portal.privacy``: questions for the nota van inlichtingen
and subscriptions by e-mail address; the retention of unconfirmed and ended subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import User
from portal.privacy import RetentionRule, Source, batch_delete, register_retention, register_source
from tenders.models import Enquiry, Subscription


def _enquiries(user: User, limit: int) -> list[dict[str, Any]]:
    rows = Enquiry.objects.filter(asked_by=user).select_related("tender", "organisation")
    return [
        {
            "tender": e.tender.reference,
            "organisation": e.organisation.name,
            "asked_at": e.asked_at,
            "lot": e.lot_number,
            "section": e.section,
            "question": e.question,
            "status": e.status,
            "answer": e.answer,
        }
        for e in rows.order_by("-asked_at")[:limit]
    ]


def _subscriptions(user: User, limit: int) -> list[dict[str, Any]]:
    rows = Subscription.objects.filter(email__iexact=user.email).select_related("tender")
    return [
        {
            "tender": s.tender.reference,
            "email": s.email,
            "created_at": s.created_at,
            "confirmed_at": s.confirmed_at,
            "unsubscribed_at": s.unsubscribed_at,
        }
        for s in rows.order_by("-created_at")[:limit]
    ]


def _erase_subscriptions(user: User) -> None:
    Subscription.objects.filter(email__iexact=user.email).delete()


def _unconfirmed(cutoff: datetime, batch: int) -> int:
    rows = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    return batch_delete(rows, batch)


def _unsubscribed(cutoff: datetime, batch: int) -> int:
    rows = Subscription.objects.filter(Q(unsubscribed_at__lt=cutoff))
    return batch_delete(rows, batch)


register_source(Source("enquiries", _("Questions for the nota van inlichtingen"), _enquiries))
register_source(
    Source(
        "subscriptions", _("Subscriptions by e-mail"), _subscriptions, erase=_erase_subscriptions
    )
)
register_retention(RetentionRule("subscriptions_unconfirmed_days", _unconfirmed))
register_retention(RetentionRule("subscriptions_unsubscribed_days", _unsubscribed))
