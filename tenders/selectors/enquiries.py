"""Reads of the nota van inlichtingen. Before its round is published a question is seen only
by the asker's organisation and the project team; published questions are public in their
neutral wording, never with the asker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from portal.tenancy import member_of
from tenders.models import DocumentVersion, Enquiry, EnquiryRound, Tender, TenderDocument
from tenders.selectors.periods import ANSWERS_DAYS_BEFORE, day_text, local_day


@dataclass(frozen=True)
class PublicEnquiry:
    """A published question as anyone may see it: no asker, no private wording."""

    number: int
    lot_number: int | None
    section: str
    question: str
    answer: str
    # The tender document the answer changes (its new version is in the round's notice).
    changes_document_id: int | None = None


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
    return enquiries.filter(member_of(user))


def _published(tender: Tender) -> QuerySet[EnquiryRound]:
    return (
        EnquiryRound.objects.filter(tender=tender, status=EnquiryRound.Status.PUBLISHED)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "enquiries",
                queryset=Enquiry.objects.filter(status=Enquiry.Status.ANSWERED)
                .select_related("organisation")
                .order_by("asked_at", "pk"),
            )
        )
    )


def enquiries_numbered(*, tender: Tender) -> list[tuple[EnquiryRound, list[tuple[int, Enquiry]]]]:
    """The published rounds in order, each with its questions and their numbers: the
    questions are numbered through the tender, round after round (the one numbering of the
    public page, the API and the notices). Two queries."""
    rounds, number = [], 0
    for round_ in _published(tender):
        numbered = []
        for enquiry in round_.enquiries.all():
            number += 1
            numbered.append((number, enquiry))
        rounds.append((round_, numbered))
    return rounds


def enquiry_rounds_published(*, tender: Tender) -> list[PublicRound]:
    """The published rounds in order, each with its questions numbered through the tender."""
    return [
        PublicRound(
            round=round_,
            enquiries=[
                PublicEnquiry(
                    number=number,
                    lot_number=enquiry.lot_number,
                    section=enquiry.section,
                    question=enquiry.public_question,
                    answer=enquiry.answer,
                    changes_document_id=enquiry.changes_document_id,
                )
                for number, enquiry in numbered
            ],
        )
        for round_, numbered in enquiries_numbered(tender=tender)
    ]


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


# --- Publishing a round ------------------------------------------------------------------------


def answers_too_late(*, tender: Tender, at: datetime) -> str | None:
    """The refusal of a round published at ``at``: answers are given at the latest 6 days
    before the deadline for bids, counted in days as the timeline's rule does
    (tenders.selectors.periods: the day of ``at`` at the latest the deadline's day minus 6).
    None while it is in time."""
    if tender.bid_deadline_at is None:
        return None
    deadline = local_day(tender.bid_deadline_at)
    latest = deadline - timedelta(days=ANSWERS_DAYS_BEFORE)
    today = local_day(at)
    if today <= latest:
        return None
    return _(
        "A clarification notice is published at the latest %(days)s days before the deadline "
        "for bids (%(deadline)s), so on %(latest)s at the latest (%(article)s). Move the "
        "deadline for bids with a change notice first, to %(moved)s or later, and publish the "
        "notice then."
    ) % {
        "days": ANSWERS_DAYS_BEFORE,
        "deadline": day_text(deadline),
        "latest": day_text(latest),
        "article": _("Directive 2014/24/EU, article 47(3)(a)"),
        "moved": day_text(today + timedelta(days=ANSWERS_DAYS_BEFORE)),
    }


def _changed_since(tender: Tender, round_: EnquiryRound) -> datetime | None:
    """Since when a changed document's version counts as new for ``round_``: the previous
    published round, or else the tender's publication."""
    previous = (
        EnquiryRound.objects.filter(tender=tender, status=EnquiryRound.Status.PUBLISHED)
        .exclude(pk=round_.pk)
        .order_by("-number")
        .first()
    )
    return previous.published_at if previous is not None else tender.published_at


def round_changed_versions(
    *, tender: Tender, round_: EnquiryRound
) -> tuple[list[DocumentVersion], list[TenderDocument]]:
    """The documents that the answers of ``round_`` change: for each the new version it refers
    to (the newest finished one made since the previous round or the publication), and the
    documents that have no such version yet."""
    documents = {
        document.pk: document
        for document in TenderDocument.objects.filter(
            pk__in=round_.enquiries.filter(status=Enquiry.Status.ANSWERED).values(
                "changes_document"
            )
        )
    }
    since = _changed_since(tender, round_)
    found: list[DocumentVersion] = []
    missing: list[TenderDocument] = []
    for document in sorted(documents.values(), key=lambda d: d.pk):
        versions = document.versions.filter(status=DocumentVersion.Status.DONE)
        if since is not None:
            versions = versions.filter(requested_at__gt=since)
        newest = versions.select_related("document").order_by("-number").first()
        if newest is None:
            missing.append(document)
        else:
            found.append(newest)
    return found, missing


def enquiry_round_refusals(*, tender: Tender, round_: EnquiryRound, at: datetime) -> list[str]:
    """Why ``round_`` may not be published at ``at``: too close to the deadline for bids, or
    an answer changes a document that has no new version yet. Empty when it may."""
    refusals = []
    late = answers_too_late(tender=tender, at=at)
    if late:
        refusals.append(late)
    _found, missing = round_changed_versions(tender=tender, round_=round_)
    for document in missing:
        refusals.append(
            _(
                "An answer changes “%(document)s”, which has no new version since the "
                "publication or the previous clarification notice. Make it with a change "
                "notice first: the notice refers to the new version."
            )
            % {"document": document.get_kind_display()}
        )
    return refusals
