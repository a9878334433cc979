"""Reads of the nota van inlichtingen for the API, scoped as the pages are: the published
questions and answers are anyone's (never the asker); a supplier's member also sees the
questions of their own organisation that are not published yet, with their status; the
project team sees every question with the asking organisation, and the rounds not yet
published. A fixed number of queries, whatever the number of questions and rounds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from tenders.models import DocumentVersion, Enquiry, EnquiryRound, Tender, TenderDocument
from tenders.selectors.enquiries import enquiries_for, enquiries_numbered
from tenders.selectors.tender_api import is_project_team

PUBLISHED = EnquiryRound.Status.PUBLISHED


@dataclass(frozen=True)
class EnquiryListing:
    """The questions a caller may see: the published ones by number, then the others (their
    own, or all for the project team) oldest first."""

    enquiries: list[Enquiry]
    numbers: dict[int, int] = field(default_factory=dict)  # pk → number in the notices
    document_kinds: dict[int, str] = field(default_factory=dict)  # TenderDocument pk → kind
    team: bool = False


def tender_for_enquiries(*, user: Any, reference: str) -> Tender:
    """A published (or later) tender for anyone, a draft for the project team; 404 else."""
    tenders = Tender.objects.filter(reference=reference).select_related("programme")
    if not is_project_team(user):
        tenders = tenders.public()
    tender = tenders.first()
    if tender is None:
        raise Http404
    return tender


def enquiry_listing(*, user: Any, tender: Tender) -> EnquiryListing:
    numbers: dict[int, int] = {}
    published: list[Enquiry] = []
    for _round, numbered in enquiries_numbered(tender=tender):
        for number, enquiry in numbered:
            numbers[enquiry.pk] = number
            published.append(enquiry)
    others = list(
        enquiries_for(user=user, tender=tender)
        .exclude(round__status=PUBLISHED)
        .select_related("merged_into")
        .order_by("asked_at", "pk")
    )
    kinds = dict(TenderDocument.objects.filter(tender=tender).values_list("pk", "kind"))
    return EnquiryListing(
        enquiries=[*published, *others],
        numbers=numbers,
        document_kinds=kinds,
        team=is_project_team(user),
    )


def enquiry_get(*, user: Any, tender: Tender, public_id: Any) -> EnquiryListing:
    """One question as ``enquiry_listing`` shows it; 404 for one the caller may not see."""
    listing = enquiry_listing(user=user, tender=tender)
    found = [e for e in listing.enquiries if str(e.public_id) == str(public_id)]
    if not found:
        raise Http404
    return EnquiryListing(
        enquiries=found,
        numbers=listing.numbers,
        document_kinds=listing.document_kinds,
        team=listing.team,
    )


def enquiry_for_team(*, tender: Tender, public_id: Any) -> Enquiry:
    """A question of ``tender`` for the project team's actions (the caller's access is
    checked by ``tender_for_team_action``); 404 for an unknown one."""
    enquiry = Enquiry.objects.filter(tender=tender, public_id=public_id).first()
    if enquiry is None:
        raise Http404
    return enquiry


def enquiry_rounds_for(*, user: Any, tender: Tender) -> list[EnquiryRound]:
    """The published rounds by number for anyone; the project team also gets the draft and
    the one awaiting confirmation. Each with its notice and the changed document versions."""
    rounds = EnquiryRound.objects.filter(tender=tender)
    if not is_project_team(user):
        rounds = rounds.filter(status=PUBLISHED)
    return list(
        rounds.select_related("document_version__document")
        .defer("document_version__inputs")
        .prefetch_related(
            Prefetch(
                "changed_versions",
                queryset=DocumentVersion.objects.select_related("document")
                .defer("inputs")
                .order_by("document_id"),
            )
        )
        .annotate(
            question_count=Count("enquiries", filter=Q(enquiries__status=Enquiry.Status.ANSWERED))
        )
        .order_by("number", "created_at")
    )


def enquiry_round_get(*, user: Any, tender: Tender, public_id: Any) -> EnquiryRound:
    for round_ in enquiry_rounds_for(user=user, tender=tender):
        if str(round_.public_id) == str(public_id):
            return round_
    raise Http404
