from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the invitation to this address. The link is valid for 14 days."),
        error_messages={
            "required": _("Enter the e-mail address of the person you want to invite."),
            "invalid": _("Enter an e-mail address in the right format, like naam@gemeente.nl."),
        },
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.VIEWER,
        widget=forms.RadioSelect,
        help_text=_(
            "Administrators manage colleagues, editors enter and change data, "
            "viewers can only read."
        ),
        error_messages={"required": _("Choose a role.")},
    )
    is_signatory = forms.BooleanField(
        label=_("Authorised signatory (may sign the mandate)"),
        required=False,
    )


class OrganisationSwitchForm(forms.Form):
    organisation = forms.UUIDField()


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names, or on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def post_data(request):
    """The submitted data of a POST (even an empty one), or None for a GET: an empty POST
    must be validated, not shown as a fresh form."""
    return request.POST if request.method == "POST" else None


def wall_clock(day, time):
    """A Dutch wall-clock date and time as an aware datetime (Europe/Amsterdam), or None for
    a time that does not exist on that day (skipped when the clocks go forward)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.conf import settings

    zone = ZoneInfo(settings.TIME_ZONE)
    local = datetime.combine(day, time, tzinfo=zone)
    if local.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != (
        local.replace(tzinfo=None)
    ):
        return None
    return local


class WallClockForm(forms.Form):
    """A new date and time on the Dutch wall clock; ``clean`` puts the aware datetime in
    ``cleaned_data[moment_field]``. A subclass may name the fields for what they mean with
    ``date_label``/``date_required`` and ``time_label``/``time_required``/``time_help``."""

    moment_field = "moment"
    date_label = date_required = time_label = time_required = time_help = None

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date, time = self.fields["date"], self.fields["time"]
        if self.date_label:
            date.label = self.date_label
        if self.date_required:
            date.error_messages["required"] = self.date_required
        if self.time_label:
            time.label = self.time_label
        if self.time_required:
            time.error_messages["required"] = self.time_required
        if self.time_help:
            time.help_text = self.time_help

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("time")
        if day is None or time is None:
            return cleaned
        moment = wall_clock(day, time)
        if moment is None:
            self.add_error("time", _("This time does not exist on that day (clocks go forward)."))
            return cleaned
        cleaned[self.moment_field] = moment
        return cleaned


class AccountRemoveForm(forms.Form):
    """The confirmation of a removal: by the person (``person`` None) or of ``person``."""

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            field = self.fields["confirm"]
            field.label = _("Yes, remove %(name)s and their personal data") % {"name": person}
            field.error_messages["required"] = _(
                "Tick the box to confirm that you want to remove this person."
            )

    confirm = forms.BooleanField(
        label=_("Yes, remove my account and my personal data"),
        help_text=_("This cannot be undone."),
        error_messages={
            "required": _("Tick the box to confirm that you want to remove your account.")
        },
    )
