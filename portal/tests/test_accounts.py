import pytest
from django.test import Client
from django.urls import reverse

from conftest import totp_code

pytestmark = pytest.mark.django_db


def login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_project_team_login_requires_totp(project_team_user, password):
    client = Client()
    response = login(client, project_team_user.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in yet: the dashboard sends us back to the login page.
    assert client.get(reverse("portal:organisation-list")).status_code == 302
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(project_team_user.pk)
    assert client.get(reverse("portal:organisation-list")).status_code == 200


def test_project_team_member_without_mfa_must_set_it_up(project_team, password):
    from tests.factories import MembershipFactory

    user = MembershipFactory(organisation=project_team).user
    client = Client()
    response = login(client, user.email, password)
    assert response.status_code == 302  # logged in: no TOTP to ask for yet
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page stays reachable (allauth first asks for the password again).
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": password})
    assert response.status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    # Every other page keeps sending the member to the set-up page.
    assert client.get(reverse("portal:organisation-list"))["Location"] == reverse(
        "mfa_activate_totp"
    )


def test_municipal_user_logs_in_without_mfa(editor_a, password):
    client = Client()
    response = login(client, editor_a.email, password)
    assert response.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_wrong_password_is_refused_with_message(editor_a):
    client = Client()
    response = login(client, editor_a.email, "wrong-password-123")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors


def test_login_is_rate_limited(editor_a, password):
    client = Client()
    for _ in range(5):
        assert login(client, editor_a.email, "wrong-password-123").status_code == 200
    # allauth: 5 failed attempts per 5 minutes per account; then even the right password
    # is refused until the window has passed.
    response = login(client, editor_a.email, password)
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_unverified_email_cannot_log_in(db, password):
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    user = UserFactory(email="nieuw@aadorp.nl")
    EmailAddress.objects.filter(user=user).update(verified=False)
    client = Client()
    response = login(client, user.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_admin_login_goes_through_allauth(db):
    response = Client().get("/beheer/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_password_reset_sends_mail(editor_a, mailoutbox):
    response = Client().post(reverse("account_reset_password"), {"email": editor_a.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert editor_a.email in mailoutbox[0].to


def test_recovery_code_works_once_instead_of_totp(project_team_user, password):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(project_team_user).get_unused_codes()
    assert len(codes) == 10
    client = Client()
    login(client, project_team_user.email, password)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(project_team_user.pk)

    other = Client()
    login(other, project_team_user.email, password)
    other.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert "_auth_user_id" not in other.session  # a used recovery code is spent


def test_mfa_codes_at_login_are_limited(project_team_user, password):
    """allauth's ``login_failed`` limit (settings.ACCOUNT_RATE_LIMITS) also counts wrong
    two-factor codes, per account: after five, even the right code is refused for a while."""
    from django.conf import settings

    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    client = Client()
    assert login(client, project_team_user.email, password).status_code == 302
    for _ in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert response.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert "_auth_user_id" not in client.session
    assert "te veel" in response.content.decode().lower()
