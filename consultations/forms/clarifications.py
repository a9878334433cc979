"""Forms of the clarification questions: input parsing only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.services.clarifications import MAX_ANSWER_LENGTH, MAX_QUESTION_LENGTH
from portal.idempotency import IdempotencyKeyField


def _text_field(*, label, help_text, required_message, max_length):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea,
        error_messages={
            "required": required_message,
            "max_length": _("This text can be at most %(limit_value)d characters long."),
        },
    )


class ClarificationAskForm(forms.Form):
    idempotency_key = IdempotencyKeyField()
    question = _text_field(
        label=_("Your question"),
        help_text=_(
            "At most 2000 characters. The project team publishes every answer to all "
            "suppliers, without your company's name, and may rephrase your question for that."
        ),
        required_message=_("Enter your question."),
        max_length=MAX_QUESTION_LENGTH,
    )


class ClarificationAnswerForm(forms.Form):
    public_question = _text_field(
        label=_("Question as published"),
        help_text=_(
            "Everyone can read this text. Remove anything that shows who asked the question, "
            "such as a company name, product name or person."
        ),
        required_message=_("Enter the question as it will be published."),
        max_length=MAX_QUESTION_LENGTH,
    )
    answer = _text_field(
        label=_("Answer"),
        help_text=_("Everyone can read the answer, on the public page of the consultation."),
        required_message=_("Enter the answer."),
        max_length=MAX_ANSWER_LENGTH,
    )


class ClarificationRejectForm(forms.Form):
    reason = _text_field(
        label=_("Reason"),
        help_text=_("Only the company that asked the question sees this reason."),
        required_message=_("Explain why the question is not answered."),
        max_length=MAX_ANSWER_LENGTH,
    )
