"""Forms for the project team's actions on a participant's demand."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class DemandReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the participant change?"),
        help_text=_("The participant receives this comment in an e-mail and on the form."),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Explain what the participant should change.")},
    )


class DemandExtendForm(forms.Form):
    """A new deadline on the Dutch wall clock (Europe/Amsterdam) and the reason."""

    date = forms.DateField(
        label=_("New date"),
        help_text=_("For example 25-11-2026 (day-month-year)."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        error_messages={
            "required": _("Enter the new date."),
            "invalid": _("Enter the date as day-month-year, for example 25-11-2026."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    time = forms.TimeField(
        label=_("New time"),
        help_text=_("Dutch time, 24-hour clock, for example 17:00."),
        input_formats=["%H:%M", "%H.%M"],
        error_messages={
            "required": _("Enter the new time."),
            "invalid": _("Enter the time as hours:minutes, for example 17:00."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Reason for the extension"),
        help_text=_("The participant receives this reason in an e-mail."),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Give the reason for the extension.")},
    )

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("time")
        if day is None or time is None:
            return cleaned
        zone = ZoneInfo(settings.TIME_ZONE)
        local = datetime.combine(day, time, tzinfo=zone)
        # A wall-clock time skipped when the clocks go forward does not survive a round trip.
        if local.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != (
            local.replace(tzinfo=None)
        ):
            self.add_error("time", _("This time does not exist on that day (clocks go forward)."))
            return cleaned
        cleaned["until"] = local
        return cleaned
