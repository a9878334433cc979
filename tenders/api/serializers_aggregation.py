"""Serializers of the aggregation API: snapshots, their totals and aggregation runs.

Money is rendered as a string with two decimals (no binary floating point on the wire)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenders.models import AggregationRun, AggregationSnapshot, SnapshotLotTotal, SnapshotTotal
from tenders.services.aggregation import SIZE_CLASSES


def money_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=16, decimal_places=2, coerce_to_string=True, read_only=True, **kwargs
    )


@extend_schema_field(
    {"type": "string", "enum": list(AggregationRun.Status.values)},
    component_name="AggregationRunStatusEnum",
)
class RunStatusField(serializers.CharField):
    """The status of a run; one named enum in the schema (participations have a status too)."""


class AggregationRunSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    status = RunStatusField(read_only=True)
    followUpRequested = serializers.BooleanField(source="follow_up_requested", read_only=True)
    requestedAt = serializers.DateTimeField(source="requested_at", read_only=True)
    startedAt = serializers.DateTimeField(source="started_at", read_only=True, allow_null=True)
    finishedAt = serializers.DateTimeField(source="finished_at", read_only=True, allow_null=True)

    class Meta:
        model = AggregationRun
        fields = [
            "id",
            "status",
            "reason",
            "followUpRequested",
            "requestedAt",
            "startedAt",
            "finishedAt",
            "error",
        ]


class SnapshotSerializer(serializers.ModelSerializer):
    """A snapshot as the list shows it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)
    isFrozen = serializers.BooleanField(source="is_frozen", read_only=True)
    runStatus = RunStatusField(
        source="run.status",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Status of the run that made the snapshot."),
    )
    includedVersions = serializers.IntegerField(
        source="version_count",
        read_only=True,
        help_text=_("Number of submitted demand versions the snapshot includes."),
    )

    class Meta:
        model = AggregationSnapshot
        fields = ["id", "createdAt", "isFrozen", "runStatus", "includedVersions"]


class SnapshotLotTotalSerializer(serializers.ModelSerializer):
    lot = serializers.IntegerField(source="lot.number", read_only=True, help_text=_("Lot number"))
    lotName = serializers.CharField(source="lot.name", read_only=True)
    year = serializers.IntegerField(
        read_only=True, help_text=_("Contract year; 0 is the whole contract term.")
    )
    maximumQuantity = serializers.IntegerField(source="maximum_quantity", read_only=True)
    estimatedValue = money_field(source="estimated_value")
    maximumValue = money_field(source="maximum_value")
    aboveThreshold = serializers.BooleanField(source="above_threshold", read_only=True)

    class Meta:
        model = SnapshotLotTotal
        fields = [
            "lot",
            "lotName",
            "year",
            "quantity",
            "maximumQuantity",
            "estimatedValue",
            "maximumValue",
            "aboveThreshold",
            "participants",
        ]


class IncludedVersionSerializer(serializers.Serializer):
    participant = serializers.CharField(
        source="demand.participation.organisation.slug",
        read_only=True,
        help_text=_("Slug of the participating organisation"),
    )
    number = serializers.IntegerField(read_only=True)
    sha256 = serializers.CharField(read_only=True)


class AuthoritySerializer(serializers.Serializer):
    """A contracting authority that may call off under the framework agreement, as the
    snapshot recorded it at freezing."""

    cbsCode = serializers.CharField(read_only=True, allow_null=True)
    identifier = serializers.CharField(read_only=True, allow_null=True)
    scheme = serializers.CharField(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    participant = serializers.CharField(read_only=True)
    lots = serializers.ListField(child=serializers.IntegerField(), read_only=True)


class SnapshotDetailSerializer(SnapshotSerializer):
    """A snapshot with its totals per lot and year. The versions it included and (frozen)
    the authorities are lists of their own, paged: ``…/included-versions`` and
    ``…/authorities``; here are their numbers."""

    frozenAt = serializers.DateTimeField(source="frozen_at", read_only=True, allow_null=True)
    thresholdAmount = money_field(source="threshold_amount", allow_null=True)
    lotTotals = SnapshotLotTotalSerializer(source="lot_totals", many=True, read_only=True)
    authorityCount = serializers.SerializerMethodField(
        help_text=_("Number of participating authorities; only for a frozen snapshot.")
    )

    class Meta(SnapshotSerializer.Meta):
        fields = [
            "id",
            "createdAt",
            "isFrozen",
            "frozenAt",
            "runStatus",
            "thresholdAmount",
            "lotTotals",
            "includedVersions",
            "authorityCount",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_authorityCount(self, snapshot: AggregationSnapshot) -> int | None:
        return snapshot.authority_count if snapshot.is_frozen else None


class SnapshotTotalSerializer(serializers.ModelSerializer):
    lot = serializers.IntegerField(
        source="lot.number", read_only=True, allow_null=True, default=None
    )
    category = serializers.CharField(
        source="category.slug", read_only=True, help_text=_("Category slug")
    )
    sizeClass = serializers.ChoiceField(source="size_class", choices=SIZE_CLASSES, read_only=True)
    unitPrice = money_field(source="unit_price", allow_null=True)

    class Meta:
        model = SnapshotTotal
        fields = [
            "lot",
            "category",
            "year",
            "province",
            "sizeClass",
            "quantity",
            "participants",
            "unitPrice",
        ]


class SnapshotTotalFilterSerializer(serializers.Serializer):
    """The query parameters of the totals list."""

    lot = serializers.IntegerField(required=False, min_value=1, help_text=_("Lot number"))
    year = serializers.IntegerField(required=False, min_value=1, help_text=_("Contract year"))
    province = serializers.CharField(required=False, max_length=20)
    sizeClass = serializers.ChoiceField(required=False, choices=SIZE_CLASSES)
