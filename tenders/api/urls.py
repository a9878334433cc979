"""API routes of the joint tender (programmes, aggregation), included by config/api_urls.py in the
``api`` namespace."""

from django.urls import path

from tenders.api import aggregation, programmes
from tenders.api.ocds import TenderOcdsView

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
