"""Reads for the pages of the nota van inlichtingen: the supplier's own questions about a
published tender (never another organisation's), the project team's list of every question
with its asker, and the round that is being published. The rules themselves live in
``tenders/services/enquiries.py``; ``tenders/selectors/enquiries.py`` has the public reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from portal.models import Membership, Organisation
from tenders.models import (
    Enquiry,
    EnquiryRound,
    Programme,
    Tender,
    TenderDocument,
    TenderLot,
)
from tenders.models.documents import DOCUMENT_SET_KINDS

E = Enquiry.Status
R = EnquiryRound.Status


def enquiry_reference(enquiry: Enquiry) -> str:
    """A short reference the asker and the team can quote: the start of the public id."""
    return "V-" + enquiry.public_id.hex[:8].upper()


@dataclass(frozen=True)
class PublishedPlace:
    """Where a question stands in the published notas van inlichtingen."""

    round_number: int
    question_number: int


@dataclass(frozen=True)
class OwnEnquiry:
    """A supplier's own question as its organisation sees it. The answer is shown only once
    its round is published: all suppliers get it at the same moment."""

    enquiry: Enquiry
    reference: str
    state: str  # "submitted", "published", "merged"
    place: PublishedPlace | None


@dataclass(frozen=True)
class TeamEnquiry:
    enquiry: Enquiry
    reference: str
    place: PublishedPlace | None

    @property
    def merged_reference(self) -> str:
        into = self.enquiry.merged_into if self.enquiry.merged_into_id else None
        return enquiry_reference(into) if into is not None else ""

    @property
    def editable(self) -> bool:
        """The team may still answer or merge it (not merged, not in a round being or
        already published)."""
        round_ = self.enquiry.round
        return self.enquiry.status != E.MERGED and (round_ is None or round_.status == R.DRAFT)


# --- The tender ------------------------------------------------------------------------------


def tender_for_questions_get(*, reference: str) -> Tender:
    """A published (or later) tender with its lots; 404 for a draft, like an unknown one."""
    tender = Tender.objects.public().filter(reference=reference).select_related("programme").first()
    if tender is None:
        raise Http404
    return tender


def tender_published_for_programme(*, programme: Programme) -> Tender:
    """The programme's tender once published, for the project team's question pages; a draft
    has no questions (404)."""
    tender = Tender.objects.public().filter(programme=programme).first()
    if tender is None:
        raise Http404
    return tender


def tender_lots(*, tender: Tender) -> list[TenderLot]:
    return list(tender.lots.order_by("number"))


def asking_open(*, tender: Tender) -> bool:
    """Questions are taken while the tender is published and its deadline for questions has
    not passed (the service checks the same again when a question is asked)."""
    deadline = tender.question_deadline_at
    return (
        tender.status == Tender.Status.PUBLISHED
        and deadline is not None
        and timezone.now() <= deadline
    )


# --- Suppliers -------------------------------------------------------------------------------


def supplier_memberships(memberships: list[Membership]) -> list[Membership]:
    """The supplier memberships among a user's memberships (as loaded for the request)."""
    return [m for m in memberships if m.organisation.kind == Organisation.Kind.SUPPLIER]


def supplier_membership_pick(
    memberships: list[Membership], active: Membership | None
) -> Membership | None:
    """The supplier the user asks for: the organisation they work for when it is a supplier,
    otherwise their first supplier; None when they belong to no supplier."""
    suppliers = supplier_memberships(memberships)
    if active is not None and active in suppliers:
        return active
    return suppliers[0] if suppliers else None


def published_places(*, tender: Tender) -> dict[int, PublishedPlace]:
    """Per enquiry id, its nota and its number on the public page (numbered through the
    tender, in the order of ``enquiry_rounds_published``), in one query."""
    rows = (
        Enquiry.objects.filter(tender=tender, status=E.ANSWERED, round__status=R.PUBLISHED)
        .order_by("round__number", "asked_at", "pk")
        .values_list("pk", "round__number")
    )
    return {
        pk: PublishedPlace(round_number=number or 0, question_number=index)
        for index, (pk, number) in enumerate(rows, start=1)
    }


def enquiries_own(*, tender: Tender, organisation: Organisation) -> list[OwnEnquiry]:
    """The questions of ``organisation`` about ``tender``, newest first. Another
    organisation's questions are never among them."""
    enquiries = (
        Enquiry.objects.filter(tender=tender, organisation=organisation)
        .select_related("round", "asked_by", "merged_into")
        .order_by("-asked_at", "-pk")
    )
    places = published_places(tender=tender)
    result = []
    for enquiry in enquiries:
        if enquiry.status == E.MERGED:
            state = "merged"
            place = places.get(enquiry.merged_into_id) if enquiry.merged_into_id else None
        elif enquiry.pk in places:
            state, place = "published", places[enquiry.pk]
        else:
            state, place = "submitted", None
        result.append(
            OwnEnquiry(
                enquiry=enquiry, reference=enquiry_reference(enquiry), state=state, place=place
            )
        )
    return result


# --- The project team ------------------------------------------------------------------------


def _team_queryset(tender: Tender) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(tender=tender).select_related(
        "organisation", "round", "merged_into", "changes_document"
    )


def enquiries_for_team(*, tender: Tender) -> list[TeamEnquiry]:
    """Every question of the tender with its asker: open ones first, then answered ones not
    yet published, then the ones in a round, then merged ones; oldest first within each."""
    order = Case(
        When(status=E.OPEN, then=Value(0)),
        When(status=E.ANSWERED, round__isnull=True, then=Value(1)),
        When(status=E.ANSWERED, round__status=R.DRAFT, then=Value(1)),
        When(status=E.ANSWERED, round__status=R.PENDING, then=Value(2)),
        When(status=E.ANSWERED, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    places = published_places(tender=tender)
    return [
        TeamEnquiry(
            enquiry=enquiry, reference=enquiry_reference(enquiry), place=places.get(enquiry.pk)
        )
        for enquiry in _team_queryset(tender)
        .annotate(group=order)
        .order_by("group", "asked_at", "pk")
    ]


def enquiry_get_for_team(*, tender: Tender, public_id: Any) -> TeamEnquiry:
    """One question of the tender for the project team's answer page; 404 otherwise."""
    enquiry = _team_queryset(tender).filter(public_id=public_id).first()
    if enquiry is None:
        raise Http404
    place = published_places(tender=tender).get(enquiry.pk) if enquiry.round_id else None
    return TeamEnquiry(enquiry=enquiry, reference=enquiry_reference(enquiry), place=place)


def changeable_documents(*, tender: Tender) -> list[TenderDocument]:
    """The tender's documents an answer may change: the document set, not the notices."""
    order = {kind: index for index, kind in enumerate(DOCUMENT_SET_KINDS)}
    documents = TenderDocument.objects.filter(tender=tender, kind__in=DOCUMENT_SET_KINDS)
    return sorted(documents, key=lambda document: order[document.kind])


def merge_targets(*, enquiry: Enquiry) -> list[Enquiry]:
    """The questions ``enquiry`` may be merged into: the tender's other questions that are
    not merged themselves."""
    return list(
        Enquiry.objects.filter(tender_id=enquiry.tender_id)
        .exclude(pk=enquiry.pk)
        .exclude(status=E.MERGED)
        .order_by("asked_at", "pk")
    )


def open_enquiry_count(*, tender: Tender) -> int:
    return Enquiry.objects.filter(tender=tender, status=E.OPEN).count()


def enquiry_round_pending(*, tender: Tender) -> EnquiryRound | None:
    return (
        EnquiryRound.objects.filter(tender=tender, status=R.PENDING)
        .select_related("asked_by")
        .first()
    )


def enquiries_ready(*, tender: Tender, pending: EnquiryRound | None) -> list[TeamEnquiry]:
    """The answered questions that go into the next nota van inlichtingen: the pending
    round's, or, with none pending, every answered question not yet in a round (or in the
    draft round) — what ``enquiry_round_request`` would collect."""
    enquiries = _team_queryset(tender).filter(status=E.ANSWERED)
    if pending is not None:
        enquiries = enquiries.filter(round=pending)
    else:
        enquiries = enquiries.filter(Q(round__isnull=True) | Q(round__status=R.DRAFT))
    return [
        TeamEnquiry(enquiry=enquiry, reference=enquiry_reference(enquiry), place=None)
        for enquiry in enquiries.order_by("asked_at", "pk")
    ]


def enquiry_rounds_done(*, tender: Tender) -> list[EnquiryRound]:
    return list(
        EnquiryRound.objects.filter(tender=tender, status=R.PUBLISHED)
        .select_related("asked_by", "confirmed_by")
        .order_by("number")
    )
