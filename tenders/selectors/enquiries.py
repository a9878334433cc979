"""Reads of the nota van inlichtingen. Before its round is published a question is seen only
by the asker's organisation and the project team; published questions are public in their
neutral wording, never with the asker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from portal.models import Membership
from tenders.models import Enquiry, EnquiryRound, Tender


@dataclass(frozen=True)
class PublicEnquiry:
    """A published question as anyone may see it: no asker, no private wording."""

    number: int
    lot_number: int | None
    section: str
    question: str
    answer: str


@dataclass(frozen=True)
class PublicRound:
    round: EnquiryRound
    enquiries: list[PublicEnquiry]


def enquiries_for(*, user: Any, tender: Tender) -> QuerySet[Enquiry]:
    """The questions about ``tender`` that ``user`` may see: all for the project team, the
    questions of their own supplier organisations for a supplier's member, none otherwise."""
    enquiries = Enquiry.objects.filter(tender=tender).select_related("organisation", "round")
    if not user.is_authenticated:
        return enquiries.none()
    if user.is_project_team:
        return enquiries
    own = Membership.objects.filter(user=user).values("organisation_id")
    return enquiries.filter(organisation_id__in=own)


def _published(tender: Tender) -> QuerySet[EnquiryRound]:
    return (
        EnquiryRound.objects.filter(tender=tender, status=EnquiryRound.Status.PUBLISHED)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "enquiries",
                queryset=Enquiry.objects.filter(status=Enquiry.Status.ANSWERED).order_by(
                    "asked_at", "pk"
                ),
            )
        )
    )


def enquiry_rounds_published(*, tender: Tender) -> list[PublicRound]:
    """The published rounds in order, each with its questions numbered through the tender."""
    rounds, number = [], 0
    for round_ in _published(tender):
        public = []
        for enquiry in round_.enquiries.all():
            number += 1
            public.append(
                PublicEnquiry(
                    number=number,
                    lot_number=enquiry.lot_number,
                    section=enquiry.section,
                    question=enquiry.public_question,
                    answer=enquiry.answer,
                )
            )
        rounds.append(PublicRound(round=round_, enquiries=public))
    return rounds


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def enquiries_ocds(*, tender: Tender) -> list[dict[str, Any]]:
    """The published questions as OCDS ``Enquiry`` objects (enquiries extension)."""
    result = []
    for round_ in _published(tender):
        for enquiry in round_.enquiries.all():
            item: dict[str, Any] = {
                "id": str(enquiry.public_id),
                "date": _utc(enquiry.asked_at),
                "title": enquiry.public_question[:200],
                "description": enquiry.public_question,
                "answer": enquiry.answer,
                "dateAnswered": _utc(round_.published_at) if round_.published_at else None,
            }
            if enquiry.lot_number is not None:
                item["relatedLot"] = str(enquiry.lot_number)
            result.append({k: v for k, v in item.items() if v is not None})
    return result
