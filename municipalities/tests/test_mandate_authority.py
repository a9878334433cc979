"""Who binds a participant (Gemeentewet art. 160 and 171): the college's decision and the
designated signer are recorded and checked by the project team; only that signer signs in the
portal; a scan uploaded by someone else counts after the team's check; a change of coverage or
signer voids the signature. Each rule as the scenario that broke it before."""

from __future__ import annotations

from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import TOTP_SECRET, totp_code
from municipalities.models import MandateDocument, MandateSignature, Participation
from municipalities.services.mandates import mandate_sign, mandate_upload_signed
from municipalities.services.participations import participation_create, participation_update
from municipalities.services.signing import mandate_signature_check, signing_authority_check
from municipalities.tests.conftest import CONTACTS, MINIMAL_PDF, record_authority
from portal.models import AuditEvent, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Participation.Status


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def scan():
    return SimpleUploadedFile("scan.pdf", MINIMAL_PDF, "application/pdf")


def rendered(participation, version=1) -> MandateDocument:
    """A rendered version of the mandate, as the worker leaves it."""
    authority = participation.signing_authority
    document = MandateDocument.objects.create(
        participation=participation,
        version=version,
        status=MandateDocument.Status.DONE,
        signatory_name=authority.signer_name,
        signatory_function=authority.signer_function,
        signer_basis=authority.basis,
        sha256=f"{version:064x}",
    )
    document.file.save("mandaat.pdf", SimpleUploadedFile("m.pdf", MINIMAL_PDF))
    return document


@pytest.fixture
def mayor(org_a):
    """The mayor of Aadorp, a viewer in the portal: the college named her, not the admin."""
    user = UserFactory(email="burgemeester@aadorp.nl", name="Mr. A. de Vries")
    MembershipFactory(organisation=org_a, user=user, role=Role.VIEWER)
    TOTP.activate(user, TOTP_SECRET)
    return user


def test_a_signer_who_is_not_the_designated_one_is_refused(
    personas, participation_a, editor_a, admin_a, mayor
):
    # admin_a carries the organisation's own "authorised signatory" flag; that no longer signs.
    assert admin_a.memberships.get().is_signatory
    record_authority(participation_a, actor=editor_a, signer=mayor, name="A. de Vries")
    document = rendered(participation_a)
    TOTP.activate(admin_a, TOTP_SECRET)
    url = reverse("municipalities:mandate-sign", args=[participation_a.public_id])

    refused = personas["admin_a"].client().post(url, {"code": totp_code()})

    assert refused.status_code == 422
    assert (
        "Alleen A. de Vries, de aangewezen ondertekenaar, kan dit mandaat ondertekenen."
        in refused.content.decode()
    )
    assert not MandateSignature.objects.exists()
    # The page does not offer the admin the signing form either.
    page = (
        personas["admin_a"]
        .client()
        .get(reverse("municipalities:mandate", args=[participation_a.public_id]))
    )
    assert url not in page.content.decode()

    signature = mandate_sign(
        actor=mayor, participation=participation_a, document=document, code=totp_code()
    )
    assert (signature.signatory, signature.signatory_name) == (mayor, "A. de Vries")
    assert signature.sha256 == document.sha256


def test_coverage_changed_after_signing_voids_the_signature_and_submit_is_refused(
    personas, programme, municipalities, joint_body, joint_body_user
):
    participation = participation_create(
        actor=joint_body_user,
        programme=programme,
        organisation=joint_body,
        municipalities=[municipalities["c"], municipalities["d"]],
        contacts=CONTACTS,
    )
    record_authority(participation, actor=joint_body_user, signer=joint_body_user)
    document = rendered(participation)
    signature = mandate_upload_signed(
        actor=joint_body_user, participation=participation, file=scan()
    )
    assert not signature.awaits_check  # the signer uploaded it

    participation_update(
        actor=joint_body_user,
        participation=participation,
        municipalities=[municipalities["a"], municipalities["c"], municipalities["d"]],
        contacts=CONTACTS,
    )

    signature.refresh_from_db()  # the row stays: it is evidence
    assert signature.voided_at is not None
    assert signature.void_reason == "de gemeenten waarvoor u deelneemt zijn gewijzigd"
    document.refresh_from_db()
    assert document.outdated_at is not None
    assert AuditEvent.objects.filter(action="mandate.voided").count() == 1
    client = personas["joint_body"].client()
    response = client.post(
        reverse("municipalities:participation-submit", args=[participation.public_id])
    )
    assert response.status_code == 422
    assert (
        "Het mandaat past niet meer bij de aanmelding (de gemeenten waarvoor u deelneemt zijn "
        "gewijzigd). Maak een nieuwe versie en laat die ondertekenen."
    ) in response.content.decode()
    participation.refresh_from_db()
    assert participation.status == S.DRAFT
    # The outdated version cannot be signed again; a new version can.
    with pytest.raises(ValidationError, match="past niet meer bij de aanmelding"):
        mandate_upload_signed(actor=joint_body_user, participation=participation, file=scan())
    rendered(participation, version=2)
    mandate_upload_signed(actor=joint_body_user, participation=participation, file=scan())
    assert (
        client.post(
            reverse("municipalities:participation-submit", args=[participation.public_id])
        ).status_code
        == 302
    )


def test_saving_the_same_coverage_keeps_the_signature(
    programme, municipalities, joint_body, joint_body_user
):
    participation = participation_create(
        actor=joint_body_user,
        programme=programme,
        organisation=joint_body,
        municipalities=[municipalities["c"]],
        contacts=CONTACTS,
    )
    record_authority(participation, actor=joint_body_user, signer=joint_body_user)
    rendered(participation)
    signature = mandate_upload_signed(
        actor=joint_body_user, participation=participation, file=scan()
    )
    participation_update(
        actor=joint_body_user,
        participation=participation,
        municipalities=[municipalities["c"]],
        contacts=CONTACTS,
        remarks="Alleen een opmerking",
    )
    signature.refresh_from_db()
    assert signature.voided_at is None


def test_a_new_signer_voids_the_signature(participation_a, editor_a, admin_a, mayor):
    rendered(participation_a)
    signature = mandate_upload_signed(actor=admin_a, participation=participation_a, file=scan())

    record_authority(
        participation_a,
        actor=editor_a,
        signer=mayor,
        basis="designated",
        name="A. de Vries",
        function="gemeentesecretaris",
    )

    signature.refresh_from_db()
    assert signature.void_reason == "de ondertekenaar is gewijzigd"
    assert participation_a.signing_authority.checked_at is None


def test_an_upload_by_someone_other_than_the_signer_needs_the_teams_check(
    personas, participation_a, editor_a, project_team_user
):
    rendered(participation_a)
    signature = mandate_upload_signed(actor=editor_a, participation=participation_a, file=scan())
    assert signature.awaits_check
    editor = personas["editor_a"].client()
    page = editor.get(reverse("municipalities:mandate", args=[participation_a.public_id]))
    assert "Het telt zodra het projectteam het heeft gecontroleerd" in page.content.decode()
    assert (
        editor.post(
            reverse("municipalities:participation-submit", args=[participation_a.public_id])
        ).status_code
        == 302
    )
    signing_authority_check(actor=project_team_user, participation=participation_a)
    team = personas["project_team"].client()
    approve = reverse("municipalities:participation-approve", args=[participation_a.public_id])

    response = team.post(approve, follow=True)

    assert (
        "Controleer eerst het geüploade getekende mandaat aan de hand van de aanwijzing van de "
        "ondertekenaar" in response.content.decode()
    )
    participation_a.refresh_from_db()
    assert participation_a.status == S.SUBMITTED
    # The participant cannot check its own upload; the team can, and then approves.
    check = reverse(
        "municipalities:signed-mandate-check",
        args=[participation_a.public_id, signature.public_id],
    )
    assert editor.post(check).status_code == 403
    assert team.post(check).status_code == 302
    signature.refresh_from_db()
    assert signature.checked_by == project_team_user
    assert team.post(approve).status_code == 302
    participation_a.refresh_from_db()
    assert participation_a.status == S.APPROVED


def test_approval_without_a_checked_decision_is_refused(
    personas, participation_a, admin_a, editor_a
):
    rendered(participation_a)
    mandate_upload_signed(actor=admin_a, participation=participation_a, file=scan())
    personas["editor_a"].client().post(
        reverse("municipalities:participation-submit", args=[participation_a.public_id])
    )
    team = personas["project_team"].client()
    approve = reverse("municipalities:participation-approve", args=[participation_a.public_id])
    detail = team.get(
        reverse("municipalities:participation-detail", args=[participation_a.public_id])
    )
    assert "Voordat u kunt goedkeuren:" in detail.content.decode()

    response = team.post(approve, follow=True)

    assert (
        "Controleer eerst het collegebesluit en de aanwijzing van de ondertekenaar; daarvoor kan "
        "de aanmelding niet worden goedgekeurd." in response.content.decode()
    )
    participation_a.refresh_from_db()
    assert participation_a.status == S.SUBMITTED
    check = reverse("municipalities:mandate-authority-check", args=[participation_a.public_id])
    assert personas["editor_a"].client().post(check).status_code == 403
    assert team.post(check).status_code == 302
    authority = participation_a.signing_authority
    authority.refresh_from_db()
    assert authority.checked_by == personas["project_team"].user
    assert team.post(approve).status_code == 302
    participation_a.refresh_from_db()
    assert participation_a.status == S.APPROVED


def test_approval_without_any_decision_is_refused(
    programme, municipalities, org_a, editor_a, project_team_user
):
    participation = participation_create(
        actor=editor_a,
        programme=programme,
        organisation=org_a,
        municipalities=[municipalities["a"]],
        contacts=CONTACTS,
    )
    Participation.objects.filter(pk=participation.pk).update(status=S.SUBMITTED)
    from municipalities.services.participations import participation_approve

    with pytest.raises(ValidationError) as refused:
        participation_approve(actor=project_team_user, participation=participation)
    assert refused.value.messages == [
        "Leg het collegebesluit vast en wie mag ondertekenen (de burgemeester of de persoon die "
        "de burgemeester heeft aangewezen)."
    ]
    with pytest.raises(ValidationError, match="Het collegebesluit of de aanwijzing"):
        signing_authority_check(actor=project_team_user, participation=participation)


def authority_form(signer, **extra):
    data = {
        "authority-decision_date": "13-01-2026",
        "authority-decision_reference": "B&W 2026/17",
        "authority-decision_file": SimpleUploadedFile(
            "besluit.pdf", MINIMAL_PDF, "application/pdf"
        ),
        "authority-basis": "designated",
        "authority-signer": signer.pk,
        "authority-signer_name": "A. de Vries",
        "authority-signer_function": "gemeentesecretaris",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_a_designated_signer_needs_the_mayors_designation(
    personas, programme, municipalities, org_a, editor_a, mayor, editor_b
):
    participation = participation_create(
        actor=editor_a,
        programme=programme,
        organisation=org_a,
        municipalities=[municipalities["a"]],
        contacts=CONTACTS,
    )
    client = personas["editor_a"].client()
    url = reverse("municipalities:mandate-authority", args=[participation.public_id])

    response = client.post(url, authority_form(mayor))

    assert response.status_code == 422
    html = response.content.decode()
    assert "Voeg het aanwijzingsbesluit van de burgemeester toe als pdf-bestand." in html
    assert 'value="B&amp;W 2026/17"' in html  # what was entered is kept
    # Someone outside the organisation cannot be named as the signer.
    response = client.post(url, authority_form(editor_b, **{"authority-decision_date": "1-1-2099"}))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Kies de persoon uit uw organisatie die in het portaal ondertekent." in html
    participation.refresh_from_db()
    assert not hasattr(participation, "signing_authority")

    designation = SimpleUploadedFile("aanwijzing.pdf", MINIMAL_PDF, "application/pdf")
    response = client.post(
        url, authority_form(mayor, **{"authority-designation_file": designation})
    )

    assert response.status_code == 302
    authority = Participation.objects.get(pk=participation.pk).signing_authority
    assert (authority.basis, authority.signer, authority.decision_date) == (
        "designated",
        mayor,
        date(2026, 1, 13),
    )
    assert authority.designation_sha256 and authority.decision_sha256
    assert authority.checked_at is None
    # A viewer cannot record it; the other tenant does not see the registration.
    assert personas["viewer_a"].client().post(url, authority_form(mayor)).status_code == 403
    assert personas["editor_b"].client().post(url, authority_form(mayor)).status_code == 404


def test_the_team_checks_a_scan_only_once(participation_a, editor_a, project_team_user):
    rendered(participation_a)
    signature = mandate_upload_signed(actor=editor_a, participation=participation_a, file=scan())
    mandate_signature_check(
        actor=project_team_user, participation=participation_a, signature=signature
    )
    with pytest.raises(ValidationError, match="hoeft niet gecontroleerd te worden"):
        mandate_signature_check(
            actor=project_team_user, participation=participation_a, signature=signature
        )
