"""Clarification questions: the published ones are public like the consultation (never the asking
supplier); a supplier reads and asks its own questions (``my-clarifications``); the project team
lists every question with the asking supplier and publishes or rejects it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api.common import (
    NOT_A_SUPPLIER,
    PROJECT_TEAM_ONLY,
    READ_ONLY,
    request_body,
    supplier_membership,
)
from consultations.api.serializers_clarifications import (
    ClarificationAskSerializer,
    ClarificationFilterSerializer,
    ClarificationPublishSerializer,
    ClarificationRejectSerializer,
    ClarificationRequestSerializer,
    OwnClarificationSerializer,
    PublishedClarificationSerializer,
)
from consultations.models import ClarificationQuestion
from consultations.selectors import clarifications
from consultations.selectors.consultation import Audience, consultation_get
from consultations.services import clarifications as services_clarifications
from consultations.services import reads
from portal.selectors import is_project_team_editor
from portal.tenancy import require

FINAL = OpenApiResponse(
    description="The question has already been published or rejected; that is final."
)


def _clarification_for_project_team(*, user: Any, slug: str, public_id) -> ClarificationQuestion:
    item = consultation_get(user=user, slug=slug, audience=Audience.PROJECT_TEAM)
    return clarifications.clarification_get_for_project_team(
        user=user, consultation=item, public_id=public_id
    )


class PublishedClarificationListView(generics.ListAPIView):
    """The published questions and answers, by number, for everyone who can see the
    consultation. They never name the supplier that asked."""

    permission_classes = [AllowAny]
    serializer_class = PublishedClarificationSerializer

    @extend_schema(operation_id="consultationClarificationList")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        item = consultation_get(user=self.request.user, slug=self.kwargs["consultation"])
        return clarifications.clarifications_published(user=self.request.user, consultation=item)


class MyClarificationListView(generics.ListAPIView):
    """Your company's questions, newest first, with their status: the published wording and
    answer once published, the reason when the project team does not answer. Only your
    company and the project team see the question as asked."""

    serializer_class = OwnClarificationSerializer

    @extend_schema(
        operation_id="consultationMyClarificationList",
        responses={200: OwnClarificationSerializer(many=True), 404: NOT_A_SUPPLIER},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        membership = supplier_membership(self.request.user)
        item = consultation_get(user=self.request.user, slug=self.kwargs["consultation"])
        return clarifications.clarifications_own(
            user=self.request.user, consultation=item, organisation=membership.organisation
        )

    @extend_schema(
        operation_id="consultationMyClarificationCreate",
        request=ClarificationAskSerializer,
        responses={
            201: OwnClarificationSerializer,
            403: READ_ONLY,
            404: NOT_A_SUPPLIER,
            409: OpenApiResponse(description="The consultation is not open."),
        },
        description="Ask the project team a question while the consultation is open "
        "(administrators and editors of the supplier). The answer is published to every "
        "supplier, without your company's name.",
    )
    def post(self, request, consultation):
        membership = supplier_membership(request.user)
        item = consultation_get(user=request.user, slug=consultation)
        require(membership.can_edit)
        data = request_body(ClarificationAskSerializer, request)
        question = services_clarifications.clarification_ask(
            actor=request.user,
            consultation=item,
            text=data["question"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(
            OwnClarificationSerializer(question, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ClarificationRequestListView(generics.ListAPIView):
    """Every question of the consultation with the supplier that asked it: open ones first
    (oldest first), then the published ones by number, then the rejected ones. The project
    team's."""

    serializer_class = ClarificationRequestSerializer

    @extend_schema(
        operation_id="consultationClarificationRequestList",
        parameters=[
            OpenApiParameter(
                "status",
                str,
                description="Question status",
                enum=list(ClarificationQuestion.Status.values),
            )
        ],
        responses={200: ClarificationRequestSerializer(many=True), 404: PROJECT_TEAM_ONLY},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = ClarificationFilterSerializer(data=self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        item = consultation_get(
            user=self.request.user, slug=self.kwargs["consultation"], audience=Audience.PROJECT_TEAM
        )
        questions = clarifications.clarifications_for_project_team(
            user=self.request.user, consultation=item
        )
        reads.participants_read(
            actor=self.request.user,
            consultation=item,
            subject=reads.ASKERS,
            view="api:clarifications",
        )
        if status_ := filters.validated_data.get("status"):
            questions = questions.filter(status=status_)
        return questions


class ClarificationRequestDetailView(APIView):
    serializer_class = ClarificationRequestSerializer

    @extend_schema(
        operation_id="consultationClarificationRequestRetrieve",
        responses={200: ClarificationRequestSerializer, 404: PROJECT_TEAM_ONLY},
        description="One question with the supplier that asked it. The project team's.",
    )
    def get(self, request, consultation, clarification):
        question = _clarification_for_project_team(
            user=request.user, slug=consultation, public_id=clarification
        )
        reads.participants_read(
            actor=request.user,
            consultation=question.consultation,
            subject=reads.ASKERS,
            view="api:clarification",
            item=question,
        )
        return Response(ClarificationRequestSerializer(question).data)


class ClarificationPublishView(APIView):
    serializer_class = ClarificationRequestSerializer

    @extend_schema(
        operation_id="consultationClarificationRequestPublish",
        request=ClarificationPublishSerializer,
        responses={
            200: ClarificationRequestSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: FINAL,
        },
        description="Answer an open question and publish it to everyone under the next "
        "number, in `publicQuestion`'s neutral wording (required; refused when it or the "
        "answer identifies a supplier taking part). Project-team editors.",
    )
    def post(self, request, consultation, clarification):
        question = _clarification_for_project_team(
            user=request.user, slug=consultation, public_id=clarification
        )
        require(is_project_team_editor(user=request.user))
        data = request_body(ClarificationPublishSerializer, request)
        question = services_clarifications.clarification_publish(
            actor=request.user,
            question=question,
            public_question=data["publicQuestion"],
            answer=data["answer"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(ClarificationRequestSerializer(question).data)


class ClarificationRejectView(APIView):
    serializer_class = ClarificationRequestSerializer

    @extend_schema(
        operation_id="consultationClarificationRequestReject",
        request=ClarificationRejectSerializer,
        responses={
            200: ClarificationRequestSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: FINAL,
        },
        description="Decline to answer an open question for one of the fixed reasons. Where "
        "the reason matters to all, the question is published in neutral words with it; "
        "otherwise only the asking supplier is told. Project-team editors.",
    )
    def post(self, request, consultation, clarification):
        question = _clarification_for_project_team(
            user=request.user, slug=consultation, public_id=clarification
        )
        require(is_project_team_editor(user=request.user))
        data = request_body(ClarificationRejectSerializer, request)
        question = services_clarifications.clarification_reject(
            actor=request.user,
            question=question,
            reason=data["reason"],
            answered_in=data["answeredIn"],
            public_question=data["publicQuestion"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(ClarificationRequestSerializer(question).data)
