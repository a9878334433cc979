from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Role


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
