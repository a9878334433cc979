"""The shell a user sees: dashboards per kind of user and the error pages."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from portal import views
from tenders.models import Programme

pytestmark = pytest.mark.django_db


def test_dashboard_for_project_team_shows_organisation_counts(personas):
    response = personas["project_team"].client().get("/")
    assert response.context["dashboard_kind"] == "project_team"
    counts = {kind: n for kind, _label, n in response.context["organisation_counts"]}
    assert counts == {
        "municipality": 2,
        "joint_body": 1,
        "other_authority": 0,
        "supplier": 2,
        "project_team": 1,
    }


def test_dashboard_for_municipal_admin_offers_colleague_management(personas, org_a):
    response = personas["admin_a"].client().get("/")
    assert response.context["dashboard_kind"] == "municipality"
    html = response.content.decode()
    assert reverse("portal:organisation-detail", args=[org_a.slug]) in html
    assert "organisation_counts" not in response.context


def test_dashboard_for_supplier(personas):
    response = personas["supplier_x"].client().get("/")
    assert response.context["dashboard_kind"] == "supplier"


def test_dashboard_without_organisation_explains_what_to_do(db):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.context["dashboard_kind"] == "none"
    assert "niet gekoppeld aan een organisatie" in response.content.decode()


def test_anonymous_sees_landing_with_public_programmes(db):
    Programme.objects.create(
        slug="gt-x", name="GT Voorbeeld", status=Programme.Status.JOINING, contract_start_year=2028
    )
    Programme.objects.create(slug="gt-concept", name="GT Concept", contract_start_year=2029)
    html = Client().get("/").content.decode()
    assert "GT Voorbeeld" in html
    assert "GT Concept" not in html  # drafts are for the project team only


def test_403_and_404_pages_are_the_portals(personas, org_a, org_b):
    client = personas["viewer_a"].client()
    forbidden = client.get(reverse("portal:invitation-create", args=[org_a.slug]))
    assert forbidden.status_code == 403
    assert "Geen toegang" in forbidden.content.decode()
    missing = client.get(reverse("portal:organisation-detail", args=[org_b.slug]))
    assert missing.status_code == 404
    assert "Pagina niet gevonden" in missing.content.decode()


def test_500_page_renders_without_context():
    response = views.error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
