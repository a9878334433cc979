"""Forms of the 1-on-1 talks: input parsing only; the rules live in services_talks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import WallClockForm


def _whole_number(label, *, required_message, help_text="", required=True):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        help_text=help_text,
        error_messages={
            "required": required_message,
            "invalid": _("Enter a whole number, for example 45."),
            "min_value": _("Enter a whole number, for example 45."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class SlotsForm(WallClockForm):
    """A series of talks: the date and start of the first, their length, how many, and an
    optional break between them. ``clean`` puts the aware start in ``first_start``."""

    moment_field = "first_start"

    date_label = _("Date of the talks")
    date_required = _("Enter the date of the talks.")
    time_label = _("Start time of the first talk")
    time_required = _("Enter the start time of the first talk.")
    time_help = _("Dutch time, 24-hour clock, for example 09:30.")

    length_minutes = _whole_number(
        _("Length of each talk (minutes)"),
        required_message=_("Enter the length of each talk in minutes."),
    )
    count = _whole_number(
        _("Number of talks"),
        required_message=_("Enter the number of talks."),
        help_text=_("The talks follow each other; at most 40 at a time."),
    )
    break_minutes = _whole_number(
        _("Break between the talks (minutes)"),
        required_message="",
        required=False,
        help_text=_("Empty means no break."),
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        required=False,
        help_text=_("An address, a room or 'Online (link follows by e-mail)'."),
        error_messages={"max_length": _("Enter a location of at most 200 characters.")},
    )

    def __init__(self, *args, length_minutes: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if length_minutes:
            # Every talk lasts equally long: say so where the length is entered.
            self.fields["length_minutes"].initial = length_minutes
            self.fields["length_minutes"].help_text = _(
                "Every talk of this market consultation lasts %(minutes)s minutes."
            ) % {"minutes": length_minutes}


class MinutesForm(forms.Form):
    file = forms.FileField(
        label=_("Minutes (PDF, at most 10 MB)"),
        help_text=_("Only the project team and this supplier can read the minutes."),
        error_messages={"required": _("Choose a PDF file."), "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
