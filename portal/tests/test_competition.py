"""One rule for competitors: a person is a member of suppliers or of the buying side (and the
project team), never of both; every way in asks portal.competition and the database refuses
the rest."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import TOTP_SECRET
from portal.admin import MembershipAdminForm
from portal.models import Invitation, Membership, Organisation, Role
from portal.services import invitation_accept, invitation_create
from suppliers.services import join_request_create, join_request_decide
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://portal.example.nl/"


def _open_invitation(*, actor, organisation, email):
    invitation, token = invitation_create(
        actor=actor, organisation=organisation, email=email, role=Role.EDITOR, base_url=BASE_URL
    )
    return invitation, token


def test_project_team_viewer_cannot_accept_an_invitation_into_a_supplier(
    supplier_x, supplier_x_user, project_team
):
    person = UserFactory(email="lezer@projectteam.nl")
    # Invited while only a user; joins the project team before accepting.
    invitation, token = _open_invitation(
        actor=supplier_x_user, organisation=supplier_x, email=person.email
    )
    MembershipFactory(user=person, organisation=project_team, role=Role.VIEWER)
    TOTP.activate(person, TOTP_SECRET)
    client = _client(person)
    response = client.post(reverse("portal:invitation-accept", args=[token]))
    assert response.status_code == 422
    content = response.content.decode()
    assert "mededingingsregels" in content
    assert not Membership.objects.filter(user=person, organisation=supplier_x).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_supplier_member_cannot_accept_an_invitation_into_a_municipality(
    org_a, admin_a, supplier_x_user
):
    invitation = Invitation.objects.create(
        organisation=org_a,
        email=supplier_x_user.email,
        role=Role.VIEWER,
        token_hash="x" * 64,
        invited_by=admin_a,
        expires_at=Invitation.default_expiry(),
    )
    with pytest.raises(ValidationError):
        invitation_accept(actor=supplier_x_user, invitation=invitation)
    assert not Membership.objects.filter(user=supplier_x_user, organisation=org_a).exists()


def test_supplier_member_cannot_be_invited_into_the_project_team(
    project_team, project_team_user, supplier_x_user
):
    with pytest.raises(ValidationError) as exc:
        _open_invitation(
            actor=project_team_user, organisation=project_team, email=supplier_x_user.email
        )
    assert "email" in exc.value.message_dict
    assert not Invitation.objects.exists()


def test_project_team_member_cannot_be_invited_into_a_supplier_on_the_page(
    personas, supplier_x, project_team_user
):
    response = (
        personas["supplier_x"]
        .client()
        .post(
            reverse("portal:invitation-create", args=[supplier_x.slug]),
            {"email": project_team_user.email, "role": "editor"},
        )
    )
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_invitation_within_one_side_still_works(org_a, admin_a, editor_b):
    invitation, _token = _open_invitation(actor=admin_a, organisation=org_a, email=editor_b.email)
    membership = invitation_accept(actor=editor_b, invitation=invitation)
    assert membership.organisation == org_a


def test_join_request_of_a_municipal_user_is_refused(supplier_x, editor_a):
    with pytest.raises(ValidationError):
        join_request_create(actor=editor_a, organisation=supplier_x)


def test_approving_a_join_request_across_the_separation_is_refused(
    supplier_x, supplier_x_user, org_a
):
    person = UserFactory(email="wisselaar@example.nl")
    join_request = join_request_create(actor=person, organisation=supplier_x)
    # Meanwhile the person became a municipal buyer.
    MembershipFactory(user=person, organisation=org_a, role=Role.VIEWER)
    with pytest.raises(ValidationError) as exc:
        join_request_decide(actor=supplier_x_user, join_request=join_request, approve=True)
    assert person.email in str(exc.value) or str(person) in str(exc.value)
    assert not Membership.objects.filter(user=person, organisation=supplier_x).exists()
    join_request.refresh_from_db()
    assert join_request.is_pending


def test_admin_form_refuses_a_membership_across_the_separation(supplier_x, project_team_user):
    form = MembershipAdminForm(
        data={"user": project_team_user.pk, "organisation": supplier_x.pk, "role": "viewer"}
    )
    assert not form.is_valid()
    assert "user" in form.errors


def test_admin_form_accepts_a_membership_on_the_same_side(org_b, editor_a):
    form = MembershipAdminForm(
        data={"user": editor_a.pk, "organisation": org_b.pk, "role": "viewer"}
    )
    assert form.is_valid(), form.errors


def test_database_refuses_a_membership_of_both_kinds(supplier_x, project_team_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=project_team_user, organisation=supplier_x)
    assert not Membership.objects.filter(user=project_team_user, organisation=supplier_x).exists()


def test_database_refuses_moving_a_membership_across(org_a, org_b, editor_a, supplier_x):
    MembershipFactory(user=editor_a, organisation=org_b)
    membership = Membership.objects.get(user=editor_a, organisation=org_a)
    membership.organisation = supplier_x
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()
    assert Membership.objects.get(pk=membership.pk).organisation == org_a


def test_database_refuses_changing_the_kind_of_an_organisation_across(org_a, editor_a, org_b):
    MembershipFactory(user=editor_a, organisation=org_b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=org_a.pk).update(kind=Organisation.Kind.SUPPLIER)


def test_database_allows_both_memberships_on_one_side(org_b, editor_a, project_team):
    Membership.objects.create(user=editor_a, organisation=org_b)
    Membership.objects.create(user=editor_a, organisation=project_team)
    assert Membership.objects.filter(user=editor_a).count() == 3


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
