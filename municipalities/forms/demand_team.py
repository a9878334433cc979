"""Forms for the project team's actions on a participant's demand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import WallClockForm


class DemandReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the participant change?"),
        help_text=_("The participant receives this comment in an e-mail and on the form."),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Explain what the participant should change.")},
    )


class DemandExtendForm(WallClockForm):
    """A new deadline on the Dutch wall clock (Europe/Amsterdam) and the reason."""

    moment_field = "until"

    reason = forms.CharField(
        label=_("Reason for the extension"),
        help_text=_("The participant receives this reason in an e-mail."),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Give the reason for the extension.")},
    )
