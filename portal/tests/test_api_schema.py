"""The OpenAPI document is made once per process, format and language, and served the same."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from portal import api_schema


@pytest.fixture
def made(monkeypatch):
    """Counts how often the schema is made, starting from nothing kept."""
    monkeypatch.setattr(api_schema, "_kept", {})
    calls = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    return calls


def test_the_document_is_made_once_and_served_the_same(made):
    first = Client().get("/api/v1/openapi.json")
    second = Client().get("/api/v1/openapi.json")
    assert len(made) == 1
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert second["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.loads(second.content)["openapi"].startswith("3.")


def test_each_format_and_language_is_kept_apart(made):
    yaml = Client().get("/api/schema/")
    Client().get("/api/schema/")
    json_body = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert len(made) == 2
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.content.startswith(b"openapi:")
    assert json.loads(json_body.content)["openapi"].startswith("3.")
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english.get("/api/v1/openapi.json")
    english.get("/api/v1/openapi.json")
    Client().get("/api/v1/openapi.json")
    assert len(made) == 4  # YAML, JSON by content negotiation, openapi.json in Dutch, in English
    assert {language for _path, _type, language in api_schema._kept} == {"nl", "en"}


def test_a_request_with_parameters_of_its_own_is_made_afresh(made):
    Client().get("/api/v1/openapi.json?lang=en")
    Client().get("/api/v1/openapi.json?lang=en")
    assert len(made) == 2
    assert api_schema._kept == {}
