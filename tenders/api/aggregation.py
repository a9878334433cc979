"""Aggregation API for the project team: snapshots, their totals, and requesting a run.

Everyone outside the project team gets 404 (the same as a programme that does not exist);
project-team viewers read, and get 403 when they ask for a run."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from tenders.api.serializers_aggregation import (
    AggregationRunSerializer,
    AuthoritySerializer,
    IncludedVersionSerializer,
    SnapshotDetailSerializer,
    SnapshotSerializer,
    SnapshotTotalFilterSerializer,
    SnapshotTotalSerializer,
)
from tenders.models import AggregationSnapshot, Programme, SnapshotLotTotal
from tenders.selectors.aggregation import (
    aggregation_category_totals,
    aggregation_run_get,
    aggregation_snapshot_authorities,
    aggregation_snapshot_get,
    aggregation_snapshots,
)
from tenders.selectors.programme import programme_get_for_project_team
from tenders.services.aggregation import aggregation_request_by_team


def _programme(request, kwargs) -> Programme:
    return programme_get_for_project_team(user=request.user, slug=kwargs["slug"])


def _snapshots(*, programme: Programme) -> QuerySet[AggregationSnapshot]:
    return aggregation_snapshots(programme=programme)


def _snapshot(*, programme: Programme, snapshot_id) -> AggregationSnapshot:
    snapshot = (
        _snapshots(programme=programme)
        .prefetch_related(
            Prefetch(
                "lot_totals",
                queryset=SnapshotLotTotal.objects.select_related("lot").order_by(
                    "lot__number", "year"
                ),
            ),
        )
        .filter(public_id=snapshot_id)
        .first()
    )
    if snapshot is None:
        raise Http404
    return snapshot


def _snapshot_of_url(request, kwargs) -> AggregationSnapshot:
    """The snapshot the URL names, of a programme the project team may see (else 404)."""
    return aggregation_snapshot_get(
        programme=_programme(request, kwargs), public_id=kwargs["snapshot_id"]
    )


class SnapshotListView(generics.ListAPIView):
    serializer_class = SnapshotSerializer

    @extend_schema(operation_id="programmeSnapshotList")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return _snapshots(programme=_programme(self.request, self.kwargs))


class SnapshotDetailView(generics.RetrieveAPIView):
    serializer_class = SnapshotDetailSerializer

    @extend_schema(operation_id="programmeSnapshotRetrieve")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        programme = _programme(self.request, self.kwargs)
        return _snapshot(programme=programme, snapshot_id=self.kwargs["snapshot_id"])


class SnapshotIncludedVersionListView(generics.ListAPIView):
    """Exactly the submitted demand versions the snapshot included, by participant."""

    serializer_class = IncludedVersionSerializer

    @extend_schema(operation_id="programmeSnapshotIncludedVersionList")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        snapshot = _snapshot_of_url(self.request, self.kwargs)
        return (
            snapshot.included_versions.select_related("demand__participation__organisation")
            .defer("snapshot")  # each version's JSON copy of its lines: not in the answer
            .order_by("demand__participation__organisation__slug", "number")
        )


class SnapshotAuthorityListView(generics.ListAPIView):
    """The contracting authorities that may call off under the framework agreement, as the
    snapshot recorded them at freezing (an empty list while the snapshot is not frozen)."""

    serializer_class = AuthoritySerializer

    @extend_schema(operation_id="programmeSnapshotAuthorityList")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return aggregation_snapshot_authorities(
            snapshot=_snapshot_of_url(self.request, self.kwargs)
        )


class SnapshotTotalListView(generics.ListAPIView):
    """Totals per category, year, province and size class, as the database grouped them."""

    serializer_class = SnapshotTotalSerializer

    @extend_schema(
        operation_id="programmeSnapshotTotalList",
        parameters=[
            OpenApiParameter("lot", int, description="Lot number"),
            OpenApiParameter("year", int, description="Contract year"),
            OpenApiParameter("province", str, description="Province"),
            OpenApiParameter(
                "sizeClass",
                str,
                description="Size class of the municipality",
                enum=["g4", "100k+", "50-100k", "20-50k", "<20k", "unknown"],
            ),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        snapshot = _snapshot_of_url(self.request, self.kwargs)
        filters = SnapshotTotalFilterSerializer(data=self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        lookups = {
            "lot__number": filters.validated_data.get("lot"),
            "year": filters.validated_data.get("year"),
            "province": filters.validated_data.get("province"),
            "size_class": filters.validated_data.get("sizeClass"),
        }
        return (
            aggregation_category_totals(snapshot=snapshot)
            .filter(**{key: value for key, value in lookups.items() if value is not None})
            .order_by("lot__number", "category__sort_order", "year", "province", "size_class", "id")
        )


class AggregationRunRequestView(APIView):
    serializer_class = AggregationRunSerializer

    @extend_schema(
        operation_id="programmeAggregationRunCreate",
        request=None,
        responses={202: AggregationRunSerializer, 403: OpenApiResponse(description="Read-only")},
        description="Ask for a new aggregation of the programme's submitted demand. Requests "
        "are coalesced: while a run is queued it is returned; while one is running, it gets "
        "one follow-up run. The worker computes the snapshot in the background.",
    )
    def post(self, request, slug):
        programme = _programme(request, {"slug": slug})
        run = aggregation_request_by_team(actor=request.user, programme=programme)
        location = reverse(
            "api:programme-aggregation-run-detail",
            kwargs={"slug": programme.slug, "run_id": run.public_id},
            request=request,
        )
        return Response(
            AggregationRunSerializer(run).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )


class AggregationRunDetailView(generics.RetrieveAPIView):
    """The status of one run (queued, running, done, failed), to poll after a request."""

    serializer_class = AggregationRunSerializer

    @extend_schema(operation_id="programmeAggregationRunRetrieve")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        programme = _programme(self.request, self.kwargs)
        return aggregation_run_get(programme=programme, public_id=self.kwargs["run_id"])
