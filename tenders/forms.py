from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import WallClockForm, wall_clock
from portal.text import SingleLineField
from tenders.models import AuthorityType, ContractType


class MilestoneChangeForm(WallClockForm):
    """A new date and time on the Dutch wall clock (Europe/Amsterdam) and the reason."""

    moment_field = "due_at"

    reason = forms.CharField(
        label=_("Reason for the change"),
        help_text=_("Participants receive this reason in their e-mail."),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Give the reason for the change.")},
    )


class ProgrammeForm(forms.Form):
    """A new programme (joint tender) with its timeline, all in Dutch wall-clock time."""

    REQUIRED_MILESTONES = ("joining_deadline", "demand_deadline")

    name = SingleLineField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example GT Hardware – werkplek."),
        error_messages={"required": _("Enter the name of the programme.")},
    )
    slug = forms.SlugField(
        label=_("Short name in web addresses"),
        max_length=80,
        required=False,
        help_text=_(
            "Lower-case letters, digits and hyphens. Leave empty to derive it from the name."
        ),
        error_messages={"invalid": _("Use only lower-case letters, digits and hyphens.")},
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=())
    contract_start_year = forms.IntegerField(
        label=_("First contract year"),
        min_value=2020,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the first year of the contract term."),
            "invalid": _("Enter a year as four digits, for example 2028."),
            "min_value": _("Enter a year from 2020."),
            "max_value": _("Enter a year until 2100."),
        },
    )
    contract_years = forms.IntegerField(
        label=_("Contract term in years"),
        min_value=1,
        max_value=10,
        initial=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the contract term in years."),
            "invalid": _("Enter a whole number of years, for example 4."),
            "min_value": _("The contract term is at least 1 year."),
            "max_value": _("The contract term is at most 10 years."),
        },
    )
    extension_years = forms.IntegerField(
        label=_("Extension options in years"),
        min_value=0,
        max_value=6,
        initial=0,
        required=False,
        help_text=_("The years by which the term may be extended; empty or 0 means none."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter a whole number of years, for example 0 or 2."),
            "min_value": _("Enter 0 or more years of extension options."),
            "max_value": _("The extension options are at most 6 years."),
        },
    )
    authority_type = forms.ChoiceField(
        label=_("Kind of contracting authority"),
        choices=AuthorityType.choices,
        initial=AuthorityType.SUB_CENTRAL,
        required=False,  # empty: sub-central, as municipalities are
        help_text=_(
            "Selects the EU threshold (Directive 2014/24/EU, article 4). Municipalities are "
            "sub-central authorities."
        ),
    )
    contract_type = forms.ChoiceField(
        label=_("Kind of contract"),
        choices=ContractType.choices,
        initial=ContractType.SUPPLIES,
        required=False,  # empty: supplies
    )
    term_justification = forms.CharField(
        label=_("Justification of a term over four years"),
        widget=forms.Textarea,
        required=False,
        max_length=4000,
        help_text=_(
            "Only needed when the term with its extensions is longer than 4 years: why this "
            "exceptional case needs it (Directive 2014/24/EU, article 33(1))."
        ),
    )

    def __init__(self, *args, statuses, milestone_kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = statuses
        self.milestone_kinds = milestone_kinds
        for kind, label in milestone_kinds:
            required = kind in self.REQUIRED_MILESTONES
            self.fields[f"{kind}_date"] = forms.DateField(
                label=_("%(milestone)s: date") % {"milestone": label},
                required=required,
                input_formats=["%d-%m-%Y", "%Y-%m-%d"],
                help_text=_("Day-month-year, for example 29-01-2027."),
                error_messages={
                    "required": _("Enter the date of: %(milestone)s.") % {"milestone": label},
                    "invalid": _("Enter the date as day-month-year, for example 29-01-2027."),
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
            self.fields[f"{kind}_time"] = forms.TimeField(
                label=_("%(milestone)s: time") % {"milestone": label},
                required=False,
                input_formats=["%H:%M", "%H.%M"],
                help_text=_("Dutch time; empty means 17:00."),
                error_messages={
                    "invalid": _("Enter the time as hours:minutes, for example 17:00."),
                },
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def clean_authority_type(self):
        return self.cleaned_data.get("authority_type") or AuthorityType.SUB_CENTRAL

    def clean_contract_type(self):
        return self.cleaned_data.get("contract_type") or ContractType.SUPPLIES

    def clean_extension_years(self):
        return self.cleaned_data.get("extension_years") or 0

    def clean(self):
        from datetime import time as time_of_day

        cleaned = super().clean()
        milestones = {}
        for kind, _label in self.milestone_kinds:
            day = cleaned.get(f"{kind}_date")
            if day is None:
                continue
            moment = wall_clock(day, cleaned.get(f"{kind}_time") or time_of_day(17, 0))
            if moment is None:
                self.add_error(
                    f"{kind}_time", _("This time does not exist on that day (clocks go forward).")
                )
                continue
            milestones[kind] = moment
        cleaned["milestones"] = milestones
        return cleaned


class LotForm(forms.Form):
    number = forms.IntegerField(
        label=_("Lot number"),
        min_value=1,
        max_value=99,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the lot number."),
            "invalid": _("Enter a whole number, for example 1."),
            "min_value": _("The lot number is at least 1."),
            "max_value": _("The lot number is at most 99."),
        },
    )
    name = SingleLineField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter the name of the lot.")},
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("Catalogue categories in this lot"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one category.")},
    )
    cpv_codes = forms.ModelMultipleChoiceField(
        label=_("CPV codes"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    headroom_percent = forms.DecimalField(
        label=_("Headroom for the maximum (%)"),
        help_text=_("The maximum quantity and value are the estimate plus this percentage."),
        min_value=0,
        max_value=500,
        decimal_places=2,
        localize=True,
        initial=25,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the headroom percentage."),
            "invalid": _("Enter a percentage, for example 25."),
            "min_value": _("Enter 0 or more."),
            "max_value": _("Enter at most 500."),
        },
    )

    def __init__(self, *args, **kwargs):
        from catalog.models import Category, CpvCode

        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.filter(is_active=True)
        self.fields["cpv_codes"].queryset = CpvCode.objects.all()
