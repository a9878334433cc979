"""Demand API: scoping, replacing the working copy, validation at JSON pointers, optimistic
concurrency, submitting versions, read-only roles and the deadline."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.utils import timezone

from catalog.services import catalog_load_reference
from conftest import TOTP_SECRET
from municipalities.models import Demand, DemandLine, DemandVersion, Participation
from municipalities.services.demand import demand_for_participation
from portal.models import Role
from tenders.models import Milestone
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def demand(participation_a, programme):
    catalog_load_reference()
    Participation.objects.filter(pk=participation_a.pk).update(status=Participation.Status.APPROVED)
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        due_at=timezone.now() + timedelta(days=10),
    )
    participation_a.refresh_from_db()
    return demand_for_participation(participation=participation_a)


def url(demand, suffix=""):
    return f"/api/v1/demands/{demand.public_id}{suffix}"


def body(revision=0, **extra):
    data = {
        "revision": revision,
        "lines": [
            {"municipality": "GM9001", "category": "laptop", "year": 2028, "quantity": 120},
            {
                "municipality": "GM9001",
                "category": "laptop",
                "year": 2029,
                "quantity": 80,
                "min": 60,
                "max": 100,
            },
            {"municipality": "GM9001", "category": "desktop", "year": 2028, "quantity": "1.250"},
        ],
        "options": [
            {"municipality": "GM9001", "category": "laptop", "services": [], "remark": "Zwart"}
        ],
        "profiles": [{"municipality": "GM9001", "workplaces": 400, "employees": 500}],
    }
    data.update(extra)
    return data


def put(client, demand, data):
    return client.put(url(demand), data, content_type="application/json")


def invalid(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


# --- Reading ---------------------------------------------------------------------------------


def test_read_the_working_copy(personas, demand):
    response = personas["viewer_a"].client().get(url(demand))
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == str(demand.public_id)
    assert data["organisation"] == "gemeente-aadorp"
    assert (data["status"], data["revision"], data["lines"], data["versions"]) == (
        "draft",
        0,
        [],
        [],
    )
    assert data["deadline"] and data["isOpen"] is True
    assert response["API-Version"]


@pytest.mark.parametrize("persona", ["editor_b", "joint_body", "supplier_x"])
def test_other_tenants_get_404(personas, demand, persona):
    client = personas[persona].client()
    assert client.get(url(demand)).status_code == 404
    assert put(client, demand, body()).status_code == 404
    assert client.post(url(demand, "/submit"), {"revision": 0}).status_code == 404
    assert client.get(url(demand, "/versions/1")).status_code == 404


def test_anonymous_is_refused(personas, demand):
    response = personas["anonymous"].client().get(url(demand))
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == PROBLEM


def test_list_is_scoped(personas, demand, org_b, programme):
    other = Participation.objects.create(
        programme=programme, organisation=org_b, status=Participation.Status.APPROVED
    )
    demand_for_participation(participation=other)
    own = personas["viewer_a"].client().get("/api/v1/demands").json()["results"]
    assert [row["organisation"] for row in own] == ["gemeente-aadorp"]
    everyone = personas["project_team"].client().get("/api/v1/demands").json()["results"]
    assert {row["organisation"] for row in everyone} == {"gemeente-aadorp", "gemeente-bedum"}
    assert personas["supplier_x"].client().get("/api/v1/demands").json()["results"] == []
    filtered = personas["project_team"].client().get("/api/v1/demands?status=submitted").json()
    assert filtered["results"] == []


def test_the_list_pages_by_key_in_order_with_each_rows_latest_version(
    personas, demand, org_b, programme
):
    """The database sorts and pages the keys; each page's rows are read with their latest
    version (portal.pagination.KeyPagedMixin): one row a page gives the whole list in order."""
    from tests.factories import OrganisationFactory

    for name in ("Gemeente Zuid", "Gemeente Midden", "Gemeente Bedum"):
        organisation = (
            org_b
            if name == "Gemeente Bedum"
            else OrganisationFactory(name=name, slug=name.lower().replace(" ", "-"))
        )
        other = Participation.objects.create(
            programme=programme, organisation=organisation, status=Participation.Status.APPROVED
        )
        made = demand_for_participation(participation=other)
        if name == "Gemeente Midden":
            DemandVersion.objects.create(demand=made, number=1, snapshot={}, sha256="0" * 64)
            DemandVersion.objects.create(demand=made, number=2, snapshot={}, sha256="0" * 64)
    client = personas["project_team"].client()
    whole = client.get("/api/v1/demands").json()
    pages = [
        client.get(f"/api/v1/demands?limit=1&offset={n}").json() for n in range(whole["count"])
    ]
    assert whole["count"] == 4 and all(page["count"] == 4 for page in pages)
    names = [page["results"][0]["organisation"] for page in pages]
    assert names == [row["organisation"] for row in whole["results"]]
    assert names == ["gemeente-aadorp", "gemeente-bedum", "gemeente-midden", "gemeente-zuid"]
    versions = {page["results"][0]["organisation"]: page["results"][0] for page in pages}
    assert versions["gemeente-midden"]["latestVersion"] == 2
    assert versions["gemeente-zuid"]["latestVersion"] is None


# --- Writing ---------------------------------------------------------------------------------


def test_put_replaces_the_working_copy(personas, demand):
    client = personas["editor_a"].client()
    response = put(client, demand, body())
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["revision"] == 1
    assert {(x["category"], x["year"]): x["quantity"] for x in data["lines"]} == {
        ("laptop", 2028): 120,
        ("laptop", 2029): 80,
        ("desktop", 2028): 1250,
    }
    line = next(x for x in data["lines"] if x["year"] == 2029)
    assert (line["municipality"], line["min"], line["max"]) == ("GM9001", 60, 100)
    assert data["options"] == [
        {"municipality": "GM9001", "category": "laptop", "services": [], "remark": "Zwart"}
    ]
    assert data["profiles"] == [{"municipality": "GM9001", "workplaces": 400, "employees": 500}]

    # Replace, not merge: a second PUT with one line leaves one line.
    one = body(revision=1, options=[], profiles=[])
    one["lines"] = one["lines"][:1]
    assert put(client, demand, one).status_code == 200
    assert DemandLine.objects.filter(demand=demand).count() == 1


def test_validation_errors_at_their_location(personas, demand):
    data = body()
    data["lines"] = [
        {"municipality": "GM9001", "category": "laptop", "year": 2028, "quantity": -5},
        {"municipality": "GM9001", "category": "laptop", "year": 2029, "quantity": 2.5},
        {"municipality": "GM9001", "category": "desktop", "year": 2028, "quantity": "veel"},
        {"municipality": "GM9001", "category": "koelkast", "year": 2028, "quantity": 3},
        {"municipality": "GM9001", "category": "desktop", "year": 2029, "quantity": 5, "min": 9},
        {"municipality": "GM9002", "category": "desktop", "year": 2030, "quantity": 1},
        {"municipality": "GM9001", "category": "desktop", "year": 1999, "quantity": 1},
    ]
    data["options"] = [{"municipality": "GM9001", "category": "laptop", "services": ["x"]}]
    data["profiles"] = [{"municipality": "GM9001", "employees": "1,5"}]
    response = put(personas["editor_a"].client(), demand, data)
    problems = invalid(response)
    assert set(problems) == {
        "/lines/0/quantity",
        "/lines/1/quantity",
        "/lines/2/quantity",
        "/lines/3/category",
        "/lines/4/min",
        "/lines/5/municipality",
        "/lines/6/year",
        "/options/0/services",
        "/profiles/0/employees",
    }
    assert problems["/lines/3/category"]
    demand.refresh_from_db()
    assert demand.revision == 0
    assert not DemandLine.objects.filter(demand=demand).exists()


def test_english_reasons(personas, demand):
    data = body()
    data["lines"] = [
        {"municipality": "GM9001", "category": "laptop", "year": 2028, "quantity": -5},
        {"municipality": "GM9001", "category": "laptop", "year": 2029, "quantity": 2.5},
        {"municipality": "GM9001", "category": "desktop", "year": 2028, "quantity": "veel"},
        {"municipality": "GM9001", "category": "koelkast", "year": 2028, "quantity": 3},
    ]
    client = personas["editor_a"].client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = put(client, demand, data)
    problems = invalid(response)
    assert problems == {
        "/lines/0/quantity": "Enter 0 or more.",
        "/lines/1/quantity": "Enter a whole number, without decimals.",
        "/lines/2/quantity": "Enter a whole number.",
        "/lines/3/category": "Unknown category: give the code of an active device category.",
    }


@pytest.mark.parametrize(
    ("payload", "location"),
    [
        ([], ""),
        ({"lines": []}, "/revision"),
        ({"revision": "x", "lines": []}, "/revision"),
        ({"revision": 0}, "/lines"),
        ({"revision": 0, "lines": {}}, "/lines"),
        ({"revision": 0, "lines": ["x"]}, "/lines/0"),
        ({"revision": 0, "lines": [{"municipality": "GM9001", "category": "laptop"}]}, None),
    ],
)
def test_malformed_bodies(personas, demand, payload, location):
    problems = invalid(put(personas["editor_a"].client(), demand, payload))
    if location is not None:
        assert location in problems or (location == "" and "nonFieldErrors" in problems)


def test_duplicate_lines_are_refused(personas, demand):
    data = body()
    data["lines"].append(dict(data["lines"][0]))
    assert "/lines/3" in invalid(put(personas["editor_a"].client(), demand, data))


def test_stale_revision_is_a_conflict_and_changes_nothing(personas, demand):
    client = personas["editor_a"].client()
    assert put(client, demand, body(revision=0)).status_code == 200
    before = sorted(DemandLine.objects.filter(demand=demand).values_list("year", "quantity"))
    stale = body(revision=0)
    stale["lines"] = [{"municipality": "GM9001", "category": "laptop", "year": 2028, "quantity": 1}]
    response = put(personas["admin_a"].client(), demand, stale)
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"]
    assert sorted(DemandLine.objects.filter(demand=demand).values_list("year", "quantity")) == (
        before
    )
    assert Demand.objects.get(pk=demand.pk).revision == 1


def test_submit_creates_versions(personas, demand):
    client = personas["editor_a"].client()
    assert put(client, demand, body(revision=0)).status_code == 200
    response = client.post(url(demand, "/submit"), {"revision": 1}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 1
    assert response["Location"].endswith(url(demand, "/versions/1"))
    assert {(x["category"], x["year"]): x["quantity"] for x in response.json()["lines"]} == {
        ("laptop", 2028): 120,
        ("laptop", 2029): 80,
        ("desktop", 2028): 1250,
    }
    second = client.post(url(demand, "/submit"), {"revision": 2}, content_type="application/json")
    assert second.status_code == 201
    assert second.json()["number"] == 2
    assert list(DemandVersion.objects.filter(demand=demand).values_list("number", flat=True)) == [
        2,
        1,
    ]

    version = personas["viewer_a"].client().get(url(demand, "/versions/1"))
    assert version.status_code == 200
    assert len(version.json()["lines"]) == 3
    detail = personas["project_team"].client().get(url(demand)).json()
    assert detail["status"] == "submitted"
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    assert client.get(url(demand, "/versions/3")).status_code == 404


def test_submit_with_a_stale_revision_is_a_conflict(personas, demand):
    client = personas["editor_a"].client()
    assert put(client, demand, body(revision=0)).status_code == 200
    response = client.post(url(demand, "/submit"), {"revision": 0}, content_type="application/json")
    assert response.status_code == 409
    assert not DemandVersion.objects.filter(demand=demand).exists()


def test_submit_needs_a_revision(personas, demand):
    response = (
        personas["editor_a"]
        .client()
        .post(url(demand, "/submit"), {}, content_type="application/json")
    )
    assert "/revision" in invalid(response)


@pytest.fixture
def team_viewer(project_team):
    user = MembershipFactory(
        organisation=project_team, role=Role.VIEWER, user=UserFactory(email="lezer@vng.nl")
    ).user
    TOTP.activate(user, TOTP_SECRET)
    return user


def test_read_only_roles_and_the_project_team_may_not_write(personas, demand, client, team_viewer):
    client.force_login(team_viewer)
    for user_client in (
        personas["viewer_a"].client(),
        personas["project_team"].client(),
        client,
    ):
        assert user_client.get(url(demand)).status_code == 200
        response = put(user_client, demand, body())
        assert response.status_code == 403
        assert response["Content-Type"] == PROBLEM
        response = user_client.post(
            url(demand, "/submit"), {"revision": 0}, content_type="application/json"
        )
        assert response.status_code == 403
    assert Demand.objects.get(pk=demand.pk).revision == 0


def test_after_the_deadline_nothing_is_written(personas, demand, programme):
    Milestone.objects.filter(programme=programme, kind=Milestone.Kind.DEMAND_DEADLINE).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    client = personas["editor_a"].client()
    response = put(client, demand, body())
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"]
    response = client.post(url(demand, "/submit"), {"revision": 0}, content_type="application/json")
    assert response.status_code == 409
    assert Demand.objects.get(pk=demand.pk).revision == 0
    assert client.get(url(demand)).json()["isOpen"] is False


def test_an_extension_reopens_the_api(personas, demand, programme):
    Milestone.objects.filter(programme=programme, kind=Milestone.Kind.DEMAND_DEADLINE).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    Demand.objects.filter(pk=demand.pk).update(
        deadline_extended_until=timezone.now() + timedelta(days=2)
    )
    assert put(personas["editor_a"].client(), demand, body()).status_code == 200


def test_schema_lists_the_demand_operations(personas):
    schema = personas["anonymous"].client().get("/api/v1/openapi.json?format=json")
    paths = schema.json()["paths"] if schema["Content-Type"].endswith("json") else {}
    if paths:
        assert "/demands/{public_id}" in paths
        assert {"get", "put"} <= set(paths["/demands/{public_id}"])
        assert "409" in paths["/demands/{public_id}"]["put"]["responses"]
