from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.text import SingleLineField
from suppliers.validators import normalise_postcode, validate_kvk_number, validate_vat_number

# The Netherlands first, then the other EU member states, then "other".
COUNTRY_CHOICES = [
    ("NL", _("Netherlands")),
    ("BE", _("Belgium")),
    ("DE", _("Germany")),
    ("FR", _("France")),
    ("LU", _("Luxembourg")),
    ("AT", _("Austria")),
    ("DK", _("Denmark")),
    ("ES", _("Spain")),
    ("FI", _("Finland")),
    ("IE", _("Ireland")),
    ("IT", _("Italy")),
    ("PL", _("Poland")),
    ("PT", _("Portugal")),
    ("SE", _("Sweden")),
    ("XX", _("Other country")),
]
OTHER_COUNTRY = "XX"


class SupplierRegistrationForm(forms.Form):
    """The fields a company registers with. Requiredness that depends on the country (KvK
    number and postcode for Dutch companies) is checked in clean(); the service checks the
    same again."""

    name = SingleLineField(
        label=_("Company name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": _("Enter the name of your company.")},
    )
    country = forms.ChoiceField(
        label=_("Country of registration"),
        choices=COUNTRY_CHOICES,
        initial="NL",
        error_messages={
            "required": _("Choose the country where your company is registered."),
            "invalid_choice": _("Choose the country where your company is registered."),
        },
    )
    kvk_number = forms.CharField(
        label=_("KvK number"),
        required=False,
        max_length=12,
        help_text=_("8 digits. Required for companies registered in the Netherlands."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    foreign_registration_number = SingleLineField(
        label=_("Registration number in your own country"),
        required=False,
        max_length=50,
        help_text=_("Only for companies outside the Netherlands without a KvK number."),
    )
    street = SingleLineField(
        label=_("Street"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={"required": _("Enter the street.")},
    )
    house_number = SingleLineField(
        label=_("House number"),
        max_length=20,
        error_messages={"required": _("Enter the house number.")},
    )
    postcode = SingleLineField(
        label=_("Postcode"),
        required=False,
        max_length=20,
        help_text=_("For example 1234 AB. Required for addresses in the Netherlands."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    city = SingleLineField(
        label=_("City"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        error_messages={"required": _("Enter the city.")},
    )
    vat_number = forms.CharField(
        label=_("VAT number"),
        required=False,
        max_length=20,
        help_text=_("For example NL000099998B57."),
    )

    def clean(self):
        data = super().clean()
        country = data.get("country")
        if country == "NL":
            if not data.get("kvk_number"):
                self.add_error("kvk_number", _("Enter the KvK number of your company."))
            if not data.get("postcode"):
                self.add_error("postcode", _("Enter the postcode."))
        elif country and not data.get("kvk_number") and not data.get("foreign_registration_number"):
            self.add_error(
                "foreign_registration_number",
                _("Enter the registration number of your company in its own country."),
            )
        for field, check in (
            ("kvk_number", validate_kvk_number),
            ("postcode", normalise_postcode if country == "NL" else None),
        ):
            if check and data.get(field) and field not in self.errors:
                try:
                    data[field] = check(data[field])
                except ValidationError as exc:
                    self.add_error(field, exc)
        if data.get("vat_number") and country:
            try:
                data["vat_number"] = validate_vat_number(
                    data["vat_number"], country="" if country == OTHER_COUNTRY else country
                )
            except ValidationError as exc:
                self.add_error("vat_number", exc)
        return data
