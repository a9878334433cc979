"""Forms of a supplier's identity: an extract, a confirmation at the company's domain, a
dispute, and the project team's decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.text import SingleLineField

TEXT_MAX = 2000


class ExtractUploadForm(forms.Form):
    file = forms.FileField(
        label=_("KvK extract (PDF)"),
        help_text=_("An extract from the trade register (Handelsregister) of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Choose a PDF file.")},
    )


class DomainConfirmationForm(forms.Form):
    website = SingleLineField(
        label=_("Website of your company"),
        max_length=200,
        help_text=_("For example www.example.nl."),
        widget=forms.TextInput(attrs={"autocomplete": "url"}),
        error_messages={
            "required": _("Enter the website of your company, for example www.example.nl.")
        },
    )
    email = forms.EmailField(
        label=_("E-mail address at your company's domain"),
        max_length=254,
        help_text=_(
            "We send a confirmation link to this address. Your own address at the company "
            "domain will do."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter an e-mail address, for example name@example.nl."),
            "invalid": _("Enter an e-mail address, for example name@example.nl."),
        },
    )


class DisputeForm(forms.Form):
    explanation = forms.CharField(
        label=_("Why was the current registration not authorised by your company?"),
        help_text=_(
            "The project team reads this, not the people who registered the company. It may "
            "ask you for a KvK extract."
        ),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"character_count": True, "maxlength": TEXT_MAX}),
        error_messages={
            "required": _(
                "Explain why the current registration was not authorised by your company."
            )
        },
    )


class ExtractDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: the company is verified")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose approve or reject.")},
    )
    reason = forms.CharField(
        label=_("Reason (needed when you reject)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"maxlength": TEXT_MAX}),
    )


class DisputeResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("keep", _("Keep the current registration")),
            ("transfer", _("Transfer the administration to the person disputing")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    resolution = forms.CharField(
        label=_("What was checked and decided"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"maxlength": TEXT_MAX}),
        error_messages={"required": _("Record what was checked and decided.")},
    )
