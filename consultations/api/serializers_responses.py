"""Serializers of the responses API, and the parsing of a PUT body into the raw answers the
service validates.

Answers travel as JSON types (a boolean for yes/no, an ISO date, a category slug for a price
per item) and are translated to the service's input here, so the API and the page share one
validation: every problem is reported at ``/answers/<question key>``."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from consultations.models import Answer, ConsultationResponse
from consultations.services import responses as services

Errors = dict[str, list[str]]
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def answer_location(key: str) -> str:
    """Where a problem with one answer is reported: a JSON pointer into the PUT body."""
    return f"/answers/{key}"


@extend_schema_field(
    {"type": "string", "enum": list(ConsultationResponse.Status.values)},
    component_name="ConsultationResponseStatusEnum",
)
class ResponseStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ConsultationResponse.Status.choices, **kwargs)


# --- Output ---------------------------------------------------------------------------------


def answer_value(question, value: Any) -> Any:
    """A stored answer as the API shows it: prices per item by category slug (they are
    stored by category id); every other type as stored."""
    if question is not None and question.type == services.PRICE_PER_ITEM and value:
        slugs = {str(c.pk): c.slug for c in question.categories.all()}
        return {slugs.get(pk, pk): price for pk, price in value.items()}
    return value


def answer_file_url(*, request, consultation_slug: str, response_id, question_key: str) -> str:
    """The download of a file answer: the page's route, which checks access (the supplier's
    own members and the project team) and records the project team's downloads."""
    return reverse(
        "consultations:answer-file",
        kwargs={
            "consultation": consultation_slug,
            "response": response_id,
            "file_question": question_key,
        },
        request=request,
    )


VALUE_HELP = gettext_lazy(
    "The answer, by question type: text for short_text, long_text and single_choice; a list "
    "of options for multiple_choice; true or false for yes_no; a decimal string for number; "
    "an ISO date (yyyy-mm-dd) for date; an object of category slug to a decimal string for "
    "price_per_item; for file, the uploaded PDF's name, size (bytes) and sha256."
)


class AnswerSerializer(serializers.ModelSerializer):
    """The answer to one question, by the question's key."""

    # The context holds the response's questions by key ("questions") and the response
    # itself ("response", for the download URL of a file).

    questionKey = serializers.CharField(source="question_key", read_only=True)
    value = serializers.SerializerMethodField(help_text=VALUE_HELP)
    hasFile = serializers.SerializerMethodField(help_text=gettext_lazy("A file was uploaded."))
    downloadUrl = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Where to download the uploaded PDF of a file answer; null for other answers."
        )
    )
    updatedAt = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Answer
        fields = ["questionKey", "value", "hasFile", "downloadUrl", "updatedAt"]

    @extend_schema_field({"nullable": True})
    def get_value(self, answer: Answer) -> Any:
        question = self.context.get("questions", {}).get(answer.question_key)
        return answer_value(question, answer.value)

    def get_hasFile(self, answer: Answer) -> bool:  # noqa: N802 - API field name
        return bool(answer.file)

    def get_downloadUrl(self, answer: Answer) -> str | None:  # noqa: N802 - API field name
        response = self.context.get("response")
        if not answer.file or response is None:
            return None
        return answer_file_url(
            request=self.context.get("request"),
            consultation_slug=response.consultation.slug,
            response_id=response.public_id,
            question_key=answer.question_key,
        )


class ConsultationResponseSerializer(serializers.ModelSerializer):
    """A response as the project team's list shows it: no answers."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    consultation = serializers.CharField(
        source="consultation.slug", read_only=True, help_text=gettext_lazy("Consultation slug")
    )
    supplier = serializers.CharField(
        source="organisation.slug", read_only=True, help_text=gettext_lazy("Supplier slug")
    )
    supplierName = serializers.CharField(source="organisation.name", read_only=True)
    status = ResponseStatusField(read_only=True)
    version = serializers.IntegerField(
        source="version.number",
        read_only=True,
        help_text=gettext_lazy("The questionnaire version the response answers."),
    )
    submittedAt = serializers.DateTimeField(
        source="submitted_at",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("When the response was last submitted."),
    )
    updatedAt = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = ConsultationResponse
        fields = [
            "id",
            "consultation",
            "supplier",
            "supplierName",
            "status",
            "version",
            "submittedAt",
            "updatedAt",
        ]


class ResponseSubmissionSerializer(serializers.Serializer):
    """What was submitted, as it was sent, with the questionnaire version it answered."""

    number = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    submittedAt = serializers.DateTimeField(source="submitted_at", read_only=True)
    answers = serializers.DictField(
        read_only=True,
        help_text=gettext_lazy(
            "Question key → the answer as submitted (files: name, size, sha256)."
        ),
    )


class ConsultationResponseDetailSerializer(ConsultationResponseSerializer):
    """A response with its answers, in the order of the questionnaire, and every earlier
    submission as it was sent."""

    # The context holds the version's questions by key ("questions"), in their order.

    answers = serializers.SerializerMethodField()
    submissions = serializers.SerializerMethodField()

    class Meta(ConsultationResponseSerializer.Meta):
        fields = [*ConsultationResponseSerializer.Meta.fields, "answers", "submissions"]

    @extend_schema_field(ResponseSubmissionSerializer(many=True))
    def get_submissions(self, response: ConsultationResponse) -> list[dict]:
        sent = response.submissions.select_related("version").order_by("number")
        return ResponseSubmissionSerializer(sent, many=True).data

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, response: ConsultationResponse) -> list[dict]:
        order = {key: index for index, key in enumerate(self.context.get("questions", {}))}
        answers = sorted(
            response.answers.all(),
            key=lambda a: (order.get(a.question_key, len(order)), a.question_key),
        )
        context = {**self.context, "response": response}
        return AnswerSerializer(answers, many=True, context=context).data


class MyResponseSerializer(ConsultationResponseDetailSerializer):
    """The caller's own response, with the newest published questionnaire version."""

    newestVersion = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The newest published questionnaire version. When it is newer than version, saving "
            "and submitting are refused (409) until the response is moved to it: GET "
            "my-response/upgrade shows what changes, POST my-response/upgrade moves it."
        )
    )

    class Meta(ConsultationResponseDetailSerializer.Meta):
        fields = [*ConsultationResponseDetailSerializer.Meta.fields, "newestVersion"]

    def get_newestVersion(self, response: ConsultationResponse) -> int | None:  # noqa: N802
        return self.context.get("newest_version")


class ResponseFilterSerializer(serializers.Serializer):
    """The query parameters of the project team's list of responses."""

    status = ResponseStatusField(required=False)


# --- Input ----------------------------------------------------------------------------------


class ResponseWriteSerializer(serializers.Serializer):
    """The answers to save as a draft."""

    # Describes the body for the OpenAPI document; parse_answers does the work.

    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text=gettext_lazy(
            "Every answer of the response, by question key; questions left out (or null) are "
            "unanswered. Types: text for short_text, long_text and single_choice; a list of "
            "options for multiple_choice; true or false for yes_no; a number or decimal "
            "string for number; an ISO date (yyyy-mm-dd) for date; an object of category slug "
            "to an amount for price_per_item. Files are uploaded one at a time, at "
            "my-response/files/<question key>; a PUT here keeps them."
        ),
    )


class AnswerFileWriteSerializer(serializers.Serializer):
    """The file answering a file question, as multipart/form-data."""

    # Describes the body for the OpenAPI document; the service checks the file.

    file = serializers.FileField(
        help_text=gettext_lazy("A PDF file; it replaces the file uploaded before.")
    )


def answers_object(body: Any) -> dict | None:
    """The ``answers`` object of a PUT body, or None when the body has none."""
    if not isinstance(body, dict):
        return None
    answers = body.get("answers")
    return answers if isinstance(answers, dict) else None


def _text(value: Any) -> Any:
    if not isinstance(value, str):
        raise DjangoValidationError(_("Give this answer as text."))
    return value


def _options(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DjangoValidationError(_("Give this answer as a list of options."))
    return value


def _yes_no(value: Any) -> Any:
    if not isinstance(value, bool):
        raise DjangoValidationError(_("Give this answer as true or false."))
    return "yes" if value else "no"


def _amount(value: Any, message: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise DjangoValidationError(message)
    return str(value)


def _date(value: Any) -> Any:
    try:
        if not isinstance(value, str) or not ISO_DATE_RE.match(value):
            raise ValueError
        parsed = date.fromisoformat(value)
    except ValueError:
        raise DjangoValidationError(
            _("Give this answer as a date in the form yyyy-mm-dd, for example 2035-03-01.")
        ) from None
    return f"{parsed.day:02d}-{parsed.month:02d}-{parsed.year}"  # as the service reads dates


def _prices(question, value: Any) -> Any:
    if not isinstance(value, dict):
        raise DjangoValidationError(_("Give the prices as an object of category code to amount."))
    by_slug = {c.slug: str(c.pk) for c in question.categories.all()}
    prices = {}
    for slug, price in value.items():
        if slug not in by_slug:
            raise DjangoValidationError(_("Enter prices only for the categories asked."))
        if price is not None:
            prices[by_slug[slug]] = _amount(
                price, _("Enter every price as an amount of 0 or more, for example 450,00.")
            )
    return prices


def _raw(question, value: Any) -> Any:
    """The service's raw input for one JSON answer, or ValidationError."""
    if value is None:
        return None
    kind = question.type
    if kind in (services.SHORT_TEXT, services.LONG_TEXT, services.SINGLE_CHOICE):
        return _text(value)
    if kind == services.MULTIPLE_CHOICE:
        return _options(value)
    if kind == services.YES_NO:
        return _yes_no(value)
    if kind == services.NUMBER:
        return _amount(value, _("Give this answer as a number."))
    if kind == services.DATE:
        return _date(value)
    if kind == services.PRICE_PER_ITEM:
        return _prices(question, value)
    raise DjangoValidationError(
        _("Upload the PDF for this question separately: PUT my-response/files/%(key)s.")
        % {"key": question.key}
    )


def parse_answers(*, answers: dict, questions: list) -> tuple[dict[str, Any], Errors]:
    """The raw answers for ``response_save`` from a PUT body's ``answers`` object, or the
    problems at their JSON pointers. The body replaces the answers: every question that can be
    answered here and is left out is cleared (file answers are kept). Values that have the
    right type are also checked by the service's rules, so one request reports every
    problem."""
    errors: Errors = defaultdict(list)
    by_key = {question.key: question for question in questions}
    raw: dict[str, Any] = {}
    for key, value in answers.items():
        question = by_key.get(key)
        if question is None:
            errors[answer_location(key)].append(
                _("This question is not part of the questionnaire.")
            )
            continue
        try:
            raw[key] = _raw(question, value)
            services.clean_answer(question, raw[key])
        except DjangoValidationError as exc:
            errors[answer_location(key)].extend(exc.messages)
    for question in questions:
        if question.type != services.FILE and question.key not in answers:
            raw[question.key] = None
    return raw, errors
