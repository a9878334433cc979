"""Personal data (AVG): audit events name people by pseudonym only; removing a person
anonymises their row, ends their memberships and leaves the audit chain intact; a person
downloads their own data; the account page refuses a removal that would orphan an
organisation."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.management import call_command

from portal.audit import audit
from portal.models import AuditEvent, Invitation, Membership, Role
from portal.privacy import removal_blockers, user_remove
from portal.services import invitation_create, invitation_revoke, membership_remove
from suppliers.services import join_request_create, join_request_decide
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PARTS = (
    "memberships",
    "invitations_sent",
    "invitations_received",
    "join_requests",
    "audit_events",
    "enquiries",
    "clarifications",
    "mandates_signed",
    "talk_bookings",
    "subscriptions",
)


def _events_mention(text: str) -> list[AuditEvent]:
    text = text.lower()
    return [e for e in AuditEvent.objects.all() if text in json.dumps(e.data).lower()]


def test_core_audit_events_carry_no_email_address(admin_a, editor_a, org_a):
    invitation, _ = invitation_create(
        actor=admin_a, organisation=org_a, email="nieuw@aadorp.nl", role=Role.VIEWER, base_url="/"
    )
    assert invitation.email == "nieuw@aadorp.nl"  # the address is in the invitation's row
    invitation_revoke(actor=admin_a, invitation=invitation)
    membership_remove(actor=admin_a, membership=Membership.objects.get(user=editor_a))
    assert _events_mention("nieuw@aadorp.nl") == []
    assert _events_mention(editor_a.email) == []
    removed = AuditEvent.objects.get(action="membership.removed")
    assert removed.data["user"] == str(editor_a.public_id)


def test_join_decision_names_the_person_by_pseudonym(supplier_x, supplier_x_user):
    person = UserFactory(email="sollicitant@voorbeeld.nl")
    request = join_request_create(actor=person, organisation=supplier_x)
    join_request_decide(actor=supplier_x_user, join_request=request, approve=False)
    assert _events_mention(person.email) == []
    event = AuditEvent.objects.get(action="supplier.join_declined")
    assert event.data["user"] == str(person.public_id)


def test_removal_pseudonymises_the_person_and_keeps_the_chain(admin_a, editor_a, org_a):
    invitation_create(
        actor=admin_a,
        organisation=org_a,
        email="x@aadorp.nl",
        role=Role.VIEWER,
        base_url="/",
    )
    EmailAddress.objects.update_or_create(
        user=editor_a, email=editor_a.email, defaults={"verified": True, "primary": True}
    )
    Invitation.objects.create(
        organisation=org_a,
        email=editor_a.email,
        token_hash="f" * 64,
        expires_at=Invitation.default_expiry(),
    )
    for n in range(3):
        audit(actor=editor_a, action="test.step", number=n)
    events_before = list(AuditEvent.objects.order_by("pk").values_list("pk", "hash"))
    email = editor_a.email

    user = user_remove(actor=editor_a, user=editor_a)

    user.refresh_from_db()
    assert user.name == f"Verwijderde gebruiker {user.public_id.hex[:8]}"
    assert str(user) == user.name  # what documents made later show
    assert email not in user.email and user.email.endswith("@removed.invalid")
    assert not user.has_usable_password() and not user.is_active
    assert not Membership.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Invitation.objects.filter(email__iexact=email).exists()
    # The trail: nothing changed, one event added, the chain verifies.
    kept = AuditEvent.objects.filter(pk__in=[pk for pk, _ in events_before]).order_by("pk")
    assert list(kept.values_list("pk", "hash")) == events_before
    removed = AuditEvent.objects.get(action="user.removed")
    assert removed.actor_ref == user.public_id and removed.data["by_self"] is True
    assert _events_mention(email) == []
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith(f"audit trail intact: {len(events_before) + 1} events")


def test_the_only_admin_cannot_be_removed(admin_a, editor_a):
    assert removal_blockers(admin_a)
    with pytest.raises(ValidationError):
        user_remove(actor=admin_a, user=admin_a)
    admin_a.refresh_from_db()
    assert admin_a.is_active and Membership.objects.filter(user=admin_a).exists()
    # With a second administrator, the first may go.
    MembershipFactory(organisation=admin_a.memberships.get().organisation, role=Role.ADMIN)
    assert removal_blockers(admin_a) == []


def test_someone_else_may_not_remove_a_person(editor_a, viewer_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        user_remove(actor=editor_a, user=viewer_a)


def test_download_holds_the_persons_own_data_only(client, editor_a, editor_b, org_a):
    client.force_login(editor_a)
    response = client.post("/account/mijn-gegevens/downloaden")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["gegevens.json", "leesmij.html"]
    data = json.loads(archive.read("gegevens.json"))
    assert data["account"]["email"] == editor_a.email
    assert data["account"]["mfa_enabled"] is False
    assert "password" not in json.dumps(data["account"])
    assert [m["organisation"] for m in data["parts"]["memberships"]["rows"]] == [org_a.name]
    assert editor_b.email not in archive.read("gegevens.json").decode()
    assert set(data["parts"]) >= set(PARTS)
    assert AuditEvent.objects.filter(action="privacy.data_exported", actor=editor_a).count() == 1


def test_download_is_bounded(client, editor_a, settings):
    settings.PRIVACY_EXPORT_MAX_ROWS = 2
    for n in range(3):
        audit(actor=editor_a, action="test.step", number=n)
    client.force_login(editor_a)
    response = client.post("/account/mijn-gegevens/downloaden")
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("gegevens.json"))
    assert len(data["parts"]["audit_events"]["rows"]) == 2
    assert data["parts"]["audit_events"]["truncated"] is True


def test_account_removal_page(client, editor_a, admin_a):
    client.force_login(editor_a)
    assert client.get("/account/verwijderen").status_code == 200
    response = client.post("/account/verwijderen", {})
    assert response.status_code == 422
    editor_a.refresh_from_db()
    assert editor_a.is_active
    response = client.post("/account/verwijderen", {"confirm": "on"})
    assert response.status_code == 302
    editor_a.refresh_from_db()
    assert not editor_a.is_active
    assert client.get("/account/mijn-gegevens").status_code == 302  # logged out


def test_account_removal_page_explains_a_refusal(client, admin_a):
    client.force_login(admin_a)
    page = client.get("/account/verwijderen")
    assert "enige beheerder" in page.content.decode()
    response = client.post("/account/verwijderen", {"confirm": "on"})
    assert response.status_code == 422
    admin_a.refresh_from_db()
    assert admin_a.is_active


def test_no_audit_call_passes_an_address_or_a_name():
    """Read from the source: every ``audit(...)`` of the apps names people by ``person_ref``,
    never by an e-mail address, a name or ``str(user)`` (which is the name or the address)."""
    import ast
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    found = []
    for app in ("portal", "catalog", "municipalities", "suppliers", "tenders", "consultations"):
        for path in (root / app).rglob("*.py"):
            if {"tests", "migrations"} & set(path.parts):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit"):
                    continue
                for keyword in node.keywords:
                    value = ast.unparse(keyword.value)
                    suspicious = (
                        keyword.arg in ("email", "name", "signer_name")
                        or ".email" in value
                        or value.endswith("_name")
                        or (value.startswith("str(") and value.endswith("_by)"))
                    )
                    if suspicious:
                        found.append(
                            f"{path.relative_to(root)}:{node.lineno} {keyword.arg}={value}"
                        )
    assert found == []


def test_the_project_team_removes_a_person(client, project_team_user, viewer_a, editor_a):
    url = f"/personen/{viewer_a.public_id}/verwijderen"
    client.force_login(editor_a)
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on"}).status_code == 404
    client.force_login(project_team_user)
    page = client.get(url)
    assert page.status_code == 200 and viewer_a.email in page.content.decode()
    assert client.post(url, {}).status_code == 422
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    viewer_a.refresh_from_db()
    assert not viewer_a.is_active and viewer_a.name.startswith("Verwijderde gebruiker")
    event = AuditEvent.objects.get(action="user.removed")
    assert event.actor_ref == project_team_user.public_id and event.data["by_self"] is False
    assert client.get(url).status_code == 404  # already removed
