import pytest
from django.urls import reverse

from portal.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_user_with_two_organisations_switches(personas, editor_a, org_a, org_b):
    MembershipFactory(user=editor_a, organisation=org_b, role=Role.VIEWER)
    client = personas["editor_a"].client()
    home = client.get(reverse("portal:home"))
    assert home.context["membership"].organisation == org_a  # alphabetical default
    assert 'id="org-switch"' in home.content.decode()

    response = client.post(
        reverse("portal:organisation-switch"),
        {"organisation": str(org_b.public_id), "next": reverse("portal:organisation-list")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:organisation-list")
    home = client.get(reverse("portal:home"))
    assert home.context["membership"].organisation == org_b
    assert home.context["membership"].role == Role.VIEWER


def test_cannot_switch_to_an_organisation_without_membership(personas, org_b):
    client = personas["editor_a"].client()
    response = client.post(
        reverse("portal:organisation-switch"), {"organisation": str(org_b.public_id)}
    )
    assert response.status_code == 404


def test_switch_ignores_foreign_next_url(personas, editor_a, org_b):
    MembershipFactory(user=editor_a, organisation=org_b)
    response = (
        personas["editor_a"]
        .client()
        .post(
            reverse("portal:organisation-switch"),
            {"organisation": str(org_b.public_id), "next": "https://evil.example/"},
        )
    )
    assert response["Location"] == reverse("portal:home")


def test_switch_requires_post(personas):
    assert (
        personas["editor_a"].client().get(reverse("portal:organisation-switch")).status_code == 405
    )
