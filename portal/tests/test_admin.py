"""The admin: MFA for every staff user, and every write through it in the audit trail."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib import admin
from django.test import Client

from conftest import TOTP_SECRET
from portal.admin_audit import AuditedAdminMixin
from portal.models import AuditEvent, Invitation, Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _staff(**extra):
    return UserFactory(email="beheer@vng.nl", is_staff=True, **extra)


def _mfa_client(user) -> Client:
    """A session as after signing in with the TOTP code (allauth records the step)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.mark.parametrize("superuser", [False, True])
def test_staff_without_mfa_is_sent_to_set_it_up(superuser):
    user = _staff(is_superuser=superuser)  # not in the project team
    client = Client()
    client.force_login(user)
    for path in ("/beheer/", "/beheer/portal/organisation/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_staff_with_totp_but_a_session_without_the_code_confirms_it_first():
    user = _staff(is_superuser=True)
    TOTP.activate(user, TOTP_SECRET)
    client = Client()
    client.force_login(user)
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fbeheer%2F"


def test_staff_with_an_mfa_session_reaches_the_admin():
    user = _staff(is_superuser=True)
    TOTP.activate(user, TOTP_SECRET)
    assert _mfa_client(user).get("/beheer/").status_code == 200


def test_every_registered_admin_is_audited():
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
        and model._meta.app_label in {"portal", "catalog", "tenders", "municipalities"}
    ]
    assert unaudited == []


@pytest.fixture
def admin_client():
    user = _staff(is_superuser=True)
    TOTP.activate(user, TOTP_SECRET)
    return user, _mfa_client(user)


def _organisation_form(org, memberships, **changes):
    data = {
        "name": org.name,
        "slug": org.slug,
        "kind": org.kind,
        "is_active": "on",
        "oin": org.oin,
        "kvk_number": org.kvk_number,
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for n, membership in enumerate(memberships):
        data |= {
            f"memberships-{n}-id": str(membership.pk),
            f"memberships-{n}-organisation": str(org.pk),
            f"memberships-{n}-user": str(membership.user_id),
            f"memberships-{n}-role": membership.role,
        }
        if membership.is_signatory:
            data[f"memberships-{n}-is_signatory"] = "on"
    data |= changes
    return data


def test_membership_edits_in_the_admin_are_audited(admin_client):
    user, client = admin_client
    org = OrganisationFactory(name="Gemeente Aadorp", slug="gemeente-aadorp")
    editor = MembershipFactory(organisation=org, role=Role.EDITOR)
    viewer = MembershipFactory(organisation=org, role=Role.VIEWER)
    data = _organisation_form(
        org, [editor, viewer], **{"memberships-0-role": Role.ADMIN, "memberships-1-DELETE": "on"}
    )
    response = client.post(f"/beheer/portal/organisation/{org.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    editor.refresh_from_db()
    assert editor.role == Role.ADMIN
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    event = AuditEvent.objects.get(action="admin.changed")
    assert event.actor == user and event.organisation == org
    assert event.target_id == str(org.public_id)
    assert event.data["model"] == "portal.organisation"
    inlines = {(i["kind"], i["object"]): i["fields"] for i in event.data["inlines"]}
    assert inlines == {("changed", str(editor)): ["Role"], ("deleted", str(viewer)): []}


def test_a_password_change_is_audited_without_the_password(admin_client):
    _, client = admin_client
    other = UserFactory(email="iemand@aadorp.nl")
    secret = "Een-heel-geheim-wachtwoord-7"
    response = client.post(
        f"/beheer/portal/user/{other.pk}/password/",
        {"password1": secret, "password2": secret, "usable_password": "true"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.changed")
    assert event.target_id == str(other.public_id)
    assert event.data["fields"]
    assert secret not in str(event.data)


def test_a_delete_in_the_admin_is_audited(admin_client, project_team_user):
    user, client = admin_client
    org = OrganisationFactory()
    invitation = Invitation.objects.create(
        organisation=org,
        email="nieuw@aadorp.nl",
        token_hash="a" * 64,
        invited_by=project_team_user,
        expires_at="2099-01-01T00:00Z",
    )
    response = client.post(f"/beheer/portal/invitation/{invitation.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    event = AuditEvent.objects.get(action="admin.deleted")
    assert event.actor == user and event.organisation == org
    assert event.data["model"] == "portal.invitation"
    assert event.target_id == str(invitation.public_id)
    assert "a" * 64 not in str(event.data)
