"""Serializers of the consultation API: consultations with their documents, and questionnaire
versions with their sections and questions. Output only: the API does not change them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from consultations.models import Consultation, ConsultationDocument, Question, QuestionnaireVersion

# Several models have a "status" with other values: each enum gets a name of its own.


@extend_schema_field(
    {"type": "string", "enum": list(Consultation.Status.values)},
    component_name="ConsultationStatusEnum",
)
class ConsultationStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Consultation.Status.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(QuestionnaireVersion.Status.values)},
    component_name="QuestionnaireVersionStatusEnum",
)
class QuestionnaireVersionStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=QuestionnaireVersion.Status.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(Question.Type.values)}, component_name="QuestionTypeEnum"
)
class QuestionTypeField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Question.Type.choices, **kwargs)


# --- Consultations ---------------------------------------------------------------------------


class ConsultationDocumentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    uploadedAt = serializers.DateTimeField(source="uploaded_at", read_only=True)
    sha256 = serializers.CharField(
        read_only=True, help_text=_("SHA-256 checksum of the file, in hexadecimal.")
    )
    downloadUrl = serializers.SerializerMethodField(help_text=_("Where to download the PDF."))

    class Meta:
        model = ConsultationDocument
        fields = ["id", "title", "sha256", "uploadedAt", "downloadUrl"]

    def get_downloadUrl(self, document: ConsultationDocument) -> str:  # noqa: N802 - API field
        return reverse(
            "consultations:consultation-document",
            kwargs={"consultation": document.consultation.slug, "document": document.public_id},
            request=self.context.get("request"),
        )


class ConsultationSerializer(serializers.ModelSerializer):
    """A consultation as the list shows it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    programme = serializers.CharField(
        source="programme.slug", read_only=True, help_text=_("Programme slug")
    )
    status = ConsultationStatusField(read_only=True)
    opensAt = serializers.DateTimeField(source="opens_at", read_only=True)
    closesAt = serializers.DateTimeField(
        source="closes_at", read_only=True, help_text=_("The deadline for answers.")
    )
    isOpen = serializers.BooleanField(
        source="is_open", read_only=True, help_text=_("Suppliers can answer now.")
    )

    class Meta:
        model = Consultation
        fields = ["id", "slug", "programme", "title", "status", "opensAt", "closesAt", "isOpen"]


class ConsultationDetailSerializer(ConsultationSerializer):
    """A consultation with its introduction and documents."""

    closedAt = serializers.DateTimeField(source="closed_at", read_only=True, allow_null=True)
    documents = serializers.SerializerMethodField()

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "introduction", "closedAt", "documents"]

    @extend_schema_field(ConsultationDocumentSerializer(many=True))
    def get_documents(self, consultation: Consultation) -> list[dict]:
        documents = list(consultation.documents.all())
        for document in documents:
            document.consultation = consultation  # no query per document for its slug
        return ConsultationDocumentSerializer(documents, many=True, context=self.context).data


class ConsultationFilterSerializer(serializers.Serializer):
    """The query parameters of the consultation list."""

    programme = serializers.SlugField(required=False, help_text=_("Programme slug"))
    status = ConsultationStatusField(required=False)


# --- Questionnaire ---------------------------------------------------------------------------


class QuestionCategorySerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True, help_text=_("Category slug"))
    name = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)


class QuestionSerializer(serializers.ModelSerializer):
    type = QuestionTypeField(read_only=True)
    helpText = serializers.CharField(source="help_text", read_only=True)
    options = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("The options of a choice question; empty for other types."),
    )
    maxLength = serializers.IntegerField(
        source="max_length",
        read_only=True,
        allow_null=True,
        help_text=_("The maximum number of characters of a text answer."),
    )
    unit = serializers.CharField(read_only=True, help_text=_("The unit of a number answer."))
    categories = QuestionCategorySerializer(
        many=True,
        read_only=True,
        help_text=_("The catalogue categories a price per item is asked for."),
    )

    class Meta:
        model = Question
        fields = [
            "key",
            "type",
            "text",
            "helpText",
            "required",
            "options",
            "maxLength",
            "unit",
            "categories",
        ]


class QuestionSectionSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)


class QuestionnaireVersionSerializer(serializers.ModelSerializer):
    """A version as the list shows it."""

    status = QuestionnaireVersionStatusField(read_only=True)
    publishedAt = serializers.DateTimeField(source="published_at", read_only=True, allow_null=True)

    class Meta:
        model = QuestionnaireVersion
        fields = ["number", "status", "publishedAt"]


class QuestionnaireVersionDetailSerializer(QuestionnaireVersionSerializer):
    """A version with its sections and their questions, in the order suppliers see them."""

    sections = QuestionSectionSerializer(many=True, read_only=True)

    class Meta(QuestionnaireVersionSerializer.Meta):
        fields = [*QuestionnaireVersionSerializer.Meta.fields, "sections"]
