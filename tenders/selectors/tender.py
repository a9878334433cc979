"""Reads of the tender: the team's draft and the public view."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from tenders.models import Tender

# What a tender page may show of the tender besides its own fields: each is one query.
TENDER_PARTS = ("lots", "criteria", "requirements__lots")


def tender_for_programme(*, programme: Any, parts: tuple[str, ...] = TENDER_PARTS) -> Tender | None:
    """The programme's tender (draft or not), for the project team's pages, with the ``parts``
    the page shows read ahead (a page that shows none of them does not pay a query for each)."""
    return (
        Tender.objects.filter(programme=programme).with_snapshot().prefetch_related(*parts).first()
    )


HOME_PAGE_LIMIT = 10


def tenders_published_public(*, limit: int = HOME_PAGE_LIMIT) -> list[Tender]:
    """Published tenders still open for bids, newest first; at most ``limit``, for the public
    home page (one query)."""
    return list(
        Tender.objects.filter(status=Tender.Status.PUBLISHED)
        .select_related("programme")
        .order_by("-published_at", "-created_at")[:limit]
    )


def tender_public_get(*, reference: str) -> Tender:
    """A published (or later) tender by its reference, for anyone; 404 for a draft."""
    tender = (
        Tender.objects.public()
        .filter(reference=reference)
        .with_snapshot()
        .prefetch_related("lots", "criteria", "requirements__lots")
        .first()
    )
    if tender is None:
        raise Http404
    return tender
