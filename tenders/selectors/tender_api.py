"""Reads of the tender API, scoped as the pages are: a published (or later) tender is anyone's,
a draft only the project team's (404 for everyone else, like a reference that does not exist).

The detail is read in a fixed number of queries, whatever the number of lots, CPV codes,
requirements, documents and status steps."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from portal.models import Organisation
from tenders.models import (
    PublicationRequest,
    Requirement,
    Tender,
    TenderAward,
    TenderEvent,
    TenderLot,
    TenderQuerySet,
)


def is_project_team(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_project_team)


def tender_api_list() -> QuerySet[Tender]:
    """Every tender once published (also closed, awarded or cancelled), newest first."""
    return Tender.objects.public().order_by("-published_at", "reference")


def _with_parts(queryset: TenderQuerySet) -> QuerySet[Tender]:
    # The snapshot's list of every authority is not part of the tender's representation.
    queryset = queryset.with_snapshot()
    return queryset.prefetch_related(
        Prefetch(
            "lots",
            queryset=TenderLot.objects.select_related("lot")
            .prefetch_related(
                "lot__cpv_codes",
                Prefetch(
                    "awards",
                    queryset=TenderAward.objects.select_related("supplier").order_by("rank"),
                ),
            )
            .order_by("number"),
        ),
        "criteria",
        Prefetch(
            "requirements",
            queryset=Requirement.objects.prefetch_related(
                Prefetch("lots", queryset=TenderLot.objects.order_by("number"))
            ),
        ),
        Prefetch("events", queryset=TenderEvent.objects.order_by("at", "pk")),
    )


def tender_api_get(*, user: Any, reference: str) -> Tender:
    """The tender with everything the API shows: published (or later) for anyone, a draft for
    the project team only; 404 otherwise."""
    queryset = Tender.objects.filter(reference=reference)
    if not is_project_team(user):
        queryset = queryset.public()
    tender = _with_parts(queryset).first()
    if tender is None:
        raise Http404
    return tender


def tender_for_team_action(*, user: Any, reference: str) -> Tender:
    """The tender for the project team's actions (publication, award decision): 404 for
    everyone outside the team, whatever the tender's status. Whether the caller may change
    it (403 for the team's viewers) is the view's next check."""
    if not is_project_team(user):
        raise Http404
    tender = Tender.objects.filter(reference=reference).with_snapshot().first()
    if tender is None:
        raise Http404
    return tender


def publication_pending_get(*, tender: Tender) -> PublicationRequest:
    """The publication awaiting confirmation; 404 when none was asked."""
    pending = (
        PublicationRequest.objects.filter(tender=tender, status=PublicationRequest.Status.PENDING)
        .select_related("requested_by", "decided_by")
        .first()
    )
    if pending is None:
        raise Http404
    return pending


def suppliers_by_public_id(public_ids: set[str]) -> dict[str, Organisation]:
    """The suppliers among these public ids, by id (other organisations are not suppliers)."""
    return {
        str(o.public_id): o
        for o in Organisation.objects.filter(
            public_id__in=public_ids, kind=Organisation.Kind.SUPPLIER
        )
    }
