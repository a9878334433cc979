"""Rate limits of the API: anonymous callers, signed-in callers and (stricter) writes; over a
limit the answer is a problem+json 429 with Retry-After, and the OpenAPI document says so."""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings

from portal.api_errors import PROBLEM_CONTENT_TYPE

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **django_settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "write": "1000/min"}
            | rates,
        }

    return set_rates


def _is_429(response) -> dict:
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert int(response["Retry-After"]) > 0
    assert response["API-Version"] == "1.0.0"
    body = json.loads(response.content)
    assert body["status"] == 429
    assert body["title"] == "Too Many Requests"
    assert body["instance"] == "/api/v1/tenders"
    return body


def test_anonymous_callers_are_limited_per_address(rates, personas):
    rates(anon="3/min")
    client = personas["anonymous"].client()
    for _request in range(3):
        assert client.get("/api/v1/tenders").status_code == 200
    _is_429(client.get("/api/v1/tenders"))
    # A signed-in caller counts against their own limit.
    assert personas["editor_a"].client().get("/api/v1/tenders").status_code == 200


def test_signed_in_callers_are_limited_per_user(rates, personas):
    rates(user="2/min")
    first = personas["editor_a"].client()
    for _request in range(2):
        assert first.get("/api/v1/tenders").status_code == 200
    _is_429(first.get("/api/v1/tenders"))
    assert personas["editor_b"].client().get("/api/v1/tenders").status_code == 200


def test_writes_have_a_stricter_limit(rates, personas):
    rates(write="2/min")
    client = personas["editor_a"].client()
    for _request in range(2):
        assert client.post("/api/v1/me", {}).status_code == 405
    response = client.post("/api/v1/me", {})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Reads are not held back by the write limit.
    assert client.get("/api/v1/me").status_code == 200


def test_the_schema_documents_429_with_retry_after(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    operation = schema["paths"]["/tenders"]["get"]
    too_many = operation["responses"]["429"]
    assert "application/problem+json" in too_many["content"]
    assert too_many["headers"]["Retry-After"] == {"$ref": "#/components/headers/Retry-After"}
    assert "429" in schema["info"]["description"]
