from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Category


class ReferencePriceForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        empty_label=None,
        error_messages={"required": _("Choose a category.")},
    )
    unit_price = forms.DecimalField(
        label=_("Unit price in euros, excl. VAT"),
        help_text=_("For example 949,50."),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the unit price."),
            "invalid": _("Enter an amount, for example 949,50."),
            "min_value": _("Enter a price of 0 or more."),
            "max_decimal_places": _("Enter at most 2 decimals."),
        },
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        help_text=_("Day-month-year, for example 01-01-2027."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the date from which the price applies."),
            "invalid": _("Enter the date as day-month-year, for example 01-01-2027."),
        },
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("For example: market consultation 2027, or a price list with its date."),
        error_messages={"required": _("Say where the price comes from.")},
    )
