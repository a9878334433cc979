"""Serializers of the nota van inlichtingen API: a question as the caller may see it, a round
with its numbered notice and the changed document versions, and the bodies of the actions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenders.api.serializers_tender import TenderDocumentSerializer, _enum
from tenders.models import DocumentVersion, Enquiry, EnquiryRound, TenderDocument
from tenders.models.documents import DOCUMENT_SET_KINDS
from tenders.selectors.enquiry_api import EnquiryListing

ENQUIRY_STATUSES = ["open", "answered", "merged", "published"]
EnquiryRoundStatusField = _enum(EnquiryRound.Status, "EnquiryRoundStatusEnum")
VersionStatusField = _enum(DocumentVersion.Status, "DocumentVersionStatusEnum")
CHANGEABLE = [(kind, TenderDocument.Kind(kind).label) for kind in DOCUMENT_SET_KINDS]


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(read_only=True)


class EnquirySerializer(serializers.Serializer):
    """A question. Published: its number, the neutral public wording and the answer. Not
    published (the asker's organisation and the project team only): the question as asked,
    with its status. ``organisation``, ``askedQuestion``, ``publicQuestion`` and
    ``mergedInto`` are the project team's only (absent for everyone else)."""

    TEAM_ONLY = ("organisation", "askedQuestion", "publicQuestion", "mergedInto")

    id = serializers.UUIDField(source="public_id", read_only=True)
    number = serializers.SerializerMethodField(
        help_text=_("Its number in the published notices (numbered through the tender).")
    )
    status = serializers.SerializerMethodField()
    roundNumber = serializers.SerializerMethodField(
        help_text=_("The number of the notice that published it.")
    )
    lotNumber = serializers.IntegerField(source="lot_number", read_only=True, allow_null=True)
    section = serializers.CharField(read_only=True)
    question = serializers.SerializerMethodField(
        help_text=_("The public wording once published; before that the question as asked.")
    )
    answer = serializers.SerializerMethodField(
        help_text=_("The published answer (the project team also sees its draft).")
    )
    changesDocument = serializers.SerializerMethodField(
        help_text=_("The tender document the answer changes.")
    )
    askedAt = serializers.DateTimeField(source="asked_at", read_only=True)
    publishedAt = serializers.SerializerMethodField()
    organisation = OrganisationRefSerializer(read_only=True)
    askedQuestion = serializers.CharField(source="question", read_only=True)
    publicQuestion = serializers.CharField(source="public_question", read_only=True)
    mergedInto = serializers.UUIDField(
        source="merged_into.public_id", read_only=True, allow_null=True, default=None
    )

    @property
    def listing(self) -> EnquiryListing:
        return self.context["listing"]

    def _published(self, enquiry: Enquiry) -> bool:
        return enquiry.pk in self.listing.numbers

    def to_representation(self, instance: Enquiry) -> dict:
        data = super().to_representation(instance)
        if not self.listing.team:
            for name in self.TEAM_ONLY:
                data.pop(name, None)
        return data

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_number(self, enquiry: Enquiry) -> int | None:
        return self.listing.numbers.get(enquiry.pk)

    @extend_schema_field(
        {"type": "string", "enum": ENQUIRY_STATUSES}, component_name="EnquiryStatusEnum"
    )
    def get_status(self, enquiry: Enquiry) -> str:
        return "published" if self._published(enquiry) else enquiry.status

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_roundNumber(self, enquiry: Enquiry) -> int | None:  # noqa: N802 - API field
        return enquiry.round.number if self._published(enquiry) and enquiry.round else None

    def get_question(self, enquiry: Enquiry) -> str:
        return enquiry.public_question if self._published(enquiry) else enquiry.question

    @extend_schema_field({"type": "string", "nullable": True})
    def get_answer(self, enquiry: Enquiry) -> str | None:
        if self._published(enquiry) or (self.listing.team and enquiry.answer):
            return enquiry.answer
        return None

    @extend_schema_field({"type": "string", "enum": list(DOCUMENT_SET_KINDS), "nullable": True})
    def get_changesDocument(self, enquiry: Enquiry) -> str | None:  # noqa: N802 - API field
        if not (self._published(enquiry) or self.listing.team):
            return None
        return self.listing.document_kinds.get(enquiry.changes_document_id or 0)

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_publishedAt(self, enquiry: Enquiry) -> Any:  # noqa: N802 - API field
        if not self._published(enquiry) or enquiry.round is None:
            return None
        return serializers.DateTimeField().to_representation(enquiry.round.published_at)


class NoticeSerializer(TenderDocumentSerializer):
    """The round's nota van inlichtingen: a version of the tender's NvI document, rendered by
    the worker (the SHA-256 and the download once it is ready)."""

    status = VersionStatusField()
    downloadUrl = serializers.SerializerMethodField(
        help_text=_("Where to download the notice; empty until it is ready.")
    )

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_downloadUrl(self, version: DocumentVersion) -> str | None:  # noqa: N802
        if version.status != DocumentVersion.Status.DONE:
            return None
        return super().get_downloadUrl(version)


class EnquiryRoundSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    number = serializers.IntegerField(read_only=True, allow_null=True)
    status = EnquiryRoundStatusField()
    publishedAt = serializers.DateTimeField(source="published_at", read_only=True, allow_null=True)
    questionCount = serializers.IntegerField(
        source="question_count", read_only=True, help_text=_("Answered questions in the round.")
    )
    notice = serializers.SerializerMethodField(
        help_text=_("The numbered nota van inlichtingen (once the round is published).")
    )
    changedDocuments = serializers.SerializerMethodField(
        help_text=_("The new versions of the documents its answers change.")
    )

    @extend_schema_field(NoticeSerializer(allow_null=True))
    def get_notice(self, round_: EnquiryRound) -> dict | None:
        if round_.document_version is None:
            return None
        return NoticeSerializer(round_.document_version, context=self.context).data

    @extend_schema_field(TenderDocumentSerializer(many=True))
    def get_changedDocuments(self, round_: EnquiryRound) -> list[dict]:  # noqa: N802
        return TenderDocumentSerializer(
            round_.changed_versions.all(), many=True, context=self.context
        ).data


class EnquiryAskSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=5000, allow_blank=True, trim_whitespace=False)
    lotNumber = serializers.IntegerField(
        min_value=1, max_value=999, required=False, allow_null=True, default=None
    )
    section = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The part of the tender documents the question is about."),
    )


class EnquiryAnswerSerializer(serializers.Serializer):
    publicQuestion = serializers.CharField(
        max_length=5000,
        allow_blank=True,
        help_text=_("The question as it is published: neutral, never naming the asker."),
    )
    answer = serializers.CharField(max_length=10000, allow_blank=True)
    changesDocument = serializers.ChoiceField(
        choices=CHANGEABLE,
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "The tender document the answer changes: the notice waits for its new version "
            "(made with a change notice)."
        ),
    )


class EnquiryMergeSerializer(serializers.Serializer):
    into = serializers.UUIDField(help_text=_("The question that answers this one."))
