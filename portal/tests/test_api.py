"""The API follows the Dutch REST API Design Rules: version header, problem+json, no slashes."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_api_root_lists_resources_and_version_header():
    response = Client().get("/api/v1")
    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    assert response.json()["programmes"].endswith("/api/v1/programmes")
    assert response.json()["consultations"].endswith("/api/v1/consultations")


def test_errors_are_problem_json(personas):
    response = personas["editor_a"].client().get("/api/v1/organisations/bestaat-niet")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert body["title"] == "Not Found"
    assert body["detail"]
    assert response["API-Version"] == "1.0.0"


def test_anonymous_gets_problem_json_401_or_403():
    response = Client().get("/api/v1/me")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"


def test_me_shows_memberships(personas, org_a):
    body = personas["admin_a"].client().get("/api/v1/me").json()
    assert body["email"] == "beheerder@aadorp.nl"
    assert body["isProjectTeam"] is False
    assert body["memberships"][0]["organisation"]["slug"] == org_a.slug
    assert body["memberships"][0]["isSignatory"] is True


def test_member_list_is_scoped(personas, org_a, org_b):
    client = personas["viewer_a"].client()
    members = client.get(f"/api/v1/organisations/{org_a.slug}/members").json()["results"]
    assert {m["email"] for m in members} == {
        "beheerder@aadorp.nl",
        "lezer@aadorp.nl",
        "inkoper@aadorp.nl",
    }
    assert client.get(f"/api/v1/organisations/{org_b.slug}/members").status_code == 404


def test_openapi_schema_follows_design_rules():
    response = Client().get("/api/v1/openapi.json", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    if schema is None:
        import json

        schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["servers"][0]["url"] == "/api/v1"
    assert {"name", "email", "url"} <= set(schema["info"]["contact"])
    for path in schema["paths"]:
        assert path == "/" or not path.endswith("/"), path
        assert path == path.lower(), path


def test_schema_and_docs_are_served_locally():
    assert Client().get("/api/schema/").status_code == 200
    docs = Client().get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert '<script src="/static/drf_spectacular' not in html
    # Our own page, in the portal's layout and language, linking the OpenAPI document.
    assert '<html lang="nl"' in html
    assert 'href="/api/v1/openapi.json"' in html
    assert "/tenders/{reference}" in html or "/tenders/" in html


def test_the_api_documentation_is_linked_only_where_it_belongs():
    from tests.factories import UserFactory

    anonymous = Client().get("/toegankelijkheid", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'href="/api/docs/"' not in anonymous
    client = Client()
    client.force_login(UserFactory())
    signed_in = client.get("/toegankelijkheid", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'href="/api/docs/"' in signed_in
