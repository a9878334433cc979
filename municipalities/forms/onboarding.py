"""Forms of onboarding: finding an organisation, asking to join it, deciding, bulk invitation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Role


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or CBS code of your organisation"),
        help_text=_("For example Zeist, or the CBS code GM0355."),
        min_length=2,
        max_length=100,
        error_messages={
            "required": _("Enter at least two letters of the name, or the CBS code."),
            "min_length": _("Enter at least two letters of the name, or the CBS code."),
            "max_length": _("Enter at most 100 characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )


class JoinRequestForm(forms.Form):
    function = forms.CharField(
        label=_("Your function"),
        help_text=_("So that the person who decides knows who you are, for example Inkoper."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    message = forms.CharField(
        label=_("Message to the person who decides"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "character_count": True}),
        error_messages={"max_length": _("Use at most 1000 characters.")},
    )


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.HiddenInput,
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.EDITOR,
        required=False,
        widget=forms.RadioSelect,
    )


class BulkInvitationForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet with contacts"),
        help_text=_(
            "An .xlsx or .csv file with one row per person and the columns CBS-code, Naam, "
            "E-mailadres, Rol (Beheerder, Redacteur or Lezer; Algemeen adres for the "
            "municipality's general address, which gets the reminders while nobody of the "
            "municipality has an account) and Tekenbevoegd (ja or nee). At most 2,000 rows "
            "and 2 MB."
        ),
        error_messages={"required": _("Choose a spreadsheet (.xlsx or .csv).")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class AuthorityCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter the name of the organisation.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("joint_body", _("Joint body (acts for municipalities)")),
            ("other_authority", _("Other contracting authority (buys for its own staff)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of organisation.")},
    )
    cbs_codes = forms.CharField(
        label=_("CBS codes of the municipalities it acts for"),
        help_text=_("Only for a joint body. Separate them by commas, for example GM0355, GM0310."),
        max_length=2000,
        required=False,
    )
    kvk_number = forms.RegexField(
        label=_("KvK number"),
        regex=r"^\d{8}$",
        required=False,
        help_text=_("Eight digits."),
        error_messages={"invalid": _("A KvK number has eight digits.")},
    )
    oin = forms.RegexField(
        label=_("OIN"),
        regex=r"^\d{20}$",
        required=False,
        help_text=_("The Organisatie-identificatienummer: twenty digits."),
        error_messages={"invalid": _("An OIN has twenty digits.")},
    )
