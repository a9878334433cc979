"""Serializers of the clarification questions.

What a serializer can reach is what its caller may see: the published questions and answers
are built from the selector's anonymous rows (no organisation to leak); a supplier's own
questions carry no organisation (it is the caller's own); only the project team's
serializers name the asking or answering supplier."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consultations.models import ClarificationQuestion
from consultations.services.clarifications import MAX_ANSWER_LENGTH, MAX_QUESTION_LENGTH

CQ = ClarificationQuestion.Status


@extend_schema_field(
    {"type": "string", "enum": list(ClarificationQuestion.Status.values)},
    component_name="ClarificationStatusEnum",
)
class ClarificationStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ClarificationQuestion.Status.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(ClarificationQuestion.RejectionReason.values)},
    component_name="ClarificationRejectionReasonEnum",
)
class RejectionReasonField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ClarificationQuestion.RejectionReason.choices, **kwargs)


# --- Clarification questions ------------------------------------------------------------------


class PublishedClarificationSerializer(serializers.Serializer):
    """A published question and its answer, as everyone reads them: never the questioner."""

    number = serializers.IntegerField(read_only=True)
    question = serializers.CharField(
        read_only=True, help_text=_("The published wording of the question.")
    )
    answer = serializers.CharField(
        read_only=True,
        help_text=_("The answer, or (when not answered) the fixed reason why it is not."),
    )
    answered = serializers.BooleanField(
        read_only=True, help_text=_("False when the question is published with a reason.")
    )
    reference = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("The number of the question that already answers this one."),
    )
    publishedAt = serializers.DateTimeField(source="published_at", read_only=True)


class OwnClarificationSerializer(serializers.ModelSerializer):
    """A question of the caller's own supplier, with what became of it."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    question = serializers.CharField(read_only=True, help_text=_("The question as asked."))
    status = ClarificationStatusField(read_only=True)
    askedAt = serializers.DateTimeField(source="asked_at", read_only=True)
    askedBy = serializers.SerializerMethodField(help_text=_("Who asked the question."))
    number = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("The number under which the answer is published; null until then."),
    )
    publicQuestion = serializers.SerializerMethodField(
        help_text=_(
            "The wording that was published (the project team may rephrase the question so "
            "that it does not identify the supplier); null until published."
        )
    )
    answer = serializers.SerializerMethodField(
        help_text=_("The published answer; null until published.")
    )
    reason = serializers.SerializerMethodField(
        help_text=_("Why the question is not answered; null unless it was rejected.")
    )
    rejectionReason = serializers.SerializerMethodField(
        help_text=_("The fixed reason for not answering; null unless rejected.")
    )
    answeredIn = serializers.SerializerMethodField(
        help_text=_("The number of the question that already answers this one, if any.")
    )
    publishedAt = serializers.DateTimeField(source="published_at", read_only=True, allow_null=True)

    class Meta:
        model = ClarificationQuestion
        fields = [
            "id",
            "question",
            "status",
            "askedAt",
            "askedBy",
            "number",
            "publicQuestion",
            "answer",
            "reason",
            "rejectionReason",
            "answeredIn",
            "publishedAt",
        ]

    def get_askedBy(self, item: ClarificationQuestion) -> str | None:  # noqa: N802 - API field
        return item.asked_by.get_full_name() if item.asked_by else None

    def get_publicQuestion(self, item: ClarificationQuestion) -> str | None:  # noqa: N802
        return item.public_question if item.is_public else None

    def get_answer(self, item: ClarificationQuestion) -> str | None:
        return item.answer if item.status == CQ.PUBLISHED else None

    def get_reason(self, item: ClarificationQuestion) -> str | None:
        # A fixed reason (older rejections kept a free text in ``answer``).
        if item.status != CQ.REJECTED:
            return None
        return item.public_answer or item.answer or None

    @extend_schema_field(RejectionReasonField(allow_null=True))
    def get_rejectionReason(self, item: ClarificationQuestion) -> str | None:  # noqa: N802
        return item.rejection_reason or None

    def get_answeredIn(self, item: ClarificationQuestion) -> int | None:  # noqa: N802
        return item.answered_in.number if item.answered_in_id else None


class ClarificationRequestSerializer(OwnClarificationSerializer):
    """A question as the project team sees it: with the asking supplier."""

    supplier = serializers.CharField(
        source="organisation.slug", read_only=True, help_text=_("Supplier slug")
    )
    supplierName = serializers.CharField(source="organisation.name", read_only=True)
    answeredBy = serializers.SerializerMethodField(
        help_text=_("Who published or rejected the question.")
    )

    class Meta(OwnClarificationSerializer.Meta):
        fields = [
            *OwnClarificationSerializer.Meta.fields[:2],
            "supplier",
            "supplierName",
            *OwnClarificationSerializer.Meta.fields[2:],
            "answeredBy",
        ]

    def get_answeredBy(self, item: ClarificationQuestion) -> str | None:  # noqa: N802
        return item.answered_by.get_full_name() if item.answered_by else None


class ClarificationFilterSerializer(serializers.Serializer):
    """The query parameters of the project team's list of questions."""

    status = ClarificationStatusField(required=False)


# Inputs are checked by the services, which report each problem at its field (a missing text
# is the service's "enter …" message); the fields here describe the body and its limits.


class ClarificationAskSerializer(serializers.Serializer):
    question = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_QUESTION_LENGTH,
        help_text=_("Your question."),
    )


class ClarificationPublishSerializer(serializers.Serializer):
    publicQuestion = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_QUESTION_LENGTH,
        help_text=_(
            "The wording to publish, written by the project team in neutral words: a text "
            "that names a supplier taking part, its KvK number, an e-mail address or a "
            "supplier's domain is refused."
        ),
    )
    answer = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_ANSWER_LENGTH
    )


class ClarificationRejectSerializer(serializers.Serializer):
    reason = RejectionReasonField(
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": _("Choose why the question is not answered.")},
        help_text=_(
            "Why the question is not answered. `out_of_scope` and `already_answered` publish "
            "the question (in `publicQuestion`'s neutral wording) with the reason; the others "
            "tell the asking supplier only."
        ),
    )
    answeredIn = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("For `already_answered`: the number of the published question."),
    )
    publicQuestion = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_QUESTION_LENGTH,
        help_text=_("For `out_of_scope` and `already_answered`: the neutral public wording."),
    )
