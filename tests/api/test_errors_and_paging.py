"""The API's error contract: every error under /api/ is problem+json (also the ones Django
answers before an API view runs), paging refuses values it cannot honour with a 400, OPTIONS
never fails, and the schema at openapi.json is JSON."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings
from django.urls import path

from config import urls as root_urls
from portal.api_errors import PROBLEM_CONTENT_TYPE
from portal.pagination import MAX_OFFSET, LimitOffsetPagination

pytestmark = pytest.mark.django_db


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response["API-Version"] == "1.0.0"
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/demands/not-a-uuid",
        "/api/v1/demands/2b6f0cc9-1d2b-4a38-9d1f-2a8d5c0b7e11/versions/one",
        "/api/v1/consultations/a%20b",
        "/api/v1/programmes/x/snapshots/123",
        "/api/v1/bestaat-niet",
        "/api/bestaat-niet",
    ],
)
def test_a_path_that_matches_no_route_is_a_problem_404(personas, path):
    body = _problem(personas["editor_a"].client().get(path), 404)
    assert body["instance"] == path.replace("%20", " ")
    assert body["detail"] == "Er is geen API-resource op dit pad."


def test_pages_outside_the_api_keep_their_html_404(personas):
    response = personas["editor_a"].client().get("/bestaat-niet-hier")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_resource_does_not_allow_is_a_problem_405(personas):
    response = personas["editor_a"].client().delete("/api/v1/programmes")
    _problem(response, 405)
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("limit=99999999999999999999", "limit"),
        ("limit=" + "9" * 5000, "limit"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=", "limit"),
        ("limit=2.5", "limit"),
        (f"limit={LimitOffsetPagination.max_limit + 1}", "limit"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("offset=99999999999999999999", "offset"),
        (f"offset={MAX_OFFSET + 1}", "offset"),
        ("offset=%EF%BC%91", "offset"),  # a full-width digit one
    ],
)
def test_invalid_paging_is_a_problem_400_naming_the_parameter(personas, query, name):
    response = personas["editor_a"].client().get(f"/api/v1/organisations?{query}")
    body = _problem(response, 400)
    assert [param["name"] for param in body["invalidParams"]] == [name]
    assert "Vul een heel getal in" in body["invalidParams"][0]["reason"]


def test_valid_paging_at_the_bounds_is_honoured(personas, org_a):
    client = personas["editor_a"].client()
    limit = LimitOffsetPagination.max_limit
    body = client.get(f"/api/v1/organisations?limit={limit}&offset=0").json()
    assert body["count"] == 1
    assert body["results"][0]["slug"] == org_a.slug
    assert client.get(f"/api/v1/organisations?offset={MAX_OFFSET}").json()["results"] == []


def test_the_schema_declares_the_paging_bounds():
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/programmes"]["get"]["parameters"]
    }
    assert parameters["limit"]["maximum"] == LimitOffsetPagination.max_limit
    assert parameters["limit"]["minimum"] == 1
    assert parameters["offset"] == {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}


def test_openapi_json_is_json_whatever_is_accepted():
    for accept in ("*/*", "application/json", "application/*"):
        response = Client().get("/api/v1/openapi.json", HTTP_ACCEPT=accept)
        assert response.status_code == 200, accept
        assert response["Content-Type"].startswith("application/"), accept
        assert "json" in response["Content-Type"], accept
        assert json.loads(response.content)["openapi"].startswith("3.")


def test_options_answers_every_api_path_without_a_server_error(personas):
    """OPTIONS on every path of the schema, with a path parameter that exists nowhere: the
    reports list used to fail building its serializer (a 500)."""
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    client = personas["editor_a"].client()
    for template in schema["paths"]:
        path = "/api/v1" + template.format_map(_AnyValue())
        response = client.options(path)
        assert response.status_code < 500, path
        if response.status_code >= 400:
            _problem(response, response.status_code)
        else:
            assert "actions" not in response.json(), path
            assert "OPTIONS" in response["Allow"], path


def test_options_needs_a_login_like_every_other_method():
    _problem(Client().options("/api/v1/me"), 403)


class _AnyValue(dict):
    def __missing__(self, key: str) -> str:
        return "2b6f0cc9-1d2b-4a38-9d1f-2a8d5c0b7e11" if "id" in key or key == "report" else "x1"


def test_the_participation_schema_says_submitted_at_may_be_null():
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    submitted_at = schema["components"]["schemas"]["Participation"]["properties"]["submittedAt"]
    assert submitted_at["nullable"] is True


def _broken_view(request):
    raise RuntimeError("a bug")


# The portal's own URLs and error handlers, plus two views that fail.
urlpatterns = [
    path("api/v1/broken", _broken_view),
    path("broken", _broken_view),
    *root_urls.urlpatterns,
]
handler500 = root_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_under_the_api_is_a_problem_500():
    client = Client(raise_request_exception=False)
    body = _problem(client.get("/api/v1/broken"), 500)
    assert "a bug" not in json.dumps(body)
    assert client.get("/broken")["Content-Type"].startswith("text/html")
