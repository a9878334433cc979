"""The anonymised report: the project team's until one is published, which is public."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from consultations.api.common import PROJECT_TEAM_ONLY, READ_ONLY, request_body
from consultations.api.serializers_parts import (
    ConsultationReportRequestSerializer,
    ConsultationReportSerializer,
)
from consultations.models import Consultation, ConsultationReport
from consultations.selectors import report as selectors_report
from consultations.selectors.consultation import Audience, consultation_get
from consultations.services import report as services_report
from portal.selectors import is_project_team_editor
from portal.tenancy import get_visible_or_404, require


def _report_data(request, consultation: Consultation, report: ConsultationReport) -> dict:
    context = {"request": request, "consultation": consultation}
    return ConsultationReportSerializer(report, context=context).data


def _report_for_project_team(*, user: Any, slug: str, public_id) -> ConsultationReport:
    item = consultation_get(user=user, slug=slug, audience=Audience.PROJECT_TEAM)
    report = selectors_report.report_get_for_project_team(
        user=user, consultation=item, public_id=public_id
    )
    require(is_project_team_editor(user=user))
    return report


class ReportListView(generics.ListAPIView):
    """The versions of the anonymised report, newest first: every version with its status
    for the project team, the published one for everyone else."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = ConsultationReportSerializer

    @extend_schema(operation_id="consultationReportList")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.consultation = consultation_get(
            user=self.request.user, slug=self.kwargs["consultation"]
        )
        return (
            ConsultationReport.objects.visible_to(self.request.user)
            .filter(consultation=self.consultation)
            .order_by("-number")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "consultation": self.consultation}

    @extend_schema(
        operation_id="consultationReportCreate",
        request=ConsultationReportRequestSerializer,
        responses={
            202: ConsultationReportSerializer,
            400: OpenApiResponse(
                description="`changeNote` is missing for a version after the first, or too long."
            ),
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(
                description="The consultation is not closed, open answers are not reviewed "
                "yet, or a text for the report still names a supplier."
            ),
        },
        description="Generate a new version of the report of a closed consultation, once "
        "every open answer is reviewed; every version after the first says what changed "
        "(`changeNote`). The PDF is generated in the background: follow the `Location` until "
        "the status is `done`. Project-team editors.",
    )
    def post(self, request, consultation):
        item = consultation_get(
            user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM
        )
        require(is_project_team_editor(user=request.user))
        data = request_body(ConsultationReportRequestSerializer, request)
        report = services_report.report_request(
            actor=request.user,
            consultation=item,
            change_note=data["changeNote"],
            include_prices=data["includePrices"],
            include_prices_reason=data["includePricesReason"],
        )
        return _report_accepted(request, item, report)


def _report_accepted(request, consultation: Consultation, report: ConsultationReport) -> Response:
    """202 with the version and where to follow it until it is done."""
    location = reverse(
        "api:consultation-report-detail",
        kwargs={"consultation": consultation.slug, "report": report.public_id},
        request=request,
    )
    return Response(
        _report_data(request, consultation, report),
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": location},
    )


class ReportDetailView(APIView):
    permission_classes = [AllowAny]
    serializer_class = ConsultationReportSerializer

    @extend_schema(
        operation_id="consultationReportRetrieve",
        responses={
            200: ConsultationReportSerializer,
            404: OpenApiResponse(
                description="No such report, or one that is not published and the caller is "
                "not in the project team."
            ),
        },
        description="One version of the report, with its download URL once it is ready. "
        "The published version is public; the others are the project team's.",
    )
    def get(self, request, consultation, report):
        item = consultation_get(user=request.user, slug=consultation)
        found = get_visible_or_404(
            ConsultationReport.objects.filter(consultation=item), request.user, public_id=report
        )
        return Response(_report_data(request, item, found))


class ReportRetryView(APIView):
    serializer_class = ConsultationReportSerializer

    @extend_schema(
        operation_id="consultationReportRetry",
        request=None,
        responses={
            202: ConsultationReportSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(description="The version did not fail."),
        },
        description="Generate a failed version again: the same version with the same "
        "pseudonyms and change note. Follow the `Location` until the status is `done`. "
        "Project-team editors.",
    )
    def post(self, request, consultation, report):
        found = _report_for_project_team(user=request.user, slug=consultation, public_id=report)
        found = services_report.report_retry(actor=request.user, report=found)
        return _report_accepted(request, found.consultation, found)


class ReportPublishView(APIView):
    serializer_class = ConsultationReportSerializer

    @extend_schema(
        operation_id="consultationReportPublish",
        request=None,
        responses={
            200: ConsultationReportSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(description="The report is not ready."),
        },
        description="Put a finished report on the public page, in place of the version "
        "published before. Project-team editors.",
    )
    def post(self, request, consultation, report):
        found = _report_for_project_team(user=request.user, slug=consultation, public_id=report)
        found = services_report.report_publish(actor=request.user, report=found)
        return Response(_report_data(request, found.consultation, found))


class ReportUnpublishView(APIView):
    serializer_class = ConsultationReportSerializer

    @extend_schema(
        operation_id="consultationReportUnpublish",
        request=None,
        responses={
            200: ConsultationReportSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(description="The report is not published."),
        },
        description="Take the published report off the public page. Project-team editors.",
    )
    def post(self, request, consultation, report):
        found = _report_for_project_team(user=request.user, slug=consultation, public_id=report)
        found = services_report.report_unpublish(actor=request.user, report=found)
        return Response(_report_data(request, found.consultation, found))
