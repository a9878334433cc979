from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import api
from suppliers import api_responses
from tenders import api as tenders_api
from tenders import api_aggregation, api_consultation
from tenders import api_consultation_parts as consultation_parts

v1 = [
    path("", api.ApiRootView.as_view(), name="root"),
    path("me", api.MeView.as_view(), name="me"),
    path("organisations", api.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>",
        api.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/members",
        api.OrganisationMemberListView.as_view(),
        name="organisation-member-list",
    ),
    path("programmes", tenders_api.ProgrammeListView.as_view(), name="programme-list"),
    path(
        "programmes/<slug:slug>",
        tenders_api.ProgrammeDetailView.as_view(),
        name="programme-detail",
    ),
    path(
        "programmes/<slug:slug>/snapshots",
        api_aggregation.SnapshotListView.as_view(),
        name="programme-snapshot-list",
    ),
    path(
        "programmes/<slug:slug>/snapshots/<uuid:snapshot_id>",
        api_aggregation.SnapshotDetailView.as_view(),
        name="programme-snapshot-detail",
    ),
    path(
        "programmes/<slug:slug>/snapshots/<uuid:snapshot_id>/totals",
        api_aggregation.SnapshotTotalListView.as_view(),
        name="programme-snapshot-total-list",
    ),
    path(
        "programmes/<slug:slug>/aggregation-runs",
        api_aggregation.AggregationRunRequestView.as_view(),
        name="programme-aggregation-run-list",
    ),
    path(
        "programmes/<slug:slug>/aggregation-runs/<uuid:run_id>",
        api_aggregation.AggregationRunDetailView.as_view(),
        name="programme-aggregation-run-detail",
    ),
    path("", include("municipalities.api.urls")),
    # The market consultation: the announcement and questionnaire, a supplier's own response,
    # and the project team's reading of responses.
    path(
        "consultations",
        api_consultation.ConsultationListView.as_view(),
        name="consultation-list",
    ),
    path(
        "consultations/<slug:consultation>",
        api_consultation.ConsultationDetailView.as_view(),
        name="consultation-detail",
    ),
    path(
        "consultations/<slug:consultation>/questionnaire",
        api_consultation.QuestionnaireView.as_view(),
        name="consultation-questionnaire",
    ),
    path(
        "consultations/<slug:consultation>/questionnaire/versions",
        api_consultation.QuestionnaireVersionListView.as_view(),
        name="consultation-questionnaire-version-list",
    ),
    path(
        "consultations/<slug:consultation>/questionnaire/versions/<int:number>",
        api_consultation.QuestionnaireVersionDetailView.as_view(),
        name="consultation-questionnaire-version-detail",
    ),
    path(
        "consultations/<slug:consultation>/my-response",
        api_responses.MyResponseView.as_view(),
        name="consultation-my-response",
    ),
    path(
        "consultations/<slug:consultation>/my-response/submit",
        api_responses.MyResponseSubmitView.as_view(),
        name="consultation-my-response-submit",
    ),
    path(
        "consultations/<slug:consultation>/my-response/files/<slug:file_question>",
        api_responses.MyResponseFileView.as_view(),
        name="consultation-my-response-file",
    ),
    path(
        "consultations/<slug:consultation>/responses",
        api_responses.ResponseListView.as_view(),
        name="consultation-response-list",
    ),
    path(
        "consultations/<slug:consultation>/responses/<uuid:response_id>",
        api_responses.ResponseDetailView.as_view(),
        name="consultation-response-detail",
    ),
    # Clarification questions: the published ones for everyone, a supplier's own, and the
    # project team's list of every question (with the asking supplier) and its answers.
    path(
        "consultations/<slug:consultation>/clarifications",
        consultation_parts.PublishedClarificationListView.as_view(),
        name="consultation-clarification-list",
    ),
    path(
        "consultations/<slug:consultation>/my-clarifications",
        consultation_parts.MyClarificationListView.as_view(),
        name="consultation-my-clarification-list",
    ),
    path(
        "consultations/<slug:consultation>/clarification-requests",
        consultation_parts.ClarificationRequestListView.as_view(),
        name="consultation-clarification-request-list",
    ),
    path(
        "consultations/<slug:consultation>/clarification-requests/<uuid:clarification>",
        consultation_parts.ClarificationRequestDetailView.as_view(),
        name="consultation-clarification-request-detail",
    ),
    path(
        "consultations/<slug:consultation>/clarification-requests/<uuid:clarification>/publish",
        consultation_parts.ClarificationPublishView.as_view(),
        name="consultation-clarification-request-publish",
    ),
    path(
        "consultations/<slug:consultation>/clarification-requests/<uuid:clarification>/reject",
        consultation_parts.ClarificationRejectView.as_view(),
        name="consultation-clarification-request-reject",
    ),
    # The anonymised report (the PDF itself is downloaded at the page's route).
    path(
        "consultations/<slug:consultation>/reports",
        consultation_parts.ReportListView.as_view(),
        name="consultation-report-list",
    ),
    path(
        "consultations/<slug:consultation>/reports/<uuid:report>",
        consultation_parts.ReportDetailView.as_view(),
        name="consultation-report-detail",
    ),
    path(
        "consultations/<slug:consultation>/reports/<uuid:report>/retry",
        consultation_parts.ReportRetryView.as_view(),
        name="consultation-report-retry",
    ),
    path(
        "consultations/<slug:consultation>/reports/<uuid:report>/publish",
        consultation_parts.ReportPublishView.as_view(),
        name="consultation-report-publish",
    ),
    path(
        "consultations/<slug:consultation>/reports/<uuid:report>/unpublish",
        consultation_parts.ReportUnpublishView.as_view(),
        name="consultation-report-unpublish",
    ),
    # The project team's review of the answers.
    path(
        "consultations/<slug:consultation>/review/questions",
        consultation_parts.ReviewQuestionListView.as_view(),
        name="consultation-review-question-list",
    ),
    path(
        "consultations/<slug:consultation>/review/questions/<slug:question_key>",
        consultation_parts.ReviewQuestionDetailView.as_view(),
        name="consultation-review-question-detail",
    ),
    path(
        "consultations/<slug:consultation>/review/answers/<uuid:submitted_response>/"
        "<slug:question_key>",
        consultation_parts.ReviewAnswerView.as_view(),
        name="consultation-review-answer",
    ),
    # 1-on-1 talks.
    path(
        "consultations/<slug:consultation>/talk-slots",
        consultation_parts.TalkSlotListView.as_view(),
        name="consultation-talk-slot-list",
    ),
    path(
        "consultations/<slug:consultation>/talk-slots/<uuid:slot>/book",
        consultation_parts.TalkSlotBookView.as_view(),
        name="consultation-talk-slot-book",
    ),
    path(
        "consultations/<slug:consultation>/talk-slots/<uuid:slot>/cancel",
        consultation_parts.TalkSlotCancelView.as_view(),
        name="consultation-talk-slot-cancel",
    ),
    path("openapi.json", SpectacularAPIView.as_view(), name="openapi-json"),
]

urlpatterns = [
    path("v1", api.ApiRootView.as_view(), name="api-root-no-slash"),
    path("v1/", include((v1, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
