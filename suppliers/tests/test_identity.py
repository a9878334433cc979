"""Supplier identity: a new registration is unverified until it shows its KvK registration
(an extract the project team approves, or a link at the company's e-mail domain); a disputed
KvK number goes to the project team, which keeps the registration or transfers it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import AuditEvent, Membership, Role
from suppliers import verification
from suppliers.models import JoinRequest, KvkDispute, KvkExtract, SupplierProfile, Verification
from suppliers.tests.test_services import register
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pdf(name="uittreksel.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, "application/pdf")


@pytest.fixture
def company(db):
    admin = UserFactory(email="jan@hardwarehuis.nl")
    organisation = register(admin)
    return admin, organisation


def test_a_new_registration_is_unverified(company):
    _admin, organisation = company
    profile = SupplierProfile.objects.get(organisation=organisation)
    assert profile.verification_status == Verification.UNVERIFIED
    assert not profile.is_verified


def test_extract_upload_then_team_approves(
    company, project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    admin, organisation = company
    with django_capture_on_commit_callbacks(execute=True):
        extract = verification.extract_upload(actor=admin, organisation=organisation, file=_pdf())
    assert extract.status == KvkExtract.Status.PENDING
    assert [m.to for m in mailoutbox] == [[project_team_user.email]]
    with django_capture_on_commit_callbacks(execute=True):
        verification.extract_decide(actor=project_team_user, extract=extract, approve=True)
    profile = SupplierProfile.objects.get(organisation=organisation)
    assert profile.is_verified
    assert profile.verification_method == "extract"
    assert profile.verified_by == project_team_user
    assert AuditEvent.objects.filter(action="supplier.extract_approved").count() == 1
    assert mailoutbox[-1].to == [admin.email]


def test_reject_needs_a_reason_and_leaves_the_company_unverified(company, project_team_user):
    admin, organisation = company
    extract = verification.extract_upload(actor=admin, organisation=organisation, file=_pdf())
    with pytest.raises(ValidationError) as exc:
        verification.extract_decide(actor=project_team_user, extract=extract, approve=False)
    assert "reason" in exc.value.message_dict
    extract.refresh_from_db()
    assert extract.status == KvkExtract.Status.PENDING
    verification.extract_decide(
        actor=project_team_user, extract=extract, approve=False, reason="Ander KvK-nummer."
    )
    assert not SupplierProfile.objects.get(organisation=organisation).is_verified
    assert AuditEvent.objects.filter(action="supplier.extract_rejected").count() == 1


def test_only_the_project_team_decides_and_only_pdfs_are_taken(company, supplier_y_user):
    admin, organisation = company
    with pytest.raises(ValidationError):
        verification.extract_upload(
            actor=admin, organisation=organisation, file=_pdf(content=b"not a pdf")
        )
    extract = verification.extract_upload(actor=admin, organisation=organisation, file=_pdf())
    with pytest.raises(PermissionDenied):
        verification.extract_decide(actor=admin, extract=extract, approve=True)
    with pytest.raises(PermissionDenied):
        verification.extract_upload(actor=supplier_y_user, organisation=organisation, file=_pdf())


def _link(mail) -> str:
    match = re.search(r"https?://[^\s]+/leveranciers/bevestigen/[^\s]+", mail.body)
    assert match, mail.body
    return "/" + match.group(0).split("://", 1)[1].split("/", 1)[1]


def test_confirmation_at_the_company_domain(
    company, mailoutbox, django_capture_on_commit_callbacks
):
    admin, organisation = company
    with django_capture_on_commit_callbacks(execute=True):
        verification.domain_confirmation_send(
            actor=admin,
            organisation=organisation,
            email=admin.email,
            website="https://www.hardwarehuis.nl/",
            base_url="http://testserver/",
        )
    link = _link(mailoutbox[-1])
    client = Client()
    assert client.get(link).status_code == 200
    assert not SupplierProfile.objects.get(organisation=organisation).is_verified  # GET: nothing
    assert client.post(link).status_code == 200
    profile = SupplierProfile.objects.get(organisation=organisation)
    assert profile.is_verified and profile.verification_method == "email_domain"
    # Used once.
    assert client.post(link).status_code == 410


@pytest.mark.parametrize(
    ("email", "website"),
    [
        ("jan@gmail.com", "gmail.com"),
        ("jan@andere-firma.nl", "www.hardwarehuis.nl"),
        ("geen-adres", "www.hardwarehuis.nl"),
        ("jan@hardwarehuis.nl", ""),
    ],
)
def test_confirmation_refuses_other_domains(company, email, website):
    admin, organisation = company
    with pytest.raises(ValidationError):
        verification.domain_confirmation_send(
            actor=admin, organisation=organisation, email=email, website=website, base_url="/"
        )
    assert SupplierProfile.objects.get(organisation=organisation).domain_mails_sent == 0


def test_confirmation_mails_are_limited_and_only_the_newest_link_works(
    company, mailoutbox, django_capture_on_commit_callbacks
):
    admin, organisation = company
    for _ in range(verification.DOMAIN_MAILS_MAX):
        with django_capture_on_commit_callbacks(execute=True):
            verification.domain_confirmation_send(
                actor=admin,
                organisation=organisation,
                email=admin.email,
                website="hardwarehuis.nl",
                base_url="http://testserver/",
            )
    with pytest.raises(ValidationError):
        verification.domain_confirmation_send(
            actor=admin, organisation=organisation, email=admin.email,
            website="hardwarehuis.nl", base_url="/",
        )  # fmt: skip
    old, new = _link(mailoutbox[0]), _link(mailoutbox[-1])
    assert Client().post(old).status_code == 410
    assert Client().post(new).status_code == 200
    assert Client().get("/leveranciers/bevestigen/vervalst").status_code == 410


def test_a_dispute_goes_to_the_project_team_not_the_admin(
    company, project_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    squatter, organisation = company
    real = UserFactory(email="directie@hardwarehuis.nl")
    with django_capture_on_commit_callbacks(execute=True):
        join_request = register(real)
    assert isinstance(join_request, JoinRequest)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dispute = verification.dispute_create(
            actor=real, join_request=join_request, explanation="Wij kennen deze persoon niet."
        )
    assert [m.to for m in mailoutbox] == [[project_team_user.email]]
    with pytest.raises(PermissionDenied):
        verification.dispute_resolve(
            actor=squatter, dispute=dispute, transfer=False, resolution="Niks aan de hand."
        )
    with pytest.raises(ValidationError):
        verification.dispute_resolve(
            actor=project_team_user, dispute=dispute, transfer=True, resolution=""
        )
    verification.dispute_resolve(
        actor=project_team_user,
        dispute=dispute,
        transfer=True,
        resolution="Uittreksel gecontroleerd: de heer Directie is bestuurder.",
    )
    assert list(
        Membership.objects.filter(organisation=organisation).values_list("user", "role")
    ) == [(real.pk, Role.ADMIN)]
    assert SupplierProfile.objects.get(organisation=organisation).verification_method == "dispute"
    dispute.refresh_from_db()
    assert dispute.status == KvkDispute.Status.TRANSFERRED
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED


def test_a_dispute_can_be_kept(company, project_team_user):
    squatter, organisation = company
    join_request = register(UserFactory(email="iemand@hardwarehuis.nl"))
    dispute = verification.dispute_create(
        actor=join_request.user, join_request=join_request, explanation="Klopt niet."
    )
    verification.dispute_resolve(
        actor=project_team_user, dispute=dispute, transfer=False, resolution="Wel gemachtigd."
    )
    assert Membership.objects.get(organisation=organisation).user == squatter
    with pytest.raises(PermissionDenied):
        verification.dispute_create(
            actor=squatter, join_request=join_request, explanation="Ik ook."
        )


# --- Pages ----------------------------------------------------------------------------------


def test_registration_leads_to_the_verification_page(company):
    admin, organisation = company
    client = Client()
    client.force_login(admin)
    page = client.get(f"/leveranciers/{organisation.slug}/verificatie")
    html = page.content.decode()
    assert page.status_code == 200
    assert "nog niet geverifieerd" in html
    home = client.get("/").content.decode()
    assert f"/leveranciers/{organisation.slug}/verificatie" in home


def test_upload_page_shows_errors_next_to_the_field_and_changes_nothing(company):
    admin, organisation = company
    client = Client()
    client.force_login(admin)
    url = f"/leveranciers/{organisation.slug}/verificatie/uittreksel"
    page = client.post(url, {"file": _pdf(content=b"geen pdf")})
    assert page.status_code == 422
    assert "id_file-error" in page.content.decode()
    assert not KvkExtract.objects.exists()
    assert client.post(url, {"file": _pdf()}).status_code == 302
    assert KvkExtract.objects.count() == 1


def test_team_page_decides_with_errors_next_to_the_field(company, personas, project_team_user):
    admin, organisation = company
    extract = verification.extract_upload(actor=admin, organisation=organisation, file=_pdf())
    client = personas["project_team"].client()
    page = client.get("/projectteam/leveranciers")
    assert page.status_code == 200
    assert organisation.name in page.content.decode()
    url = f"/projectteam/leveranciers/uittreksels/{extract.public_id}/beoordelen"
    prefix = str(extract.public_id)
    page = client.post(url, {f"{prefix}-decision": "reject", f"{prefix}-reason": ""})
    assert page.status_code == 422
    assert f"id_{prefix}-reason-error" in page.content.decode()
    assert KvkExtract.objects.get().status == KvkExtract.Status.PENDING
    assert client.post(url, {f"{prefix}-decision": "approve"}).status_code == 302
    assert SupplierProfile.objects.get(organisation=organisation).is_verified
    # Suppliers and municipalities do not see the team page.
    assert personas["supplier_x"].client().get("/projectteam/leveranciers").status_code == 404
    member = MembershipFactory(organisation=organisation, role=Role.VIEWER).user
    viewer = Client()
    viewer.force_login(member)
    assert viewer.get("/projectteam/leveranciers").status_code == 404


def test_dispute_page_from_the_request_sent_page(company, project_team_user):
    _squatter, organisation = company
    real = UserFactory(email="eigenaar@hardwarehuis.nl")
    client = Client()
    client.force_login(real)
    client.post("/leveranciers/registreren", {
        "name": "Hardware Huis B.V.", "kvk_number": "12345678", "country": "NL",
        "street": "Stationsplein", "house_number": "1", "postcode": "3511ed", "city": "Utrecht",
    })  # fmt: skip
    join_request = JoinRequest.objects.get(user=real)
    sent = client.get("/leveranciers/aanvraag-verstuurd").content.decode()
    url = f"/leveranciers/aanvragen/{join_request.public_id}/betwisten"
    assert url in sent
    page = client.post(url, {"explanation": ""})
    assert page.status_code == 422
    assert "id_explanation-error" in page.content.decode()
    assert not KvkDispute.objects.exists()
    assert client.post(url, {"explanation": "Onbekende registrant."}).status_code == 302
    assert KvkDispute.objects.get().user == real
    # Someone else cannot dispute with this request.
    other = Client()
    other.force_login(UserFactory())
    assert other.post(url, {"explanation": "Ik ook."}).status_code == 404


def test_domain_form_shows_the_error_next_to_the_field(company, mailoutbox):
    admin, organisation = company
    client = Client()
    client.force_login(admin)
    url = f"/leveranciers/{organisation.slug}/verificatie/e-mail"
    page = client.post(url, {"website": "www.hardwarehuis.nl", "email": "jan@gmail.com"})
    assert page.status_code == 422
    html = page.content.decode()
    assert "id_email-error" in html and 'value="www.hardwarehuis.nl"' in html
    assert SupplierProfile.objects.get(organisation=organisation).domain_mails_sent == 0
    ok = client.post(url, {"website": "www.hardwarehuis.nl", "email": "jan@hardwarehuis.nl"})
    assert ok.status_code == 302


def test_the_migration_counts_companies_registered_before_as_verified(company):
    """Companies that registered before verification existed keep working (migration 0007);
    only registrations after it start unverified."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("suppliers.migrations.0007_supplier_verification")
    _admin, organisation = company
    profile = SupplierProfile.objects.get(organisation=organisation)
    assert profile.verification_status == Verification.UNVERIFIED
    migration.mark_existing_verified(apps, None)
    profile.refresh_from_db()
    assert profile.verification_status == Verification.VERIFIED
    assert profile.verification_method == "existing"
    assert profile.verified_at is not None


def test_an_infected_extract_is_refused_and_a_clean_one_records_its_scan(
    clamd, company, settings, tmp_path
):
    from portal.models import ScanStatus
    from tests.integration.clamd import FOUND_NAME, MARKER

    settings.MEDIA_ROOT = tmp_path / "media"
    admin, organisation = company
    infected = MINIMAL_PDF.replace(b"%%EOF", b"% " + MARKER + b"\n%%EOF")
    with pytest.raises(ValidationError) as refused:
        verification.extract_upload(
            actor=admin, organisation=organisation, file=_pdf(content=infected)
        )
    assert FOUND_NAME in " ".join(refused.value.message_dict["file"])
    assert not KvkExtract.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.pdf"))
    assert AuditEvent.objects.get(action="upload.infected").data["signature"] == FOUND_NAME
    extract = verification.extract_upload(actor=admin, organisation=organisation, file=_pdf())
    assert extract.scan_status == ScanStatus.CLEAN
    assert extract.scanner_version and extract.scanned_at is not None
