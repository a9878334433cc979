"""Invitation flow end to end, with mail captured."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Invitation, Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


def _invite(client, org, email="nieuw@aadorp.nl", role="editor", **extra):
    # Mail goes out on commit: run the callbacks as a real commit would.
    with _capture(execute=True):
        return client.post(
            reverse("portal:invitation-create", args=[org.slug]),
            {"email": email, "role": role, **extra},
        )


def _link_from(mail) -> str:
    match = re.search(r"https?://[^\s]+/uitnodiging/[^\s]+", mail.body)
    assert match, mail.body
    return "/" + match.group(0).split("://", 1)[1].split("/", 1)[1]


def test_invitation_end_to_end_for_a_new_user(personas, org_a, mailoutbox, password):
    admin = personas["admin_a"].client()
    response = _invite(admin, org_a, is_signatory="on")
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nieuw@aadorp.nl"]
    assert org_a.name in mail.subject
    link = _link_from(mail)
    invitation = Invitation.objects.get(email="nieuw@aadorp.nl")
    assert invitation.token_hash not in mail.body  # only the raw token travels

    # The invitee is not logged in: the page offers login and sign-up.
    invitee = Client()
    page = invitee.get(link)
    assert page.status_code == 200
    assert org_a.name in page.content.decode()

    # Sign up with the invited address; e-mail verification is mandatory.
    response = invitee.post(
        reverse("account_signup"),
        {"email": "nieuw@aadorp.nl", "password1": password, "password2": password},
    )
    assert response.status_code == 302
    verify_mail = mailoutbox[-1]
    assert verify_mail.to == ["nieuw@aadorp.nl"]
    confirm = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", verify_mail.body)
    assert confirm
    confirm_path = "/" + confirm.group(0).split("://", 1)[1].split("/", 1)[1]
    response = invitee.post(confirm_path)
    assert response.status_code == 302
    # After verification the user lands back on the invitation.
    assert response["Location"] == link

    response = invitee.post(link)
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nieuw@aadorp.nl", organisation=org_a)
    assert membership.role == Role.EDITOR
    assert membership.is_signatory is True
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.is_open is False
    assert AuditEvent.objects.filter(action="invitation.created").count() == 1
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1

    # The link cannot be used twice.
    assert invitee.get(link).status_code == 410


def test_expired_invitation_is_refused(personas, org_a, mailoutbox):
    _invite(personas["admin_a"].client(), org_a)
    link = _link_from(mailoutbox[0])
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = personas["editor_b"].client().get(link)
    assert response.status_code == 410


def test_invitation_for_another_address_is_refused(personas, org_a, editor_b, mailoutbox):
    _invite(personas["admin_a"].client(), org_a)
    link = _link_from(mailoutbox[0])
    response = personas["editor_b"].client().post(link)
    assert response.status_code == 422
    assert "nieuw@aadorp.nl" in response.content.decode()
    assert not Membership.objects.filter(user=editor_b, organisation=org_a).exists()


def test_bad_input_shows_errors_and_changes_nothing(personas, org_a, mailoutbox):
    response = _invite(personas["admin_a"].client(), org_a, email="geen-adres", role="")
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"email", "role"}
    html = response.content.decode()
    assert "geen-adres" in html  # nothing the user typed is lost
    assert 'aria-invalid="true"' in html
    assert Invitation.objects.count() == 0
    assert mailoutbox == []


def test_existing_member_cannot_be_invited_again(personas, org_a, viewer_a, mailoutbox):
    response = _invite(personas["admin_a"].client(), org_a, email=viewer_a.email)
    assert response.status_code == 422
    assert "email" in response.context["form"].errors
    assert mailoutbox == []


def test_second_open_invitation_for_same_address_is_refused(personas, org_a, mailoutbox):
    admin = personas["admin_a"].client()
    assert _invite(admin, org_a).status_code == 302
    response = _invite(admin, org_a)
    assert response.status_code == 422
    assert Invitation.objects.count() == 1
    assert len(mailoutbox) == 1


def test_project_team_can_invite_into_any_organisation(personas, org_b, mailoutbox):
    response = _invite(personas["project_team"].client(), org_b, email="nieuw@bedum.nl")
    assert response.status_code == 302
    assert Invitation.objects.get().organisation == org_b


def test_admin_revokes_invitation(personas, org_a, mailoutbox):
    admin = personas["admin_a"].client()
    _invite(admin, org_a)
    invitation = Invitation.objects.get()
    url = reverse("portal:invitation-revoke", args=[org_a.slug, invitation.public_id])
    assert personas["viewer_a"].client().post(url).status_code == 403
    assert admin.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert personas["editor_b"].client().get(_link_from(mailoutbox[0])).status_code == 410


def test_admin_removes_member_but_not_last_admin(personas, org_a, viewer_a, admin_a):
    admin = personas["admin_a"].client()
    viewer_membership = viewer_a.memberships.get()
    url = reverse("portal:membership-remove", args=[org_a.slug, viewer_membership.public_id])
    assert personas["editor_a"].client().post(url).status_code == 403
    assert admin.post(url).status_code == 302
    assert not Membership.objects.filter(pk=viewer_membership.pk).exists()

    admin_membership = admin_a.memberships.get()
    url = reverse("portal:membership-remove", args=[org_a.slug, admin_membership.public_id])
    admin.post(url)
    assert Membership.objects.filter(pk=admin_membership.pk).exists()
