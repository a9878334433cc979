"""The tender API: the list and detail of tenders, scoped as the pages are, and the project
team's actions on a tender (publication with four eyes, the award decision) through the
existing services.

A published (or later) tender is anyone's to read; a draft only the project team's (404 for
everyone else). The actions are the project team's: 404 for everyone outside it, 403 for its
viewers. A service that refuses answers 409 (or 400 for bad input) with its Dutch message as
``application/problem+json``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from portal.api_errors import service_errors
from portal.models import Organisation
from portal.tenancy import require
from tenders.api.serializers_tender import (
    AwardDecisionSerializer,
    PublicationSerializer,
    TenderDetailSerializer,
    TenderSummarySerializer,
)
from tenders.models import Tender
from tenders.selectors.documents import published_documents
from tenders.selectors.periods import tender_period_problems
from tenders.selectors.programme import can_change_programme
from tenders.selectors.tender_api import (
    is_project_team,
    publication_pending_get,
    suppliers_by_public_id,
    tender_api_get,
    tender_api_list,
    tender_for_team_action,
)
from tenders.services.award import tender_award_decision
from tenders.services.publication import publication_decide, publication_request

READ_ONLY = OpenApiResponse(description="A viewer of the project team: may read, not change.")
TEAM_ONLY = OpenApiResponse(description="No such tender, or the caller is not in the project team.")
CONFLICT = OpenApiResponse(description="Refused: the tender's state does not allow it.")


def tender_detail_data(request, tender: Tender) -> dict:
    context = {
        "request": request,
        "documents": published_documents(tender=tender),
        "period_problems": tender_period_problems(tender)
        if is_project_team(request.user)
        else None,
    }
    return TenderDetailSerializer(tender, context=context).data


class TenderListView(generics.ListAPIView):
    """Every published tender (also closed, awarded or cancelled), newest first; drafts are
    not listed."""

    permission_classes = [AllowAny]
    serializer_class = TenderSummarySerializer

    @extend_schema(operation_id="tenderList")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return tender_api_list()


class TenderDetailView(APIView):
    permission_classes = [AllowAny]
    serializer_class = TenderDetailSerializer

    @extend_schema(
        operation_id="tenderRetrieve",
        responses={
            200: TenderDetailSerializer,
            404: OpenApiResponse(
                description="No such tender, or a draft and the caller is not in the project team."
            ),
        },
        description="A published tender for anyone, a draft for the project team: its lots "
        "with their figures and CPV codes, the timeline, award criteria, requirements, the "
        "published documents with their SHA-256 and the status steps. The project team also "
        "gets the legal periods the timeline breaks.",
    )
    def get(self, request, reference):
        tender = tender_api_get(user=request.user, reference=reference)
        return Response(tender_detail_data(request, tender))


def _team_tender(request, reference: str) -> Tender:
    """404 outside the project team, then 403 for its viewers."""
    tender = tender_for_team_action(user=request.user, reference=reference)
    require(lambda: can_change_programme(user=request.user))
    return tender


class PublicationRequestView(APIView):
    serializer_class = PublicationSerializer

    @extend_schema(
        operation_id="tenderPublicationCreate",
        request=None,
        responses={201: PublicationSerializer, 403: READ_ONLY, 404: TEAM_ONLY, 409: CONFLICT},
        description="Ask to publish the draft tender (first member of the project team). "
        "Refused while anything blocks publication (the frozen figures, award criteria, the "
        "legal periods, the document set) or while a publication awaits confirmation.",
    )
    def post(self, request, reference):
        tender = _team_tender(request, reference)
        asked = publication_request(actor=request.user, tender=tender)
        location = reverse(
            "api:tender-detail", kwargs={"reference": tender.reference}, request=request
        )
        return Response(
            PublicationSerializer(asked).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class _PublicationDecisionView(APIView):
    serializer_class = PublicationSerializer
    confirm = False

    def post(self, request, reference):
        tender = _team_tender(request, reference)
        pending = publication_pending_get(tender=tender)
        decided = publication_decide(actor=request.user, request=pending, confirm=self.confirm)
        return Response(PublicationSerializer(decided).data)


_DECISION_RESPONSES = {
    200: PublicationSerializer,
    403: READ_ONLY,
    404: OpenApiResponse(
        description="No such tender, no publication awaits confirmation, or the caller is "
        "not in the project team."
    ),
    409: CONFLICT,
}


class PublicationConfirmView(_PublicationDecisionView):
    confirm = True

    @extend_schema(
        operation_id="tenderPublicationConfirm",
        request=None,
        responses=_DECISION_RESPONSES,
        description="Confirm the asked publication: a second member of the project team, not "
        "the one who asked. The checks run again; the tender is then published.",
    )
    def post(self, request, reference):
        return super().post(request, reference)


class PublicationCancelView(_PublicationDecisionView):
    confirm = False

    @extend_schema(
        operation_id="tenderPublicationCancel",
        request=None,
        responses=_DECISION_RESPONSES,
        description="Cancel the asked publication (any editor of the project team).",
    )
    def post(self, request, reference):
        return super().post(request, reference)


class AwardDecisionView(APIView):
    serializer_class = TenderDetailSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="tenderAwardDecisionCreate",
        request=AwardDecisionSerializer,
        responses={200: TenderDetailSerializer, 403: READ_ONLY, 404: TEAM_ONLY, 409: CONFLICT},
        description="The award decision once the bids are closed: per lot the suppliers (by "
        "their public id) in rank order, every lot at least one. The standstill of 20 "
        "calendar days starts (Aanbestedingswet 2012 art. 2.127).",
    )
    def post(self, request, reference):
        tender = _team_tender(request, reference)
        body = AwardDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        wanted = {str(s) for row in data["awards"] for s in row["suppliers"]}
        found = suppliers_by_public_id(wanted)
        unknown = sorted(wanted - set(found))
        awards: dict[int, list[Organisation]] = {}
        for row in data["awards"]:
            chosen = [found[str(s)] for s in row["suppliers"] if str(s) in found]
            awards.setdefault(row["lot"], []).extend(chosen)
        try:
            if unknown and tender.status == Tender.Status.CLOSED:
                raise DjangoValidationError(
                    {"awards": [_("No supplier has the id %(ids)s.") % {"ids": ", ".join(unknown)}]}
                )
            tender_award_decision(
                actor=request.user, tender=tender, awards=awards, note=data["note"]
            )
        except DjangoValidationError as exc:
            # The tender's state refuses (409); a decision that does not fit it is bad input.
            if tender.status == Tender.Status.CLOSED and not hasattr(exc, "error_dict"):
                exc = DjangoValidationError({"awards": exc.messages})
            raise service_errors(exc) from exc
        return Response(
            tender_detail_data(request, tender_api_get(user=request.user, reference=reference))
        )
