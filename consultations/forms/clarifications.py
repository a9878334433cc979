"""Forms of the clarification questions: input parsing only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import ClarificationQuestion
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


PUBLIC_WORDING_HELP = _(
    "Everyone can read this text. Write the question in neutral words: no company, product "
    "or person names, KvK numbers, e-mail addresses or web addresses. Parts that identify a "
    "supplier are shown as [removed]."
)


class ClarificationAnswerForm(forms.Form):
    public_question = _text_field(
        label=_("Question as published"),
        help_text=PUBLIC_WORDING_HELP,
        required_message=_("Write the question as it will be published, in neutral words."),
        max_length=MAX_QUESTION_LENGTH,
    )
    answer = _text_field(
        label=_("Answer"),
        help_text=_("Everyone can read the answer, on the public page of the consultation."),
        required_message=_("Enter the answer."),
        max_length=MAX_ANSWER_LENGTH,
    )


class ClarificationRejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=ClarificationQuestion.RejectionReason.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Outside the subject and already answered: the question is published in neutral "
            "words with the reason, for every supplier. Otherwise only the asking company "
            "hears the reason."
        ),
        error_messages={"required": _("Choose why the question is not answered.")},
    )
    answered_in = forms.ChoiceField(
        label=_("Already answered in"),
        help_text=_("Only for “already answered”: the published question with the answer."),
        required=False,
    )
    public_question = forms.CharField(
        label=_("Question as published"),
        help_text=_(
            "Needed when the question is published with the reason (outside the subject, "
            "already answered). Write it in neutral words: no company, product or person names, "
            "KvK numbers, e-mail addresses or web addresses."
        ),
        required=False,
        max_length=MAX_QUESTION_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "max_length": _("This text can be at most %(limit_value)d characters long.")
        },
    )

    def __init__(self, *args, published=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_in"].choices = [("", _("Choose a question"))] + [
            (
                str(number),
                _("Question %(number)s: %(text)s") % {"number": number, "text": text[:80]},
            )
            for number, text in published
        ]
