"""Serializers of the consultation API's follow-up parts: the anonymised report, the project
team's review of the answers and the talks (the clarification questions are in
``serializers_clarifications``).

What a serializer can reach is what its caller may see."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from consultations.api.serializers import QuestionTypeField
from consultations.api.serializers_responses import VALUE_HELP, answer_file_url, answer_value
from consultations.models import ConsultationReport, TalkSlot
from consultations.models.report import CHANGE_NOTE_MAX_LENGTH, PRICES_REASON_MAX_LENGTH
from portal.serializers import SingleLineSerializerField


@extend_schema_field(
    {"type": "string", "enum": list(ConsultationReport.Status.values)},
    component_name="ConsultationReportStatusEnum",
)
class ConsultationReportStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ConsultationReport.Status.choices, **kwargs)


# --- The anonymised report --------------------------------------------------------------------


class ConsultationReportRequestSerializer(serializers.Serializer):
    changeNote = SingleLineSerializerField(
        required=False,
        allow_blank=True,
        default="",
        max_length=CHANGE_NOTE_MAX_LENGTH,
        help_text=_(
            "What is different in this version; required for every version after the first."
        ),
    )
    includePrices = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Include prices in the public report (left out by default); then only per category "
            "with at least 5 prices."
        ),
    )
    includePricesReason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=PRICES_REASON_MAX_LENGTH,
        help_text=_("Why the prices are included; required with `includePrices`."),
    )


class ConsultationReportSerializer(serializers.ModelSerializer):
    """One version of the anonymised report."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    number = serializers.IntegerField(read_only=True, help_text=_("Version of the report."))
    status = ConsultationReportStatusField(read_only=True)
    requestedAt = serializers.DateTimeField(source="requested_at", read_only=True)
    generatedAt = serializers.DateTimeField(source="generated_at", read_only=True, allow_null=True)
    sha256 = serializers.SerializerMethodField(
        help_text=_("SHA-256 checksum of the PDF, in hexadecimal; null until it is ready.")
    )
    publishedAt = serializers.DateTimeField(
        source="published_at",
        read_only=True,
        allow_null=True,
        help_text=_("When the report was put on the public page; null when it is not there."),
    )
    downloadUrl = serializers.SerializerMethodField(
        help_text=_("Where to download the PDF; null until it is ready.")
    )
    changeNote = serializers.CharField(
        source="change_note",
        read_only=True,
        help_text=_("What is different in this version; empty for a first version without one."),
    )
    includePrices = serializers.BooleanField(source="include_prices", read_only=True)
    includePricesReason = serializers.CharField(source="include_prices_reason", read_only=True)

    class Meta:
        model = ConsultationReport
        fields = [
            "id",
            "number",
            "status",
            "requestedAt",
            "generatedAt",
            "sha256",
            "publishedAt",
            "downloadUrl",
            "changeNote",
            "includePrices",
            "includePricesReason",
        ]

    def _is_ready(self, report: ConsultationReport) -> bool:
        return report.status == ConsultationReport.Status.DONE and bool(report.file)

    def get_sha256(self, report: ConsultationReport) -> str | None:
        return report.sha256 if self._is_ready(report) else None

    def get_downloadUrl(self, report: ConsultationReport) -> str | None:  # noqa: N802
        if not self._is_ready(report):
            return None
        return reverse(
            "consultations:report-download",
            kwargs={"consultation": self.context["consultation"].slug, "report": report.public_id},
            request=self.context.get("request"),
        )


# --- The review -------------------------------------------------------------------------------


class OptionCountSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    share = serializers.IntegerField(
        read_only=True,
        help_text=_("Percentage of the suppliers that answered the question."),
    )


class ReviewQuestionSerializer(serializers.Serializer):
    """A question key across the published versions, with its answers counted."""

    key = serializers.CharField(read_only=True)
    type = QuestionTypeField(source="question.type", read_only=True)
    text = serializers.CharField(
        source="question.text",
        read_only=True,
        help_text=_("As asked in the newest published version that has this question."),
    )
    versions = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("The published questionnaire versions that ask this question."),
    )
    inNewest = serializers.BooleanField(
        source="in_newest",
        read_only=True,
        help_text=_("The newest published version asks this question."),
    )
    answered = serializers.IntegerField(
        read_only=True, help_text=_("Number of submitted responses that answer it.")
    )
    counts = OptionCountSerializer(
        many=True,
        read_only=True,
        help_text=_("Answers per option of a choice or yes/no question; empty for others."),
    )
    openTotal = serializers.IntegerField(
        source="open_total",
        read_only=True,
        help_text=_("Open (text) answers, which are reviewed before the report."),
    )
    openReviewed = serializers.IntegerField(
        source="open_reviewed", read_only=True, help_text=_("Open answers reviewed so far.")
    )


class AnswerReviewSerializer(serializers.Serializer):
    """The project team's review of an open answer for the anonymised report."""

    include = serializers.BooleanField(
        read_only=True, help_text=_("The answer appears in the report, as redactedText.")
    )
    redactedText = serializers.CharField(
        source="redacted_text",
        read_only=True,
        help_text=_("The text for the report, without anything that identifies the supplier."),
    )
    reviewedAt = serializers.DateTimeField(source="reviewed_at", read_only=True)


class _ResponseColumns(serializers.Serializer):
    """The submitted response an answer belongs to (``response`` of the row)."""

    responseId = serializers.UUIDField(source="response.public_id", read_only=True)
    supplier = serializers.CharField(
        source="response.organisation.slug", read_only=True, help_text=_("Supplier slug")
    )
    supplierName = serializers.CharField(source="response.organisation.name", read_only=True)
    version = serializers.IntegerField(
        source="response.version.number",
        read_only=True,
        help_text=_("The questionnaire version the response answers."),
    )


class ReviewAnswerSerializer(_ResponseColumns):
    """One submitted response's answer to the compared question."""

    # The context holds the consultation ("consultation") for the download URL of a file.

    asked = serializers.SerializerMethodField(
        help_text=_("The version this response answers asks this question.")
    )
    value = serializers.SerializerMethodField(help_text=VALUE_HELP)
    hasFile = serializers.SerializerMethodField(help_text=_("A file was uploaded."))
    downloadUrl = serializers.SerializerMethodField(
        help_text=_("Where to download the uploaded PDF of a file answer; null for other answers.")
    )
    review = serializers.SerializerMethodField(
        help_text=_("The review of an open answer; null when it is not reviewed (yet).")
    )

    def get_asked(self, row) -> bool:
        return row.question is not None

    @extend_schema_field({"nullable": True})
    def get_value(self, row) -> Any:
        return answer_value(row.question, row.answer.value) if row.answer else None

    def get_hasFile(self, row) -> bool:  # noqa: N802 - API field name
        return bool(row.answer and row.answer.file)

    def get_downloadUrl(self, row) -> str | None:  # noqa: N802 - API field name
        if not (row.answer and row.answer.file):
            return None
        return answer_file_url(
            request=self.context.get("request"),
            consultation_slug=self.context["consultation"].slug,
            response_id=row.response.public_id,
            question_key=row.answer.question_key,
        )

    @extend_schema_field(AnswerReviewSerializer(allow_null=True))
    def get_review(self, row) -> dict | None:
        review = row.review
        return AnswerReviewSerializer(review).data if review is not None else None


class ReviewQuestionDetailSerializer(serializers.Serializer):
    """A question with every submitted response's answer, by supplier name (a comparison of
    ``selectors_review.question_comparison``)."""

    key = serializers.CharField(source="question.key", read_only=True)
    type = QuestionTypeField(source="question.question.type", read_only=True)
    text = serializers.CharField(source="question.question.text", read_only=True)
    versions = serializers.ListField(
        source="question.versions", child=serializers.IntegerField(), read_only=True
    )
    inNewest = serializers.BooleanField(source="question.in_newest", read_only=True)
    answered = serializers.IntegerField(read_only=True)
    counts = OptionCountSerializer(many=True, read_only=True)
    answers = ReviewAnswerSerializer(
        source="rows",
        many=True,
        read_only=True,
        help_text=_("One row per submitted response, also when it did not answer."),
    )


class OpenAnswerSerializer(_ResponseColumns):
    """One open answer under review: the original text, warnings about what in the text for
    the report may identify the supplier, and the review."""

    questionKey = serializers.CharField(source="answer.question_key", read_only=True)
    questionText = serializers.CharField(source="question.text", read_only=True)
    text = serializers.CharField(
        source="answer.value", read_only=True, help_text=_("The answer as the supplier gave it.")
    )
    hints = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_(
            "What may identify the supplier in the text for the report (the reviewed text "
            "when included, otherwise the original)."
        ),
    )
    review = AnswerReviewSerializer(read_only=True, allow_null=True)


class AnswerReviewWriteSerializer(serializers.Serializer):
    include = serializers.BooleanField(
        help_text=_("true: publish redactedText in the report; false: leave the answer out.")
    )
    redactedText = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "The text for the report, required when included: without the supplier's name, "
            "KvK number or e-mail addresses."
        ),
    )


# --- Talks ------------------------------------------------------------------------------------


class TalkSlotSerializer(serializers.ModelSerializer):
    """A 1-on-1 talk. The list holds for a supplier the free talks and its own booking, and
    for the project team every talk with the supplier that booked it; the minutes are
    linked for those two only."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    startsAt = serializers.DateTimeField(source="starts_at", read_only=True)
    endsAt = serializers.DateTimeField(source="ends_at", read_only=True)
    location = serializers.CharField(read_only=True)
    isBooked = serializers.BooleanField(source="is_booked", read_only=True)
    supplier = serializers.CharField(
        source="organisation.slug",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Slug of the supplier that booked the talk; null when it is free."),
    )
    supplierName = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    bookedAt = serializers.DateTimeField(source="booked_at", read_only=True, allow_null=True)
    minutesUploadedAt = serializers.DateTimeField(
        source="minutes_uploaded_at", read_only=True, allow_null=True
    )
    minutesSha256 = serializers.SerializerMethodField(
        help_text=_("SHA-256 checksum of the minutes (PDF); null when there are none.")
    )
    minutesUrl = serializers.SerializerMethodField(
        help_text=_("Where to download the minutes; null when there are none.")
    )

    class Meta:
        model = TalkSlot
        fields = [
            "id",
            "startsAt",
            "endsAt",
            "location",
            "isBooked",
            "supplier",
            "supplierName",
            "bookedAt",
            "minutesUploadedAt",
            "minutesSha256",
            "minutesUrl",
        ]

    def get_minutesSha256(self, slot: TalkSlot) -> str | None:  # noqa: N802 - API field
        return slot.minutes_sha256 if slot.minutes else None

    def get_minutesUrl(self, slot: TalkSlot) -> str | None:  # noqa: N802 - API field
        # Only the project team and the booking supplier ever get a booked slot (the list's
        # and the actions' scoping); the download checks that again.
        if not (slot.minutes and slot.is_booked):
            return None
        return reverse(
            "consultations:talk-minutes-download",
            kwargs={"consultation": self.context["consultation"].slug, "slot": slot.public_id},
            request=self.context.get("request"),
        )
