"""The form of a point from the 1-on-1 talks: input parsing only; the rules live in the
service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.services.talk_findings import MAX_FINDING_LENGTH


class TalkFindingForm(forms.Form):
    text = forms.CharField(
        label=_("Point from the talks"),
        help_text=_(
            "What every supplier should know, in neutral words: no company, product or person "
            "names, KvK numbers, e-mail addresses or web addresses. Another member of the "
            "project team approves it before it appears in the report."
        ),
        max_length=MAX_FINDING_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": _("Write the point from the talks."),
            "max_length": _("This text can be at most %(limit_value)d characters long."),
        },
    )
