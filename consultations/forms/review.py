"""The form of the project team's review of one open answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

INCLUDE, LEAVE_OUT = "yes", "no"


class AnswerReviewForm(forms.Form):
    redacted_text = forms.CharField(
        label=_("Text for the report"),
        help_text=_(
            "Remove everything that identifies the supplier: names of people and of the "
            "company, brands that point to it, e-mail addresses, phone numbers, web addresses "
            "and KvK numbers."
        ),
        widget=forms.Textarea,
        error_messages={
            "required": _("Enter the text for the report, or choose to leave the answer out.")
        },
    )
    include = forms.ChoiceField(
        label=_("In the anonymised report"),
        choices=[
            (INCLUDE, _("Include this text in the report")),
            (LEAVE_OUT, _("Leave this answer out of the report")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether this answer goes into the report.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The text is needed for the report only: an answer left out needs none.
        if self.data.get("include") == LEAVE_OUT:
            self.fields["redacted_text"].required = False

    @property
    def include_value(self) -> bool:
        return self.cleaned_data["include"] == INCLUDE
