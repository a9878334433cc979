"""Single-line fields (names, functions, titles, addresses) refuse line breaks, tabs, other
control characters and invisible zero-width or text-direction characters, in one rule used by
the forms, the models, the API and the services. The finding: a company name with CR/LF was
stored, after which every mail about the company failed and an invitation answered 500."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import AuditEvent, Invitation, Membership, Organisation, OutboxMessage
from portal.text import validate_single_line
from suppliers.models import SupplierProfile
from suppliers.services import supplier_register
from suppliers.tests.test_services import COMPANY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = _(
    "Enter this on one line, without line breaks, tabs or invisible characters "
    "(such as a zero-width space or a text-direction mark)."
)
BAD = [
    "Hardware Huis\r\nBcc: iedereen@example.com",
    "Hardware Huis\nB.V.",
    "Hardware\rHuis",
    "Hardware\tHuis",
    "Hardware\x00Huis",
    "Hardware\x1bHuis",
    "Hardware\x85Huis",  # NEL, a C1 control
    "Hard\u200bware Huis",  # zero-width space
    "Hard\u200dware Huis",  # zero-width joiner
    "Hardware\u2028Huis",  # line separator
    "\u202eHuis Hardware",  # right-to-left override
    "Hardware \u2066Huis\u2069",  # isolate
    "Hardware\u200fHuis",  # right-to-left mark
    "\ufeffHardware Huis",
]
GOOD = ["Hardware Huis B.V.", "Gemeente 's-Hertogenbosch", "Überbüro & Zoon", "Café Ōsaka – 2"]


@pytest.mark.parametrize("value", BAD)
def test_control_and_invisible_characters_are_refused(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_single_line(value)
    assert excinfo.value.messages == [MESSAGE]


@pytest.mark.parametrize("value", GOOD)
def test_ordinary_names_pass(value):
    validate_single_line(value)


@pytest.mark.parametrize("field", ["name", "street", "house_number", "city"])
def test_the_service_refuses_and_stores_nothing(field):
    with pytest.raises(ValidationError) as excinfo:
        supplier_register(actor=UserFactory(), **{**COMPANY, field: f"{COMPANY[field]}\r\nX"})
    assert excinfo.value.message_dict[field] == [MESSAGE]
    assert not Organisation.objects.exists() and not AuditEvent.objects.exists()


def test_the_registration_form_shows_the_error_next_to_the_name_and_stores_nothing():
    client = Client()
    client.force_login(UserFactory())
    name = "Hardware Huis\r\nBcc: iedereen@example.com"
    response = client.post("/leveranciers/registreren", {**COMPANY, "name": name})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"name"}
    page = response.content.decode()
    assert 'id="id_name-error"' in page and MESSAGE in page
    assert not Organisation.objects.exists() and not SupplierProfile.objects.exists()


def test_the_invitation_flow_of_a_company_named_with_a_line_break(
    mailoutbox, django_capture_on_commit_callbacks
):
    """A company that registers with CR/LF in its name is refused; a name stored before the
    rule (or by a path that skipped it) no longer breaks the invitation and its mail."""
    admin = UserFactory(email="admin@hardwarehuis.nl")
    client = Client()
    client.force_login(admin)
    name = "Hardware Huis\r\nBcc: iedereen@example.com"
    refused = client.post("/leveranciers/registreren", {**COMPANY, "name": name})
    assert refused.status_code == 422
    assert not Organisation.objects.exists()

    organisation = supplier_register(actor=admin, **COMPANY)
    Organisation.objects.filter(pk=organisation.pk).update(name=name)  # stored before the rule
    with django_capture_on_commit_callbacks(execute=True):
        invited = client.post(
            reverse("portal:invitation-create", args=[organisation.slug]),
            {"email": "collega@hardwarehuis.nl", "role": "editor"},
        )
    assert invited.status_code == 302
    assert [mail.to for mail in mailoutbox] == [["collega@hardwarehuis.nl"]]
    mail = mailoutbox[0]
    assert "\r" not in mail.subject and "\n" not in mail.subject
    assert "Bcc" not in str(mail.message()).split("\n\n", 1)[0].replace(mail.subject, "")
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()

    link = re.search(r"https?://[^\s]+/uitnodiging/[^\s]+", mail.body).group(0)
    colleague = Client()
    colleague.force_login(UserFactory(email="collega@hardwarehuis.nl"))
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert colleague.get(path).status_code == 200
    accepted = colleague.post(path)
    assert accepted.status_code == 302
    assert colleague.get(accepted["Location"]).status_code == 200
    assert Membership.objects.filter(
        organisation=organisation, user__email="collega@hardwarehuis.nl"
    ).exists()
    assert Invitation.objects.get().accepted_at is not None


def test_every_single_line_name_and_title_uses_the_rule():
    """The fields where people type a name, function, title or address: one rule for all."""
    from consultations.api.serializers_parts import ConsultationReportRequestSerializer
    from consultations.forms.consultation import ConsultationForm, DocumentForm, SectionForm
    from consultations.models import Consultation
    from municipalities.forms.participation import SigningAuthorityForm
    from municipalities.models import ContactPerson, MandateSignature, SigningAuthority
    from portal.models import User
    from portal.text import SingleLineCharField, SingleLineField
    from suppliers.forms import SupplierRegistrationForm
    from tenders.forms import LotForm, ProgrammeForm
    from tenders.models import Lot, Programme, Tender

    forms = [
        (SupplierRegistrationForm, ["name", "street", "house_number", "postcode", "city"]),
        (SigningAuthorityForm, ["decision_reference", "signer_name", "signer_function"]),
        (ConsultationForm, ["title"]),
        (DocumentForm, ["title"]),
        (SectionForm, ["title"]),
        (ProgrammeForm, ["name"]),
        (LotForm, ["name"]),
    ]
    for form, names in forms:
        for name in names:
            assert isinstance(form.base_fields[name], SingleLineField), (form, name)
    models = [
        (Organisation, ["name"]),
        (User, ["name"]),
        (SupplierProfile, ["street", "house_number", "postcode", "city"]),
        (ContactPerson, ["name", "phone"]),
        (SigningAuthority, ["signer_name", "signer_function"]),
        (MandateSignature, ["signatory_name", "signatory_function"]),
        (Consultation, ["title"]),
        (Programme, ["name"]),
        (Lot, ["name"]),
        (Tender, ["title"]),
    ]
    for model, names in models:
        for name in names:
            assert isinstance(model._meta.get_field(name), SingleLineCharField), (model, name)
    organisation = Organisation(name="Gemeente\r\nAadorp", slug="aadorp", kind="municipality")
    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()
    assert excinfo.value.message_dict["name"] == [MESSAGE]
    serializer = ConsultationReportRequestSerializer(data={"changeNote": "Nieuw\u202ecod.exe"})
    assert not serializer.is_valid()
    assert [str(e) for e in serializer.errors["changeNote"]] == [MESSAGE]
