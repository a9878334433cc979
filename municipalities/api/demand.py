"""Demand API: the same scoping as the pages (404 for what the caller may not see; 403 for
what they may see but not change) and the same validation as the form."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max, Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from municipalities import selectors
from municipalities.api.serializers_demand import (
    DemandDetailSerializer,
    DemandSerializer,
    DemandSubmitSerializer,
    DemandVersionSerializer,
    DemandWriteSerializer,
    parse_demand_body,
    parse_revision,
)
from municipalities.models import (
    Demand,
    DemandCategoryOption,
    DemandLine,
    DemandProfile,
    DemandVersion,
    DemandVersionLine,
)
from municipalities.services.demand import DemandConflict, demand_save_draft, demand_submit
from portal.api_errors import Conflict
from portal.idempotency import AlreadyDone
from portal.pagination import KeyPagedMixin
from portal.tenancy import require

CONFLICT = OpenApiResponse(
    description="The working copy changed after the given revision, or the inventory is "
    "closed (deadline passed, registration not approved)."
)


def _lines():
    return DemandLine.objects.select_related("municipality", "category").order_by(
        "municipality__cbs_code", "category__sort_order", "category__slug", "year"
    )


def _demand_with_contents(*, user, public_id) -> Demand:
    demand = selectors.demand_get_for_user(user=user, public_id=public_id)
    # Reload with what the detail shows, in a fixed number of queries.
    return (
        selectors.demand_queryset()
        .prefetch_related(
            Prefetch("lines", queryset=_lines()),
            Prefetch(
                "options",
                queryset=DemandCategoryOption.objects.select_related(
                    "municipality", "category"
                ).order_by("municipality__cbs_code", "category__sort_order"),
            ),
            Prefetch(
                "profiles",
                queryset=DemandProfile.objects.select_related("municipality").order_by(
                    "municipality__cbs_code"
                ),
            ),
            # The summaries of the versions: not each version's JSON copy of its lines.
            Prefetch(
                "versions", queryset=DemandVersion.objects.defer("snapshot").order_by("-number")
            ),
        )
        .get(pk=demand.pk)
    )


def _require_writable(*, user, demand: Demand) -> None:
    """403 unless an editor or admin of the participant; 409 when the inventory is closed."""
    check = selectors.demand_edit_check(user=user, demand=demand)
    require(check.is_editor)
    if check.closed_reason:
        raise Conflict(check.closed_reason)


class DemandListView(KeyPagedMixin, generics.ListAPIView):
    serializer_class = DemandSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("programme", str, description="Programme slug"),
            OpenApiParameter("status", str, description="Demand status"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def page_rows(self, queryset):
        return queryset.annotate(latest_version=Max("versions__number"))

    def get_queryset(self):
        queryset = (
            selectors.demand_queryset()
            .visible_to(self.request.user)
            .order_by("participation__programme__slug", "participation__organisation__name", "pk")
        )
        if programme := self.request.query_params.get("programme"):
            queryset = queryset.filter(participation__programme__slug=programme)
        if status_ := self.request.query_params.get("status"):
            queryset = queryset.filter(status=status_)
        return queryset


class DemandDetailView(APIView):
    serializer_class = DemandDetailSerializer

    @extend_schema(responses=DemandDetailSerializer)
    def get(self, request, public_id):
        demand = _demand_with_contents(user=request.user, public_id=public_id)
        return Response(DemandDetailSerializer(demand).data)

    @extend_schema(
        request=DemandWriteSerializer,
        responses={200: DemandDetailSerializer, 409: CONFLICT},
        description="Replace the working copy. Send the `revision` you read; if someone saved "
        "the inventory since, nothing is stored and the answer is 409.",
    )
    def put(self, request, public_id):
        demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
        _require_writable(user=request.user, demand=demand)
        revision, data, errors = parse_demand_body(demand=demand, body=request.data)
        if errors:
            raise ValidationError(dict(errors))
        try:
            demand_save_draft(
                actor=request.user, demand=demand, revision=revision, data=data, source="api"
            )
        except DemandConflict as exc:
            raise Conflict(" ".join(exc.messages)) from exc
        except DjangoValidationError as exc:
            raise ValidationError({"": exc.messages}) from exc
        demand = _demand_with_contents(user=request.user, public_id=public_id)
        return Response(DemandDetailSerializer(demand).data)


class DemandSubmitView(APIView):
    serializer_class = DemandVersionSerializer

    @extend_schema(
        request=DemandSubmitSerializer,
        responses={201: DemandVersionSerializer, 409: CONFLICT},
        description="Freeze the working copy at `revision` as a new immutable version.",
    )
    def post(self, request, public_id):
        demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
        _require_writable(user=request.user, demand=demand)
        errors: dict[str, list[str]] = defaultdict(list)
        revision = parse_revision(request.data, errors)
        if errors:
            raise ValidationError(dict(errors))
        created = True
        try:
            version = demand_submit(
                actor=request.user, demand=demand, revision=revision, source="api"
            )
        except AlreadyDone as done:
            # A retried request: the version its first attempt made, not a conflict.
            created = False
            version = demand.versions.get(pk=done.object_id)
        except DemandConflict as exc:
            raise Conflict(" ".join(exc.messages)) from exc
        except DjangoValidationError as exc:
            raise ValidationError({"": exc.messages}) from exc
        version = _version(demand=demand, number=version.number)
        location = reverse(
            "api:demand-version-detail",
            kwargs={"public_id": demand.public_id, "number": version.number},
            request=request,
        )
        return Response(
            DemandVersionSerializer(version).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": location},
        )


def _version(*, demand: Demand, number: int) -> DemandVersion:
    version = (
        selectors.demand_versions(demand=demand)
        .filter(number=number)
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=DemandVersionLine.objects.select_related(
                    "municipality", "category"
                ).order_by(
                    "municipality__cbs_code", "category__sort_order", "category__slug", "year"
                ),
            )
        )
        .first()
    )
    if version is None:
        raise Http404
    return version


class DemandVersionDetailView(generics.RetrieveAPIView):
    serializer_class = DemandVersionSerializer

    def get_object(self):
        demand = selectors.demand_get_for_user(
            user=self.request.user, public_id=self.kwargs["public_id"]
        )
        return _version(demand=demand, number=self.kwargs["number"])
