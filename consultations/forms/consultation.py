"""Forms of the market consultation: input parsing only; the rules live in the services."""

from __future__ import annotations

from datetime import time as time_of_day

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import Question
from portal.forms import wall_clock
from portal.text import SingleLineField

DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%H.%M"]


def _date_field(label, required_message):
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        help_text=_("Day-month-year, for example 29-01-2027."),
        error_messages={
            "required": required_message,
            "invalid": _("Enter the date as day-month-year, for example 29-01-2027."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _time_field(label):
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=TIME_FORMATS,
        help_text=_("Dutch time; empty means 17:00."),
        error_messages={"invalid": _("Enter the time as hours:minutes, for example 17:00.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ConsultationForm(forms.Form):
    """Title, introduction and period of a consultation, in Dutch wall-clock time."""

    title = SingleLineField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter the title of the market consultation.")},
    )
    slug = forms.SlugField(
        label=_("Short name in web addresses"),
        max_length=80,
        required=False,
        help_text=_(
            "Lower-case letters, digits and hyphens. Leave empty to derive it from the title."
        ),
        error_messages={"invalid": _("Use only lower-case letters, digits and hyphens.")},
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        widget=forms.Textarea,
        required=False,
        help_text=_("What the consultation is about and what you ask of suppliers."),
    )
    opens_date = _date_field(_("Opens on"), _("Enter the date the consultation opens."))
    opens_time = _time_field(_("Opens at (time)"))
    closes_date = _date_field(_("Closes on"), _("Enter the date the consultation closes."))
    closes_time = _time_field(_("Closes at (time)"))

    def __init__(self, *args, with_slug: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_slug:
            del self.fields["slug"]

    def clean(self):
        cleaned = super().clean()
        for prefix in ("opens", "closes"):
            day = cleaned.get(f"{prefix}_date")
            if day is None:
                continue
            moment = wall_clock(day, cleaned.get(f"{prefix}_time") or time_of_day(17, 0))
            if moment is None:
                self.add_error(
                    f"{prefix}_time",
                    _("This time does not exist on that day (clocks go forward)."),
                )
                continue
            cleaned[f"{prefix}_at"] = moment
        return cleaned


class DocumentForm(forms.Form):
    title = SingleLineField(
        label=_("Title of the document"),
        max_length=200,
        error_messages={"required": _("Enter the title of the document.")},
    )
    file = forms.FileField(
        label=_("Document (PDF, at most 10 MB)"),
        error_messages={"required": _("Choose a PDF file."), "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class SectionForm(forms.Form):
    title = SingleLineField(
        label=_("Title of the section"),
        max_length=200,
        error_messages={"required": _("Enter the title of the section.")},
    )
    key = forms.SlugField(
        label=_("Key of the section"),
        max_length=60,
        required=False,
        help_text=_("A fixed name that stays the same in every version. Empty: from the title."),
        error_messages={"invalid": _("Use only lower-case letters, digits and hyphens.")},
    )


class QuestionForm(forms.Form):
    section = forms.TypedChoiceField(
        label=_("Section"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Choose the section of the question."),
            "invalid_choice": _("Choose the section of the question."),
        },
    )
    type = forms.ChoiceField(
        label=_("Type of question"),
        choices=Question.Type.choices,
        error_messages={"required": _("Choose the type of question.")},
    )
    text = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Enter the question.")},
    )
    help_text = forms.CharField(
        label=_("Explanation for the supplier"), widget=forms.Textarea, required=False
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    key = forms.SlugField(
        label=_("Key of the question"),
        max_length=60,
        required=False,
        help_text=_(
            "A fixed name that stays the same in every version, so answers can be compared. "
            "Empty: the portal chooses one."
        ),
        error_messages={"invalid": _("Use only lower-case letters, digits and hyphens.")},
    )
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Only for one choice and several choices: one option per line, at least two."),
    )
    max_length = forms.IntegerField(
        label=_("Maximum number of characters"),
        required=False,
        min_value=1,
        max_value=20000,
        help_text=_("Only for long text, and required there. For example 2000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter a whole number, for example 2000."),
            "min_value": _("Enter at least 1."),
            "max_value": _("Enter at most 20000."),
        },
    )
    unit = SingleLineField(
        label=_("Unit"),
        max_length=40,
        required=False,
        help_text=_("Only for a number, for example days or kg CO2."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Catalogue categories to ask a price for"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a price per catalogue item, and required there."),
    )

    def __init__(self, *args, sections=(), **kwargs):
        from catalog.models import Category

        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, s.title) for s in sections]
        self.fields["categories"].queryset = Category.objects.filter(is_active=True)

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
