"""Serializers of the tender API: the tender with its lots, timeline, award criteria,
requirements, documents and status steps; the publication with four eyes and the award
decision. Money is a string with two decimals (no binary floating point on the wire)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from tenders.api.serializers_aggregation import money_field
from tenders.models import (
    AwardCriterion,
    DocumentVersion,
    Procedure,
    PublicationRequest,
    Requirement,
    Tender,
    TenderDocument,
    TenderLot,
)
from tenders.selectors.periods import PeriodProblem


def _enum(choices, name: str) -> type[serializers.ChoiceField]:
    """A read-only choice field that is one named enum in the schema (several models have a
    "status" or a "kind" with other values)."""

    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=name)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, read_only=True, **kwargs)

    Field.__name__ = name.removesuffix("Enum") + "Field"
    return Field


TenderStatusField = _enum(Tender.Status, "TenderStatusEnum")
ProcedureField = _enum(Procedure, "TenderProcedureEnum")
CriterionKindField = _enum(AwardCriterion.Kind, "AwardCriterionKindEnum")
RequirementKindField = _enum(Requirement.Kind, "RequirementKindEnum")
DocumentKindField = _enum(TenderDocument.Kind, "TenderDocumentKindEnum")
PublicationStatusField = _enum(PublicationRequest.Status, "PublicationStatusEnum")


def _tender_url(request, reference: str) -> str:
    return reverse("api:tender-detail", kwargs={"reference": reference}, request=request)


class TenderSummarySerializer(serializers.ModelSerializer):
    """A tender as the list shows it; the detail has its parts."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    status = TenderStatusField()
    procedure = ProcedureField()
    publishedAt = serializers.DateTimeField(source="published_at", read_only=True, allow_null=True)
    bidDeadlineAt = serializers.DateTimeField(
        source="bid_deadline_at", read_only=True, allow_null=True
    )
    url = serializers.SerializerMethodField(help_text=_("The tender's detail in this API."))

    class Meta:
        model = Tender
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "procedure",
            "publishedAt",
            "bidDeadlineAt",
            "url",
        ]

    def get_url(self, tender: Tender) -> str:
        return _tender_url(self.context.get("request"), tender.reference)


class CpvCodeSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text=_("CPV 2008 code, like 30213100-6."))
    label = serializers.CharField(source="label_nl", read_only=True)


class AwardedSupplierSerializer(serializers.Serializer):
    supplier = serializers.UUIDField(source="supplier.public_id", read_only=True)
    name = serializers.CharField(source="supplier.name", read_only=True)
    rank = serializers.IntegerField(read_only=True)


class TenderLotSerializer(serializers.ModelSerializer):
    maximumQuantity = serializers.IntegerField(source="maximum_quantity", read_only=True)
    estimatedValue = money_field(source="estimated_value")
    maximumValue = money_field(source="maximum_value")
    optionValue = money_field(
        source="option_value", help_text=_("Maximum value of the extension options.")
    )
    cpvCodes = CpvCodeSerializer(source="lot.cpv_codes", many=True, read_only=True)
    awardedSuppliers = AwardedSupplierSerializer(
        source="awards",
        many=True,
        read_only=True,
        help_text=_("The suppliers of the award decision, in rank order (empty before it)."),
    )

    class Meta:
        model = TenderLot
        fields = [
            "number",
            "title",
            "description",
            "quantity",
            "maximumQuantity",
            "estimatedValue",
            "maximumValue",
            "optionValue",
            "cpvCodes",
            "awardedSuppliers",
        ]


class TimelineSerializer(serializers.Serializer):
    priorInformationNoticeAt = serializers.DateField(
        source="prior_information_notice_at", read_only=True, allow_null=True
    )
    publicationAt = serializers.DateTimeField(
        source="publication_at", read_only=True, allow_null=True
    )
    questionDeadlineAt = serializers.DateTimeField(
        source="question_deadline_at", read_only=True, allow_null=True
    )
    answersAt = serializers.DateTimeField(source="answers_at", read_only=True, allow_null=True)
    bidDeadlineAt = serializers.DateTimeField(
        source="bid_deadline_at", read_only=True, allow_null=True
    )
    openingAt = serializers.DateTimeField(source="opening_at", read_only=True, allow_null=True)
    awardDecisionAt = serializers.DateTimeField(
        source="award_decision_at", read_only=True, allow_null=True
    )
    standstillEndAt = serializers.DateTimeField(
        source="standstill_end_at", read_only=True, allow_null=True
    )
    contractStart = serializers.DateField(source="contract_start", read_only=True, allow_null=True)


class AwardCriterionSerializer(serializers.ModelSerializer):
    kind = CriterionKindField()

    class Meta:
        model = AwardCriterion
        fields = ["kind", "name", "description", "weight"]


class RequirementSerializer(serializers.ModelSerializer):
    kind = RequirementKindField()
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, read_only=True, allow_null=True
    )
    lots = serializers.SerializerMethodField(
        help_text=_("Numbers of the lots it applies to; empty for every lot.")
    )

    class Meta:
        model = Requirement
        fields = ["kind", "level", "amount", "mandatory", "text", "lots"]

    def get_lots(self, requirement: Requirement) -> list[int]:
        return [lot.number for lot in requirement.lots.all()]


class PeriodProblemSerializer(serializers.Serializer):
    field = serializers.CharField(read_only=True)
    rule = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)
    article = serializers.CharField(read_only=True)
    blocking = serializers.BooleanField(
        read_only=True, help_text=_("Whether it refuses publication (otherwise a warning).")
    )

    def to_representation(self, instance: PeriodProblem) -> dict:
        data = super().to_representation(instance)
        data["field"] = _camel(instance.field)
        return data


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


class TenderDocumentSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = DocumentKindField(source="document.kind")
    title = serializers.CharField(source="document.get_kind_display", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    sha256 = serializers.CharField(
        read_only=True, help_text=_("SHA-256 checksum of the file, in hexadecimal.")
    )
    generatedAt = serializers.DateTimeField(source="generated_at", read_only=True, allow_null=True)
    downloadUrl = serializers.SerializerMethodField(help_text=_("Where to download the file."))

    def get_downloadUrl(self, version: DocumentVersion) -> str:  # noqa: N802 - API field
        return reverse(
            "tenders:public-document-download",
            kwargs={"reference": self.context["tender"].reference, "version": version.public_id},
            request=self.context.get("request"),
        )


class TenderEventSerializer(serializers.Serializer):
    status = TenderStatusField()
    at = serializers.DateTimeField(read_only=True)
    note = serializers.CharField(read_only=True)


class TenderDetailSerializer(TenderSummarySerializer):
    """The tender with its parts. ``periodProblems`` is the project team's only (absent for
    everyone else)."""

    summary = serializers.CharField(read_only=True)
    electronicSubmission = serializers.BooleanField(source="electronic_submission", read_only=True)
    lots = TenderLotSerializer(many=True, read_only=True)
    timeline = TimelineSerializer(source="*", read_only=True)
    awardCriteria = AwardCriterionSerializer(source="criteria", many=True, read_only=True)
    requirements = RequirementSerializer(many=True, read_only=True)
    periodProblems = serializers.SerializerMethodField(
        help_text=_(
            "The project team's only: the legal periods the timeline breaks (empty when it "
            "holds); absent for everyone else."
        )
    )
    documents = serializers.SerializerMethodField(
        help_text=_("The published versions of the documents, newest first per document.")
    )
    events = TenderEventSerializer(
        many=True, read_only=True, help_text=_("The status steps after publication, in order.")
    )

    class Meta(TenderSummarySerializer.Meta):
        fields = [
            *TenderSummarySerializer.Meta.fields,
            "summary",
            "electronicSubmission",
            "lots",
            "timeline",
            "awardCriteria",
            "requirements",
            "periodProblems",
            "documents",
            "events",
        ]

    def to_representation(self, instance: Tender) -> dict:
        data = super().to_representation(instance)
        if self.context.get("period_problems") is None:
            data.pop("periodProblems")
        return data

    @extend_schema_field(PeriodProblemSerializer(many=True))
    def get_periodProblems(self, tender: Tender) -> list[dict]:  # noqa: N802 - API field
        return PeriodProblemSerializer(self.context.get("period_problems") or [], many=True).data

    @extend_schema_field(TenderDocumentSerializer(many=True))
    def get_documents(self, tender: Tender) -> list[dict]:
        context = {**self.context, "tender": tender}
        return TenderDocumentSerializer(
            self.context.get("documents", []), many=True, context=context
        ).data


# Fields a serializer leaves out for some callers, per schema component: drf-spectacular lists
# every read-only field as required, so the schema would promise what the response omits.
OPTIONAL_FIELDS = {
    "TenderDetail": ("periodProblems",),  # the project team's only (TenderDetailSerializer)
    # The project team's only (EnquirySerializer.TEAM_ONLY).
    "Enquiry": ("organisation", "askedQuestion", "publicQuestion", "mergedInto"),
}


def schema_optional_fields(result, generator, request, public):
    """Take the fields of ``OPTIONAL_FIELDS`` out of their component's ``required`` list (a
    drf-spectacular postprocessing hook)."""
    schemas = result.get("components", {}).get("schemas", {})
    for component, names in OPTIONAL_FIELDS.items():
        schema = schemas.get(component)
        if schema and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in names]
    return result


class PublicationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    status = PublicationStatusField()
    requestedBy = serializers.CharField(
        source="requested_by", read_only=True, allow_null=True, default=None
    )
    requestedAt = serializers.DateTimeField(source="requested_at", read_only=True)
    decidedBy = serializers.CharField(
        source="decided_by", read_only=True, allow_null=True, default=None
    )
    decidedAt = serializers.DateTimeField(source="decided_at", read_only=True, allow_null=True)

    class Meta:
        model = PublicationRequest
        fields = ["id", "status", "requestedBy", "requestedAt", "decidedBy", "decidedAt"]


class LotAwardSerializer(serializers.Serializer):
    lot = serializers.IntegerField(min_value=1, max_value=999, help_text=_("Lot number"))
    suppliers = serializers.ListField(
        child=serializers.UUIDField(),
        min_length=1,
        max_length=50,
        help_text=_("Public ids of the suppliers, in rank order."),
    )

    def validate_suppliers(self, value: list) -> list:
        if len(set(value)) != len(value):
            raise serializers.ValidationError(_("A supplier is named twice for the same lot."))
        return value


class AwardDecisionSerializer(serializers.Serializer):
    awards = LotAwardSerializer(many=True, allow_empty=False, max_length=999)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate_awards(self, value: list) -> list:
        numbers = [row["lot"] for row in value]
        if len(set(numbers)) != len(numbers):
            raise serializers.ValidationError(_("Name each lot once."))
        return value
