"""Joining a programme: participation, coverage, mandate and the workflow, through the pages."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import TOTP_SECRET, totp_code
from municipalities.models import (
    CoveredMunicipality,
    MandateDocument,
    MandateSignature,
    Participation,
)
from municipalities.tests.conftest import MINIMAL_PDF
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db

S = Participation.Status


def form_data(municipalities, **extra):
    data = {
        "municipalities": [m.pk for m in municipalities],
        "current_contract_end": "31-12-2027",
        "procurement_name": "Ilse Inkoper",
        "procurement_email": "inkoop@aadorp.nl",
        "ict_workplace_name": "",
        "ict_workplace_email": "",
        "contract_management_name": "",
        "contract_management_email": "",
    }
    data.update(extra)
    return data


def test_municipal_editor_registers(personas, programme, municipalities, org_a):
    client = personas["editor_a"].client()
    url = reverse("municipalities:participation-create", args=[programme.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data([municipalities["a"]]))
    assert response.status_code == 302
    participation = Participation.objects.get(organisation=org_a)
    assert participation.status == S.DRAFT
    assert [c.municipality for c in participation.covered.all()] == [municipalities["a"]]
    assert str(participation.current_contract_end) == "2027-12-31"
    assert AuditEvent.objects.filter(action="participation.created").count() == 1


def test_municipality_cannot_register_another_municipality(personas, programme, municipalities):
    client = personas["editor_a"].client()
    url = reverse("municipalities:participation-create", args=[programme.slug])
    response = client.post(url, form_data([municipalities["b"]]))
    assert response.status_code == 422
    assert not Participation.objects.exists()


def test_bad_input_keeps_everything_and_saves_nothing(personas, programme, municipalities):
    client = personas["editor_a"].client()
    url = reverse("municipalities:participation-create", args=[programme.slug])
    response = client.post(
        url,
        form_data([municipalities["a"]], current_contract_end="31 dec", procurement_email="x"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "31 dec" in html and 'value="x"' in html
    assert set(response.context["form"].errors) == {"current_contract_end", "procurement_email"}
    assert not Participation.objects.exists()


def test_viewer_cannot_register_or_submit(personas, programme, municipalities, participation_a):
    client = personas["viewer_a"].client()
    url = reverse("municipalities:participation-create", args=[programme.slug])
    assert client.get(url).status_code == 403
    submit = reverse("municipalities:participation-submit", args=[participation_a.public_id])
    assert client.post(submit).status_code == 403
    detail = reverse("municipalities:participation-detail", args=[participation_a.public_id])
    assert client.get(detail).status_code == 200
    participation_a.refresh_from_db()
    assert participation_a.status == S.DRAFT


@pytest.mark.parametrize(("persona", "status"), [("editor_a", 200), ("viewer_a", 403)])
def test_the_role_in_the_organisation_comes_from_the_memberships_read(
    personas, participation_a, persona, status
):
    """Whether the user may change the participation is answered from the memberships the
    request read already, not by a query of its own per check (the mandate pages asked
    twice); the answer is still the role's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = personas[persona].client()
    url = reverse("municipalities:participation-edit", args=[participation_a.public_id])
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == status
    role_checks = [q["sql"] for q in queries if '"portal_membership"."role" IN' in q["sql"]]
    assert not role_checks, role_checks


@pytest.mark.parametrize("persona", ["editor_b", "joint_body", "supplier_x", "anonymous"])
def test_other_tenants_cannot_see_a_participation(personas, participation_a, persona):
    url = reverse("municipalities:participation-detail", args=[participation_a.public_id])
    response = personas[persona].client().get(url)
    assert response.status_code == (302 if persona == "anonymous" else 404)


def test_joint_body_joins_for_three_municipalities(personas, programme, municipalities, joint_body):
    client = personas["joint_body"].client()
    url = reverse("municipalities:participation-create", args=[programme.slug])
    chosen = [municipalities["a"], municipalities["c"], municipalities["d"]]
    response = client.post(url, form_data(chosen))
    assert response.status_code == 302
    participation = Participation.objects.get(organisation=joint_body)
    assert participation.covered.count() == 3


def test_municipality_covered_twice_is_refused_with_clear_message(
    personas, programme, municipalities, participation_a
):
    client = personas["joint_body"].client()
    url = reverse("municipalities:participation-create", args=[programme.slug])
    response = client.post(url, form_data([municipalities["a"], municipalities["c"]]))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Aadorp" in html and "Gemeente Aadorp" in html
    assert "doet al mee" in html
    assert CoveredMunicipality.objects.filter(municipality=municipalities["c"]).count() == 0


def test_database_refuses_double_coverage(participation_a, municipalities, programme):
    from django.db import IntegrityError, transaction

    other = Participation.objects.create(
        programme=programme, organisation=participation_a.organisation, status=S.WITHDRAWN
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CoveredMunicipality.objects.create(
            participation=other, municipality=municipalities["a"], programme=programme
        )


def test_submit_needs_the_mandate(personas, participation_a):
    client = personas["editor_a"].client()
    url = reverse("municipalities:participation-submit", args=[participation_a.public_id])
    response = client.post(url)
    assert response.status_code == 422
    assert "mandaat" in response.content.decode().lower()
    participation_a.refresh_from_db()
    assert participation_a.status == S.DRAFT


def test_mandate_request_queues_a_version(personas, participation_a):
    client = personas["editor_a"].client()
    url = reverse("municipalities:mandate", args=[participation_a.public_id])
    response = client.post(
        url, {"signatory_name": "J. de Burgemeester", "signatory_function": "burgemeester"}
    )
    assert response.status_code == 302
    document = MandateDocument.objects.get(participation=participation_a)
    assert document.version == 1
    assert document.status == MandateDocument.Status.QUEUED
    status = client.get(
        reverse("municipalities:mandate-status", args=[participation_a.public_id]),
        HTTP_HX_REQUEST="true",
    )
    assert status.status_code == 200
    assert 'hx-trigger="every 2s"' in status.content.decode()


def test_upload_signed_scan(personas, participation_a, ready_document):
    client = personas["editor_a"].client()
    url = reverse("municipalities:mandate-upload", args=[participation_a.public_id])
    not_pdf = SimpleUploadedFile("mandaat.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {"upload-file": not_pdf})
    assert response.status_code == 422
    assert not MandateSignature.objects.exists()
    pdf = SimpleUploadedFile("scan.pdf", MINIMAL_PDF, "application/pdf")
    response = client.post(url, {"upload-file": pdf})
    assert response.status_code == 302
    signature = MandateSignature.objects.get()
    assert signature.method == MandateSignature.Method.UPLOAD
    # The scan is of the newest version and names the designated signer, not a typed name.
    assert signature.document == ready_document
    assert signature.sha256 == ready_document.sha256
    assert (signature.signatory_name, signature.signatory_function) == (
        "Burgemeester Aadorp",
        "burgemeester",
    )
    download = client.get(
        reverse(
            "municipalities:signed-mandate-download",
            args=[participation_a.public_id, signature.public_id],
        )
    )
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == MINIMAL_PDF


def test_signatory_signs_in_portal_with_mfa(personas, participation_a, ready_document, admin_a):
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(admin_a, TOTP_SECRET)
    client = personas["admin_a"].client()
    url = reverse("municipalities:mandate-sign", args=[participation_a.public_id])
    response = client.post(url, {"code": "000000"})
    assert response.status_code == 422
    assert not MandateSignature.objects.exists()
    response = client.post(url, {"code": totp_code()})
    assert response.status_code == 302
    signature = MandateSignature.objects.get()
    assert signature.method == MandateSignature.Method.PORTAL
    assert signature.document == ready_document
    assert signature.sha256 == ready_document.sha256
    assert signature.signatory == admin_a
    assert signature.signatory_function == "burgemeester"
    assert signature.mfa_confirmed_at is not None


def test_non_signatory_cannot_sign(personas, participation_a, ready_document, editor_a):
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(editor_a, TOTP_SECRET)
    url = reverse("municipalities:mandate-sign", args=[participation_a.public_id])
    response = personas["editor_a"].client().post(url, {"code": totp_code()})
    assert response.status_code == 422
    assert (
        "Alleen Burgemeester Aadorp, de aangewezen ondertekenaar, kan dit mandaat ondertekenen."
        in response.content.decode()
    )
    assert not MandateSignature.objects.exists()
    # Outside the participant nobody may even try.
    assert personas["project_team"].client().post(url, {"code": "1"}).status_code == 403


def _complete(participation, actor):
    """The designated signer (the mayor) uploads the signed scan of the newest version."""
    from municipalities.services.mandates import mandate_upload_signed

    document = MandateDocument.objects.create(
        participation=participation,
        version=1,
        status=MandateDocument.Status.DONE,
        signatory_name="Burgemeester Aadorp",
        signatory_function="burgemeester",
        sha256="a" * 64,
    )
    document.file.save("mandaat.pdf", ContentFile(MINIMAL_PDF))
    mandate_upload_signed(
        actor=actor,
        participation=participation,
        file=SimpleUploadedFile("scan.pdf", MINIMAL_PDF, "application/pdf"),
    )


def test_submit_approve_with_mails(
    personas,
    participation_a,
    admin_a,
    project_team_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    from municipalities.services.signing import signing_authority_check

    _complete(participation_a, admin_a)
    client = personas["editor_a"].client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("municipalities:participation-submit", args=[participation_a.public_id])
        )
    assert response.status_code == 302
    participation_a.refresh_from_db()
    assert participation_a.status == S.SUBMITTED
    assert [m.to for m in mailoutbox] == [["projectteam@vng.nl"]]

    pt = personas["project_team"].client()
    approve = reverse("municipalities:participation-approve", args=[participation_a.public_id])
    assert client.post(approve).status_code == 403  # the participant cannot approve itself
    signing_authority_check(actor=project_team_user, participation=participation_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert pt.post(approve).status_code == 302
    participation_a.refresh_from_db()
    assert participation_a.status == S.APPROVED
    recipients = sorted(m.to[0] for m in mailoutbox[1:])
    assert recipients == ["beheerder@aadorp.nl", "inkoper@aadorp.nl"]
    actions = list(
        AuditEvent.objects.filter(target_id=str(participation_a.public_id)).values_list(
            "action", flat=True
        )
    )
    assert {"participation.submitted", "participation.approved"} <= set(actions)


def test_return_with_reason_makes_it_editable_again(personas, participation_a, admin_a):
    _complete(participation_a, admin_a)
    personas["editor_a"].client().post(
        reverse("municipalities:participation-submit", args=[participation_a.public_id])
    )
    pt = personas["project_team"].client()
    url = reverse("municipalities:participation-return", args=[participation_a.public_id])
    assert pt.post(url, {"reason": ""}).status_code == 422
    assert pt.post(url, {"reason": "Vul de contractdatum in."}).status_code == 302
    participation_a.refresh_from_db()
    assert participation_a.status == S.RETURNED
    assert participation_a.is_editable


def test_withdraw_before_freeze_releases_municipalities(
    personas, participation_a, programme, municipalities
):
    client = personas["editor_a"].client()
    url = reverse("municipalities:participation-withdraw", args=[participation_a.public_id])
    assert client.post(url, {"reason": ""}).status_code == 302
    participation_a.refresh_from_db()
    assert participation_a.status == S.WITHDRAWN
    assert not CoveredMunicipality.objects.filter(is_active=True).exists()
    # The municipality can now join through the joint body.
    response = (
        personas["joint_body"]
        .client()
        .post(
            reverse("municipalities:participation-create", args=[programme.slug]),
            form_data([municipalities["a"]]),
        )
    )
    assert response.status_code == 302


def test_after_the_freeze_nobody_withdraws(personas, participation_a, programme):
    """The frozen list names the participant: withdrawing would leave it named. Refused for the
    participant and the project team alike, until the team lifts the freeze."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from municipalities.services.participations import participation_withdraw

    programme.frozen_at = timezone.now()
    programme.save(update_fields=["frozen_at"])
    url = reverse("municipalities:participation-withdraw", args=[participation_a.public_id])
    assert personas["editor_a"].client().post(url, {"reason": "x"}).status_code == 403
    assert personas["project_team"].client().post(url, {"reason": "fusie"}).status_code == 403
    with pytest.raises(ValidationError) as excinfo:
        participation_withdraw(
            actor=personas["project_team"].user, participation=participation_a, reason="fusie"
        )
    assert "is bevroren op" in excinfo.value.messages[0]
    participation_a.refresh_from_db()
    assert participation_a.status != "withdrawn"
