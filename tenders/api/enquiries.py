"""The nota van inlichtingen API: the questions about a tender and the project team's rounds.

Scoped as the pages are: the published questions and answers and the published rounds are
anyone's (never the asker); a supplier's member also sees their own organisation's questions
that are not published yet and asks new ones; the project team sees everything, with the
asking organisation, and answers, merges and publishes rounds with four eyes. A draft tender is
the project team's only (404). The team's actions: 404 outside the team, 403 for its viewers.
A service that refuses answers 409 (400 for bad input) as ``application/problem+json``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from portal.api_errors import camel_case, service_errors
from suppliers.selectors import user_supplier_membership
from tenders.api.serializers_enquiries import (
    EnquiryAnswerSerializer,
    EnquiryAskSerializer,
    EnquiryMergeSerializer,
    EnquiryRoundSerializer,
    EnquirySerializer,
)
from tenders.api.tenders import CONFLICT, READ_ONLY, TEAM_ONLY, _team_tender
from tenders.models import Enquiry, TenderDocument
from tenders.selectors.enquiry_api import (
    enquiry_for_team,
    enquiry_get,
    enquiry_listing,
    enquiry_round_get,
    enquiry_rounds_for,
    tender_for_enquiries,
)
from tenders.services.enquiries import (
    enquiry_answer,
    enquiry_ask,
    enquiry_merge,
    enquiry_round_decide,
    enquiry_round_request,
)
from tenders.services.enquiry_reads import enquiry_askers_read

NO_TENDER = OpenApiResponse(
    description="No such tender, or a draft and the caller is not in the project team."
)
NOT_A_SUPPLIER = OpenApiResponse(description="The caller is not a member of a supplier.")


def _enquiry_data(request, tender, enquiry: Enquiry) -> dict:
    listing = enquiry_get(user=request.user, tender=tender, public_id=enquiry.public_id)
    return EnquirySerializer(listing.enquiries[0], context={"listing": listing}).data


class EnquiryListView(generics.ListAPIView):
    """The questions about the tender: the published ones by number, in their public wording
    and with their answer, for anyone; a supplier's member also gets their own organisation's
    questions that are not published yet, with their status; the project team gets every
    question with the organisation that asked it."""

    serializer_class = EnquirySerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(
        operation_id="tenderEnquiryList",
        responses={200: EnquirySerializer(many=True), 404: NO_TENDER},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _listing(self):
        if not hasattr(self, "_cached_listing"):
            tender = tender_for_enquiries(
                user=self.request.user, reference=self.kwargs["reference"]
            )
            self._cached_listing = enquiry_listing(user=self.request.user, tender=tender)
            if self._cached_listing.team:
                enquiry_askers_read(actor=self.request.user, tender=tender, view="api:enquiries")
        return self._cached_listing

    def get_queryset(self):
        return self._listing().enquiries

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "listing": self._listing()}

    @extend_schema(
        operation_id="tenderEnquiryCreate",
        request=EnquiryAskSerializer,
        responses={
            201: EnquirySerializer,
            403: NOT_A_SUPPLIER,
            404: NO_TENDER,
            409: OpenApiResponse(
                description="The tender is not published, or its deadline for questions passed."
            ),
        },
        description="Ask a question about the published tender (a member of a supplier), "
        "until its deadline for questions. It stays private to your organisation and the "
        "project team until it is answered in a published nota van inlichtingen, in a neutral "
        "wording without your organisation's name.",
    )
    def post(self, request, reference):
        tender = tender_for_enquiries(user=request.user, reference=reference)
        membership = user_supplier_membership(user=request.user)
        if membership is None:
            raise PermissionDenied(_("Only a member of a supplier may ask a question."))
        body = EnquiryAskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        enquiry = enquiry_ask(
            actor=request.user,
            organisation=membership.organisation,
            tender=tender,
            question=data["question"],
            lot_number=data["lotNumber"],
            section=data["section"],
        )
        location = reverse(
            "api:tender-enquiry-detail",
            kwargs={"reference": tender.reference, "enquiry_id": enquiry.public_id},
            request=request,
        )
        return Response(
            _enquiry_data(request, tender, enquiry),
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class EnquiryDetailView(APIView):
    permission_classes = [AllowAny]
    serializer_class = EnquirySerializer

    @extend_schema(
        operation_id="tenderEnquiryRetrieve",
        responses={200: EnquirySerializer, 404: NO_TENDER},
        description="One question, as the list shows it: a published one for anyone, one not "
        "published yet only for the asking organisation and the project team (404 otherwise).",
    )
    def get(self, request, reference, enquiry_id):
        tender = tender_for_enquiries(user=request.user, reference=reference)
        listing = enquiry_get(user=request.user, tender=tender, public_id=enquiry_id)
        if listing.team:
            enquiry_askers_read(
                actor=request.user,
                tender=tender,
                view="api:enquiry",
                enquiry=listing.enquiries[0],
            )
        return Response(EnquirySerializer(listing.enquiries[0], context={"listing": listing}).data)


_TEAM_RESPONSES = {
    200: EnquirySerializer,
    403: READ_ONLY,
    404: OpenApiResponse(
        description="No such tender or question, or the caller is not in the project team."
    ),
    409: OpenApiResponse(
        description="The question is merged, or in a notice that awaits confirmation."
    ),
}


class EnquiryAnswerView(APIView):
    serializer_class = EnquirySerializer

    @extend_schema(
        operation_id="tenderEnquiryAnswer",
        request=EnquiryAnswerSerializer,
        responses=_TEAM_RESPONSES,
        description="Answer a question (project-team editors), with the neutral wording in "
        "which it is published (refused when it names the asker) and, when the answer changes "
        "a tender document, that document: the notice then waits for its new version.",
    )
    def post(self, request, reference, enquiry_id):
        tender = _team_tender(request, reference)
        enquiry = enquiry_for_team(tender=tender, public_id=enquiry_id)
        body = EnquiryAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        document = None
        if data["changesDocument"]:
            document = TenderDocument.objects.filter(
                tender=tender, kind=data["changesDocument"]
            ).first()
            if document is None:
                raise ApiValidationError(
                    {"changesDocument": [_("The tender has no such document yet.")]}
                )
        try:
            enquiry = enquiry_answer(
                actor=request.user,
                enquiry=enquiry,
                public_question=data["publicQuestion"],
                answer=data["answer"],
                changes_document=document,
            )
        except DjangoValidationError as exc:
            raise service_errors(exc) from exc
        return Response(_enquiry_data(request, tender, enquiry))


class EnquiryMergeView(APIView):
    serializer_class = EnquirySerializer

    @extend_schema(
        operation_id="tenderEnquiryMerge",
        request=EnquiryMergeSerializer,
        responses=_TEAM_RESPONSES,
        description="Merge a duplicate into the question that answers it (project-team "
        "editors); it is not published on its own.",
    )
    def post(self, request, reference, enquiry_id):
        tender = _team_tender(request, reference)
        enquiry = enquiry_for_team(tender=tender, public_id=enquiry_id)
        body = EnquiryMergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            into = enquiry_for_team(tender=tender, public_id=body.validated_data["into"])
        except Http404:
            raise ApiValidationError(
                {"into": [_("Choose another, not merged question of the same tender.")]}
            ) from None
        try:
            enquiry = enquiry_merge(actor=request.user, enquiry=enquiry, into=into)
        except DjangoValidationError as exc:
            location = {"merged_into": "into"}
            raise service_errors(exc, location=lambda k: location.get(k, camel_case(k))) from exc
        return Response(_enquiry_data(request, tender, enquiry))


class EnquiryRoundListView(generics.ListAPIView):
    """The notas van inlichtingen: the published rounds by number, each with its date, the
    number of questions, its notice (version, SHA-256, download) and the new versions of the
    documents its answers change. The project team also gets the round being drafted and the
    one awaiting confirmation."""

    serializer_class = EnquiryRoundSerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(
        operation_id="tenderEnquiryRoundList",
        responses={200: EnquiryRoundSerializer(many=True), 404: NO_TENDER},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _tender(self):
        if not hasattr(self, "_cached_tender"):
            self._cached_tender = tender_for_enquiries(
                user=self.request.user, reference=self.kwargs["reference"]
            )
        return self._cached_tender

    def get_queryset(self):
        return enquiry_rounds_for(user=self.request.user, tender=self._tender())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tender": self._tender()}

    @extend_schema(
        operation_id="tenderEnquiryRoundCreate",
        request=None,
        responses={201: EnquiryRoundSerializer, 403: READ_ONLY, 404: TEAM_ONLY, 409: CONFLICT},
        description="Ask to publish the answered questions as the next nota van inlichtingen "
        "(first member of the project team); a second member confirms. Refused later than 6 "
        "days before the deadline for bids (move it with a change notice first), while an "
        "answer changes a document that has no new version yet, or while another notice "
        "awaits confirmation.",
    )
    def post(self, request, reference):
        tender = _team_tender(request, reference)
        round_ = enquiry_round_request(actor=request.user, tender=tender)
        return _round_response(request, tender, round_, status.HTTP_201_CREATED)


def _round_response(request, tender, round_, code=status.HTTP_200_OK) -> Response:
    round_ = enquiry_round_get(user=request.user, tender=tender, public_id=round_.public_id)
    location = reverse(
        "api:tender-enquiry-round-detail",
        kwargs={"reference": tender.reference, "round_id": round_.public_id},
        request=request,
    )
    data = EnquiryRoundSerializer(round_, context={"request": request, "tender": tender}).data
    headers = {"Location": location} if code == status.HTTP_201_CREATED else {}
    return Response(data, status=code, headers=headers)


class EnquiryRoundDetailView(APIView):
    permission_classes = [AllowAny]
    serializer_class = EnquiryRoundSerializer

    @extend_schema(
        operation_id="tenderEnquiryRoundRetrieve",
        responses={200: EnquiryRoundSerializer, 404: NO_TENDER},
        description="One round: a published one for anyone, the others for the project team.",
    )
    def get(self, request, reference, round_id):
        tender = tender_for_enquiries(user=request.user, reference=reference)
        round_ = enquiry_round_get(user=request.user, tender=tender, public_id=round_id)
        return Response(
            EnquiryRoundSerializer(round_, context={"request": request, "tender": tender}).data
        )


class _RoundDecisionView(APIView):
    serializer_class = EnquiryRoundSerializer
    confirm = False

    def post(self, request, reference, round_id):
        tender = _team_tender(request, reference)
        round_ = enquiry_round_get(user=request.user, tender=tender, public_id=round_id)
        decided = enquiry_round_decide(
            actor=request.user,
            round=round_,
            confirm=self.confirm,
            base_url=request.build_absolute_uri("/"),
        )
        return _round_response(request, tender, decided)


_DECISION_RESPONSES = {
    200: EnquiryRoundSerializer,
    403: READ_ONLY,
    404: OpenApiResponse(
        description="No such tender or round, or the caller is not in the project team."
    ),
    409: CONFLICT,
}


class EnquiryRoundConfirmView(_RoundDecisionView):
    confirm = True

    @extend_schema(
        operation_id="tenderEnquiryRoundConfirm",
        request=None,
        responses=_DECISION_RESPONSES,
        description="Confirm the asked round: a second member of the project team, not the "
        "one who asked. The checks run again; the round gets its number, its questions become "
        "public without the asker, its nota van inlichtingen is generated and the subscribers "
        "are mailed.",
    )
    def post(self, request, reference, round_id):
        return super().post(request, reference, round_id)


class EnquiryRoundCancelView(_RoundDecisionView):
    confirm = False

    @extend_schema(
        operation_id="tenderEnquiryRoundCancel",
        request=None,
        responses=_DECISION_RESPONSES,
        description="Cancel the asked round (any editor of the project team): it is a draft again.",
    )
    def post(self, request, reference, round_id):
        return super().post(request, reference, round_id)
