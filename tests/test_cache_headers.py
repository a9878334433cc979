"""``Cache-Control: no-store`` on every answer a signed-in user gets (pages, downloads, the
API), apart from the public resources that are the same for everyone; anonymous visitors of
public pages keep their caching. Walks every GET route of the permission matrix."""

from __future__ import annotations

import pytest

from portal.cache_headers import is_public_cacheable
from tests.permission_matrix import GLOBS, MATRIX, PERSONAS
from tests.test_permission_matrix import PERSONA_FIXTURES, fill, request
from tests.test_permission_matrix import world as world

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def cache_header_failures(world) -> tuple[list[str], int]:
    clients = {
        key: world["personas"][fixture].client() for key, fixture in PERSONA_FIXTURES.items()
    }
    rows = [(route, expected, None) for route, method, expected in MATRIX if method == "GET"]
    rows += [
        (glob, expected, sample) for glob, sample, method, expected in GLOBS if method == "GET"
    ]
    failures = []
    checked = 0
    for route, expected, sample in rows:
        path = sample or fill(route, "GET", world)[0]
        for persona, status in zip(PERSONAS, expected, strict=True):
            if status != 200:
                continue
            response = request(clients[persona], "GET", path, {})
            if response.status_code != 200:
                continue
            checked += 1
            public = is_public_cacheable(path)
            if persona != "anon" and not public and not _no_store(response):
                failures.append(f"GET {path} as {persona}: no Cache-Control: no-store")
            if persona != "anon" and not public and response.get("Pragma") != "no-cache":
                failures.append(f"GET {path} as {persona}: no Pragma: no-cache")
            if persona == "anon" and public and _no_store(response):
                failures.append(f"GET {path} as anon: a public page is no-store")
    return failures, checked


def test_every_signed_in_answer_is_no_store(world):
    failures, checked = cache_header_failures(world)
    assert checked > 100
    assert not failures, "\n".join(failures)


def test_downloads_of_non_public_files_are_no_store(world):
    """The mandate, its signed scan, the college's decision: attachments, never cached."""
    client = world["personas"]["admin_a"].client()
    for route in (
        "deelnames/<uuid:public_id>/mandaat/<uuid:document_id>/download",
        "deelnames/<uuid:public_id>/ondertekend/<uuid:signature_id>/download",
        "deelnames/<uuid:public_id>/mandaat/bevoegdheid/<str:which>.pdf",
    ):
        response = client.get(fill(route, "GET", world)[0])
        assert response.status_code == 200, route
        assert response["Content-Disposition"].startswith("attachment"), route
        assert "no-store" in response["Cache-Control"], route
        assert "private" in response["Cache-Control"], route


def test_public_pages_keep_their_caching_for_anonymous_visitors(client, db):
    for path in ("/", "/aanbestedingen", "/toegankelijkheid"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in response.get("Cache-Control", ""), path


def test_an_api_answer_to_a_signed_in_user_is_no_store(personas):
    response = personas["editor_a"].client().get("/api/v1/organisations")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" not in personas["anonymous"].client().get("/api/v1").get("Cache-Control", "")
