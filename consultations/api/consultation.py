"""Consultation API: the announcement, its documents and the questionnaire, with the same
scoping as the pages. A published consultation is public (a draft is the project team's), and
so is its published questionnaire, as on the public page (``questionnaire_public``); draft
versions are the project team's. Everyone else gets 404."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api.serializers import (
    ConsultationDetailSerializer,
    ConsultationFilterSerializer,
    ConsultationSerializer,
    QuestionnaireVersionDetailSerializer,
    QuestionnaireVersionSerializer,
)
from consultations.models import Consultation
from consultations.selectors.consultation import (
    consultation_get,
    questionnaire_public,
    questionnaire_versions_visible,
    questionnaire_with_contents,
)

# --- Views ------------------------------------------------------------------------------------

NO_QUESTIONNAIRE = OpenApiResponse(
    description="No such consultation, not visible to the caller, or no published questionnaire."
)


class ConsultationListView(generics.ListAPIView):
    """Published and closed consultations, for everybody; the project team also sees drafts."""

    permission_classes = [AllowAny]
    serializer_class = ConsultationSerializer

    @extend_schema(
        operation_id="consultationList",
        parameters=[
            OpenApiParameter("programme", str, description="Programme slug"),
            OpenApiParameter(
                "status", str, description="Status", enum=list(Consultation.Status.values)
            ),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = ConsultationFilterSerializer(data=self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        queryset = (
            Consultation.objects.visible_to(self.request.user)
            .select_related("programme")
            .order_by("-opens_at", "title", "id")
        )
        if programme := filters.validated_data.get("programme"):
            queryset = queryset.filter(programme__slug=programme)
        if status_ := filters.validated_data.get("status"):
            queryset = queryset.filter(status=status_)
        return queryset


class ConsultationDetailView(generics.RetrieveAPIView):
    """A consultation with its period, status and documents (title, download URL, SHA-256)."""

    permission_classes = [AllowAny]
    serializer_class = ConsultationDetailSerializer

    @extend_schema(operation_id="consultationRetrieve")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return consultation_get(
            user=self.request.user, slug=self.kwargs["consultation"], with_documents=True
        )


class QuestionnaireView(APIView):
    permission_classes = [AllowAny]
    serializer_class = QuestionnaireVersionDetailSerializer

    @extend_schema(
        operation_id="consultationQuestionnaireRetrieve",
        responses={200: QuestionnaireVersionDetailSerializer, 404: NO_QUESTIONNAIRE},
        description="The newest published version of the questionnaire, with its sections "
        "and questions. Answers refer to a question by its `key`, which stays the same in "
        "every version.",
    )
    def get(self, request, consultation):
        item = consultation_get(user=request.user, slug=consultation)
        version = questionnaire_public(consultation=item)
        if version is None:
            raise NotFound(_("This market consultation has no published questionnaire yet."))
        return Response(QuestionnaireVersionDetailSerializer(version).data)


class QuestionnaireVersionListView(generics.ListAPIView):
    """The questionnaire's versions, newest first; drafts for the project team only."""

    permission_classes = [AllowAny]
    serializer_class = QuestionnaireVersionSerializer

    @extend_schema(operation_id="consultationQuestionnaireVersionList")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        item = consultation_get(user=self.request.user, slug=self.kwargs["consultation"])
        return questionnaire_versions_visible(user=self.request.user, consultation=item)


class QuestionnaireVersionDetailView(generics.RetrieveAPIView):
    """One version with its sections and questions; a draft for the project team only."""

    permission_classes = [AllowAny]
    serializer_class = QuestionnaireVersionDetailSerializer

    @extend_schema(operation_id="consultationQuestionnaireVersionRetrieve")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        item = consultation_get(user=self.request.user, slug=self.kwargs["consultation"])
        versions = questionnaire_versions_visible(user=self.request.user, consultation=item)
        version = questionnaire_with_contents(versions).filter(number=self.kwargs["number"]).first()
        if version is None:
            raise Http404
        return version
