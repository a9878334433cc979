"""Forms of a participation: joining a programme, the mandate, and the reason for a decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipalities.models import ContactPerson, Municipality, SigningAuthority
from portal.idempotency import IdempotencyKeyField
from portal.models import Organisation
from portal.text import SingleLineField

DATE_FORMATS = ["%d-%m-%Y", "%d-%m-%y", "%Y-%m-%d"]


class ParticipationForm(forms.Form):
    FOR_MUNICIPALITIES, FOR_OWN_STAFF = "municipalities", "own_staff"

    joins_for = forms.ChoiceField(
        label=_("You join for"),
        choices=[
            (FOR_MUNICIPALITIES, _("The municipalities we act for")),
            (FOR_OWN_STAFF, _("Our own staff (the municipalities join themselves)")),
        ],
        widget=forms.RadioSelect,
        initial=FOR_MUNICIPALITIES,
        required=False,  # without a choice: for the municipalities
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities you join for"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seat_municipality = forms.ModelChoiceField(
        label=_("Municipality where your organisation is established"),
        help_text=_("Your demand is recorded there, for the overview per province."),
        queryset=Municipality.objects.current().order_by("name"),
        required=False,
    )
    current_contract_end = forms.DateField(
        label=_("End date of your current hardware contract"),
        help_text=_("For example 31-12-2027. We use it to plan your mini-competition."),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter the date as day-month-year, for example 31-12-2027.")},
    )
    lots = forms.ModelMultipleChoiceField(
        label=_("Lots you are interested in"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea, max_length=2000
    )

    def __init__(
        self,
        *args,
        municipalities,
        lots,
        fixed_municipality=None,
        organisation_kind=Organisation.Kind.MUNICIPALITY,
        own_staff=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = municipalities
        # A joint body chooses for whom it joins; another contracting authority (a deelneming)
        # always joins for its own staff; a municipality for itself. Once registered, the
        # choice stays (``own_staff`` is the registration's).
        self.fixed_own_staff = own_staff
        if organisation_kind == Organisation.Kind.OTHER_AUTHORITY:
            self.fixed_own_staff = True
        elif organisation_kind != Organisation.Kind.JOINT_BODY:
            self.fixed_own_staff = False
        if self.fixed_own_staff is not None:
            del self.fields["joins_for"]
        if self.fixed_own_staff is False:
            del self.fields["seat_municipality"]
        elif self.fixed_own_staff is True:
            del self.fields["municipalities"]
            if own_staff is not None:  # editing: the seat stays as registered
                del self.fields["seat_municipality"]
        self.fields["lots"].queryset = lots
        if fixed_municipality is not None:
            # A municipality joins for itself only: nothing to choose.
            self.fields["municipalities"].widget = forms.MultipleHiddenInput()
            self.initial.setdefault("municipalities", [fixed_municipality.pk])
        if not lots.exists():
            del self.fields["lots"]
        for kind, label in ContactPerson.Kind.choices:
            required = kind == ContactPerson.Kind.PROCUREMENT
            self.fields[f"{kind}_name"] = SingleLineField(
                label=_("Name, contact for %(kind)s") % {"kind": str(label).lower()},
                required=required,
                max_length=200,
                error_messages={"required": _("Enter the name of the contact for procurement.")},
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
            )
            self.fields[f"{kind}_email"] = forms.EmailField(
                label=_("E-mail address, contact for %(kind)s") % {"kind": str(label).lower()},
                required=required,
                error_messages={
                    "required": _("Enter the e-mail address of the contact for procurement."),
                    "invalid": _(
                        "Enter an e-mail address in the right format, like naam@gemeente.nl."
                    ),
                },
                widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            )
            self.fields[f"{kind}_phone"] = SingleLineField(
                label=_("Telephone number, contact for %(kind)s") % {"kind": str(label).lower()},
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            )

    @property
    def own_staff(self) -> bool:
        if self.fixed_own_staff is not None:
            return self.fixed_own_staff
        return self.cleaned_data.get("joins_for") == self.FOR_OWN_STAFF

    def clean(self):
        data = super().clean()
        if self.own_staff:
            if "seat_municipality" in self.fields and not data.get("seat_municipality"):
                self.add_error(
                    "seat_municipality",
                    _("Choose the municipality where your organisation is established."),
                )
        elif (
            "municipalities" in self.fields
            and not data.get("municipalities")
            and "municipalities" not in self.errors
        ):
            self.add_error("municipalities", _("Choose at least one municipality."))
        for kind, _label in ContactPerson.Kind.choices:
            name, email = data.get(f"{kind}_name"), data.get(f"{kind}_email")
            if name and not email and f"{kind}_email" not in self.errors:
                self.add_error(f"{kind}_email", _("Enter the e-mail address of this contact."))
            if email and not name and f"{kind}_name" not in self.errors:
                self.add_error(f"{kind}_name", _("Enter the name of this contact."))
        return data

    def contacts(self) -> dict[str, dict]:
        return {
            kind: {
                "name": self.cleaned_data.get(f"{kind}_name", ""),
                "email": self.cleaned_data.get(f"{kind}_email", ""),
                "phone": self.cleaned_data.get(f"{kind}_phone", ""),
            }
            for kind, _label in ContactPerson.Kind.choices
        }

    @staticmethod
    def initial_for(participation) -> dict:
        initial = {
            "municipalities": [c.municipality_id for c in participation.covered.all()],
            "current_contract_end": participation.current_contract_end,
            "lots": [lot.pk for lot in participation.lots.all()],
            "remarks": participation.remarks,
        }
        for contact in participation.contacts.all():
            initial[f"{contact.kind}_name"] = contact.name
            initial[f"{contact.kind}_email"] = contact.email
            initial[f"{contact.kind}_phone"] = contact.phone
        return initial


class MandateRequestForm(forms.Form):
    # The version names the signer recorded for the participation; nothing is typed here.
    idempotency_key = IdempotencyKeyField()


class SigningAuthorityForm(forms.Form):
    decision_date = forms.DateField(
        label=_("Date of the college's decision"),
        help_text=_(
            "The decision of the college of mayor and aldermen to take part (Gemeentewet "
            "art. 160), for example 14-01-2026."
        ),
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Enter the date of the college's decision."),
            "invalid": _("Enter the date as day-month-year, for example 14-01-2026."),
        },
    )
    decision_reference = SingleLineField(
        label=_("Reference of the college's decision"),
        max_length=100,
        error_messages={"required": _("Enter the reference of the college's decision.")},
    )
    decision_file = forms.FileField(
        label=_("The college's decision (PDF, at most 10 MB)"),
        required=False,
        error_messages={"empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    basis = forms.ChoiceField(
        label=_("Who signs the mandate"),
        choices=SigningAuthority.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who signs: the mayor or a person the mayor designated.")
        },
    )
    designation_file = forms.FileField(
        label=_("The mayor's written designation (PDF, at most 10 MB)"),
        help_text=_("Only needed when someone other than the mayor signs."),
        required=False,
        error_messages={"empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    signer = forms.ModelChoiceField(
        label=_("The signer's account in the portal"),
        help_text=_("Only this person can sign the mandate in the portal."),
        queryset=None,
        error_messages={
            "required": _("Choose the person who signs in the portal from your organisation."),
            "invalid_choice": _(
                "Choose the person who signs in the portal from your organisation."
            ),
        },
    )
    signer_name = SingleLineField(
        label=_("Name of the person who signs"),
        help_text=_("As it is written in the decision or the designation."),
        max_length=200,
        error_messages={"required": _("Enter the name of the person who signs.")},
    )
    signer_function = SingleLineField(
        label=_("Function of the person who signs"),
        max_length=200,
        error_messages={
            "required": _("Enter the function of the person who signs, e.g. burgemeester.")
        },
    )

    def __init__(self, *args, signers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = signers
        self.fields["signer"].label_from_instance = lambda user: (
            f"{user.name} ({user.email})" if user.name else user.email
        )

    @staticmethod
    def initial_for(authority) -> dict:
        if authority is None:
            return {}
        return {
            "decision_date": authority.decision_date,
            "decision_reference": authority.decision_reference,
            "basis": authority.basis,
            "signer": authority.signer_id,
            "signer_name": authority.signer_name,
            "signer_function": authority.signer_function,
        }


class MandateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Signed mandate (PDF, at most 10 MB)"),
        error_messages={"required": _("Choose a PDF file."), "empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class MandateSignForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Signing is confirmed with two-factor authentication."),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("Enter the code from your authenticator app.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Give the reason.")},
    )

    def __init__(self, *args, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
