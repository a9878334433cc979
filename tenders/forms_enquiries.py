"""Forms of the nota van inlichtingen pages: input parsing only; the rules (deadline, who may
ask, the neutral public wording, what may be merged) live in tenders/services/enquiries.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenders.models import Enquiry, TenderDocument, TenderLot

MAX_QUESTION_LENGTH = 2000
MAX_ANSWER_LENGTH = 10000
MAX_SECTION_LENGTH = 200


def _text(*, label, help_text, required_message, max_length, rows=5):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        # ``character_count``: includes/field.html shows how many characters are left.
        widget=forms.Textarea(attrs={"rows": rows, "character_count": "on"}),
        error_messages={
            "required": required_message,
            "max_length": _(
                "This text can be at most %(limit_value)d characters long; it now has "
                "%(show_value)d."
            ),
        },
    )


class EnquiryAskForm(forms.Form):
    lot_number = forms.TypedChoiceField(
        label=_("Lot"),
        help_text=_("Choose the lot your question is about, or “General” for the whole tender."),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the tender's lots, or “General”.")},
    )
    section = forms.CharField(
        label=_("Document and section"),
        help_text=_("For example: Aanbestedingsleidraad, paragraph 3.2."),
        max_length=MAX_SECTION_LENGTH,
        required=False,
        error_messages={
            "max_length": _("Keep the section short: at most %(limit_value)d characters.")
        },
    )
    question = _text(
        label=_("Your question"),
        help_text=_(
            "At most 2000 characters. Ask one question at a time. The project team publishes "
            "the question with its answer in a clarification notice, for all suppliers at the "
            "same time and without the name of your organisation; it may rephrase your question "
            "for that."
        ),
        required_message=_("Enter your question."),
        max_length=MAX_QUESTION_LENGTH,
    )

    def __init__(self, *args: Any, lots: list[TenderLot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lot_number"].choices = [("", _("General (not about one lot)"))] + [
            (
                lot.number,
                _("Lot %(number)s: %(title)s") % {"number": lot.number, "title": lot.title},
            )
            for lot in lots
        ]


class EnquiryAnswerForm(forms.Form):
    public_question = _text(
        label=_("Question as published"),
        help_text=_(
            "Everyone can read this text, in the clarification notice and on the public page. "
            "Word the question neutrally: no name, registration number or other detail that "
            "shows who asked."
        ),
        required_message=_("Word the question as it will be published."),
        max_length=MAX_QUESTION_LENGTH,
    )
    answer = _text(
        label=_("Answer"),
        help_text=_(
            "Everyone can read the answer once the clarification notice is published. An "
            "answer that changes the tender's rules needs a change notice."
        ),
        required_message=_("Enter the answer."),
        max_length=MAX_ANSWER_LENGTH,
        rows=8,
    )
    changes_document = forms.ChoiceField(
        label=_("Document changed by this answer"),
        help_text=_(
            "If the answer changes a tender document, choose it: the clarification notice can "
            "only be published once the document's new version is out (through a change "
            "notice), and the notice refers to that version."
        ),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the tender's documents.")},
    )

    def __init__(self, *args: Any, documents: list[TenderDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = {str(document.public_id): document for document in documents}
        self.fields["changes_document"].choices = [("", _("No document changes"))] + [
            (str(document.public_id), str(document.get_kind_display())) for document in documents
        ]

    def document(self) -> TenderDocument | None:
        return self.documents.get(self.cleaned_data.get("changes_document") or "")


class EnquiryMergeForm(forms.Form):
    merged_into = forms.ChoiceField(
        label=_("Same question as"),
        help_text=_(
            "The question is answered by the one you choose and is not published on its own."
        ),
        error_messages={
            "required": _("Choose the question this one duplicates."),
            "invalid_choice": _("Choose another, not merged question of the same tender."),
        },
    )

    def __init__(self, *args: Any, targets: list[tuple[str, Enquiry]], **kwargs: Any) -> None:
        """``targets``: (reference, question) for every question this one may be merged into."""
        super().__init__(*args, **kwargs)
        self.targets = {str(enquiry.public_id): enquiry for _reference, enquiry in targets}
        self.fields["merged_into"].choices = [("", _("Choose a question"))] + [
            (
                str(enquiry.public_id),
                f"{reference}: {_shorten(enquiry.public_question or enquiry.question)}",
            )
            for reference, enquiry in targets
        ]

    def target(self) -> Enquiry:
        return self.targets[self.cleaned_data["merged_into"]]


def _shorten(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
