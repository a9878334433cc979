"""Points from the 1-on-1 talks for the anonymised report: the project team's. A point is
written in neutral words (refused when it names a supplier taking part) and approved by another
project-team editor; approved points appear in the next version of the report."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api.common import PROJECT_TEAM_ONLY, READ_ONLY, request_body
from consultations.models import TalkFinding
from consultations.selectors import talk_findings as selectors
from consultations.selectors.consultation import Audience, consultation_get
from consultations.services import talk_findings as services
from consultations.services.talk_findings import MAX_FINDING_LENGTH
from portal.selectors import is_project_team_editor
from portal.tenancy import require


class TalkFindingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    text = serializers.CharField(read_only=True)
    writtenAt = serializers.DateTimeField(source="written_at", read_only=True)
    writtenBy = serializers.SerializerMethodField()
    approvedAt = serializers.DateTimeField(source="reviewed_at", read_only=True, allow_null=True)
    approvedBy = serializers.SerializerMethodField()

    class Meta:
        model = TalkFinding
        fields = ["id", "text", "writtenAt", "writtenBy", "approvedAt", "approvedBy"]

    def get_writtenBy(self, item: TalkFinding) -> str | None:  # noqa: N802 - API field
        return item.written_by.get_full_name() if item.written_by else None

    def get_approvedBy(self, item: TalkFinding) -> str | None:  # noqa: N802 - API field
        return item.reviewed_by.get_full_name() if item.reviewed_by else None


class TalkFindingWriteSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_FINDING_LENGTH,
        help_text=_("The point, in neutral words."),
    )


class TalkFindingListView(generics.ListAPIView):
    """The points from the talks, oldest first. The project team's."""

    serializer_class = TalkFindingSerializer

    @extend_schema(
        operation_id="consultationTalkFindingList",
        responses={200: TalkFindingSerializer(many=True), 404: PROJECT_TEAM_ONLY},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        item = consultation_get(
            user=self.request.user, slug=self.kwargs["consultation"], audience=Audience.PROJECT_TEAM
        )
        return selectors.talk_findings_for_project_team(user=self.request.user, consultation=item)

    @extend_schema(
        operation_id="consultationTalkFindingCreate",
        request=TalkFindingWriteSerializer,
        responses={201: TalkFindingSerializer, 403: READ_ONLY, 404: PROJECT_TEAM_ONLY},
        description="Write a point from the talks (project-team editors). Refused when it "
        "names a supplier taking part, its KvK number, an e-mail address or a supplier's "
        "domain.",
    )
    def post(self, request, consultation):
        item = consultation_get(
            user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM
        )
        require(is_project_team_editor(user=request.user))
        data = request_body(TalkFindingWriteSerializer, request)
        finding = services.talk_finding_add(
            actor=request.user, consultation=item, text=data["text"]
        )
        return Response(TalkFindingSerializer(finding).data, status=status.HTTP_201_CREATED)


class TalkFindingApproveView(APIView):
    serializer_class = TalkFindingSerializer

    @extend_schema(
        operation_id="consultationTalkFindingApprove",
        request=None,
        responses={
            200: TalkFindingSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(
                description="Already approved, written by the caller, or it names a supplier."
            ),
        },
        description="Approve a point for the report: by another project-team editor than "
        "its writer.",
    )
    def post(self, request, consultation, finding):
        item = consultation_get(
            user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM
        )
        found = selectors.talk_finding_get(user=request.user, consultation=item, public_id=finding)
        require(is_project_team_editor(user=request.user))
        found = services.talk_finding_approve(actor=request.user, finding=found)
        return Response(TalkFindingSerializer(found).data)
