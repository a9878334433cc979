"""API routes of the joint tender (programmes, aggregation), included by config/api_urls.py in the
``api`` namespace."""

from django.urls import path

from tenders.api import aggregation, enquiries, programmes
from tenders.api.ocds import TenderOcdsView
from tenders.api.tenders import (
    AwardDecisionView,
    PublicationCancelView,
    PublicationConfirmView,
    PublicationRequestView,
    TenderDetailView,
    TenderListView,
)

urlpatterns = [
    path("programmes", programmes.ProgrammeListView.as_view(), name="programme-list"),
    path(
        "programmes/<slug:slug>",
        programmes.ProgrammeDetailView.as_view(),
        name="programme-detail",
    ),
    path(
        "programmes/<slug:slug>/snapshots",
        aggregation.SnapshotListView.as_view(),
        name="programme-snapshot-list",
    ),
    path(
        "programmes/<slug:slug>/snapshots/<uuid:snapshot_id>",
        aggregation.SnapshotDetailView.as_view(),
        name="programme-snapshot-detail",
    ),
    path(
        "programmes/<slug:slug>/snapshots/<uuid:snapshot_id>/included-versions",
        aggregation.SnapshotIncludedVersionListView.as_view(),
        name="programme-snapshot-included-version-list",
    ),
    path(
        "programmes/<slug:slug>/snapshots/<uuid:snapshot_id>/authorities",
        aggregation.SnapshotAuthorityListView.as_view(),
        name="programme-snapshot-authority-list",
    ),
    path(
        "programmes/<slug:slug>/snapshots/<uuid:snapshot_id>/totals",
        aggregation.SnapshotTotalListView.as_view(),
        name="programme-snapshot-total-list",
    ),
    path(
        "programmes/<slug:slug>/aggregation-runs",
        aggregation.AggregationRunRequestView.as_view(),
        name="programme-aggregation-run-list",
    ),
    path(
        "programmes/<slug:slug>/aggregation-runs/<uuid:run_id>",
        aggregation.AggregationRunDetailView.as_view(),
        name="programme-aggregation-run-detail",
    ),
    path("tenders/<str:reference>/ocds", TenderOcdsView.as_view(), name="tender-ocds"),
]

urlpatterns += [
    path("tenders", TenderListView.as_view(), name="tender-list"),
    path("tenders/<str:reference>", TenderDetailView.as_view(), name="tender-detail"),
    path(
        "tenders/<str:reference>/publication",
        PublicationRequestView.as_view(),
        name="tender-publication",
    ),
    path(
        "tenders/<str:reference>/publication/confirm",
        PublicationConfirmView.as_view(),
        name="tender-publication-confirm",
    ),
    path(
        "tenders/<str:reference>/publication/cancel",
        PublicationCancelView.as_view(),
        name="tender-publication-cancel",
    ),
    path(
        "tenders/<str:reference>/award-decision",
        AwardDecisionView.as_view(),
        name="tender-award-decision",
    ),
]

E = "tenders/<str:reference>/enquiries"
R = "tenders/<str:reference>/enquiry-rounds"
urlpatterns += [
    path(E, enquiries.EnquiryListView.as_view(), name="tender-enquiry-list"),
    path(
        E + "/<uuid:enquiry_id>",
        enquiries.EnquiryDetailView.as_view(),
        name="tender-enquiry-detail",
    ),
    path(
        E + "/<uuid:enquiry_id>/answer",
        enquiries.EnquiryAnswerView.as_view(),
        name="tender-enquiry-answer",
    ),
    path(
        E + "/<uuid:enquiry_id>/merge",
        enquiries.EnquiryMergeView.as_view(),
        name="tender-enquiry-merge",
    ),
    path(R, enquiries.EnquiryRoundListView.as_view(), name="tender-enquiry-round-list"),
    path(
        R + "/<uuid:round_id>",
        enquiries.EnquiryRoundDetailView.as_view(),
        name="tender-enquiry-round-detail",
    ),
    path(
        R + "/<uuid:round_id>/confirm",
        enquiries.EnquiryRoundConfirmView.as_view(),
        name="tender-enquiry-round-confirm",
    ),
    path(
        R + "/<uuid:round_id>/cancel",
        enquiries.EnquiryRoundCancelView.as_view(),
        name="tender-enquiry-round-cancel",
    ),
]
