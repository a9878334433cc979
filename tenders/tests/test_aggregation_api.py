"""Aggregation API: snapshots, their lot totals and grouped totals, requesting a run; the
project team only (404 for everyone else), read-only for project-team viewers (403)."""

from __future__ import annotations

import uuid

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from conftest import TOTP_SECRET
from portal.models import Role
from tenders.models import AggregationRun, AggregationSnapshot, Programme
from tenders.services.freeze import snapshot_freeze
from tenders.tests.test_aggregation import deadline_passed, run_now, submit
from tenders.tests.test_aggregation import setup as _setup  # noqa: F401 (the "setup" fixture)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
BASE = "/api/v1/programmes/gt-agg"


@pytest.fixture
def team_viewer(project_team):
    user = MembershipFactory(
        organisation=project_team, role=Role.VIEWER, user=UserFactory(email="lezer@vng.nl")
    ).user
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def agg(request):
    """tenders/tests/test_aggregation.py's data: three participants, two lots, prices."""
    return request.getfixturevalue("_setup")


@pytest.fixture
def snapshots(agg):
    submit(
        agg,
        "a",
        [
            ("GM9101", "laptop", 2028, 100),
            ("GM9101", "laptop", 2029, 50),
            ("GM9101", "monitor", 2028, 200),
        ],
    )
    submit(agg, "b", [("GM9102", "laptop", 2028, 10), ("GM9102", "phone", 2029, 40)])
    first = run_now(agg["programme"])
    submit(agg, "jb", [("GM9103", "monitor", 2029, 30)])
    second = run_now(agg["programme"])
    return first, second


def test_the_project_team_lists_the_snapshots_newest_first(personas, snapshots):
    first, second = snapshots
    response = personas["project_team"].client().get(f"{BASE}/snapshots")
    assert response.status_code == 200
    assert response["API-Version"]
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(second.public_id), str(first.public_id)]
    assert rows[0] == {
        "id": str(second.public_id),
        "createdAt": rows[0]["createdAt"],
        "isFrozen": False,
        "runStatus": "done",
        "includedVersions": 3,
    }
    assert rows[1]["includedVersions"] == 2


def test_the_list_query_count_does_not_grow_with_snapshots(
    personas, agg, snapshots, django_assert_max_num_queries
):
    client = personas["project_team"].client()
    client.get(f"{BASE}/snapshots")  # session, user and memberships warmed up
    with django_assert_max_num_queries(12) as few:
        client.get(f"{BASE}/snapshots")
    for _ in range(4):
        run_now(agg["programme"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{BASE}/snapshots")
    assert response.json()["count"] == 6


def test_the_detail_has_lot_totals_per_year_and_term_and_the_included_versions(
    personas, agg, snapshots
):
    _first, second = snapshots
    response = personas["project_team"].client().get(f"{BASE}/snapshots/{second.public_id}")
    assert response.status_code == 200
    data = response.json()
    totals = {(t["lot"], t["year"]): t for t in data["lotTotals"]}
    assert sorted(totals) == [(1, 0), (1, 2028), (1, 2029), (2, 0), (2, 2029)]
    assert totals[(1, 0)] == {
        "lot": 1,
        "lotName": "Werkplek",
        "year": 0,
        "quantity": 390,
        "maximumQuantity": 488,
        "estimatedValue": "206000.00",
        "maximumValue": "257500.00",
        "aboveThreshold": True,
        "participants": 3,
    }
    assert totals[(2, 2029)]["estimatedValue"] == "20000.00"
    assert totals[(2, 0)]["maximumValue"] == "22000.00"
    assert data["includedVersions"] == 3
    versions = (
        personas["project_team"]
        .client()
        .get(f"{BASE}/snapshots/{second.public_id}/included-versions", {"limit": 2})
        .json()
    )
    assert versions["count"] == 3
    assert versions["results"] == [
        {"participant": "gemeente-aadorp", "number": 1, "sha256": "0" * 64},
        {"participant": "gemeente-bedum", "number": 1, "sha256": "0" * 64},
    ]
    assert data["authorityCount"] is None and data["isFrozen"] is False
    authorities = (
        personas["project_team"].client().get(f"{BASE}/snapshots/{second.public_id}/authorities")
    )
    assert authorities.json()["count"] == 0
    assert data["thresholdAmount"] is None or data["thresholdAmount"].endswith(".00")


def test_a_frozen_snapshot_shows_its_authorities(personas, snapshots):
    _first, second = snapshots
    deadline_passed(second.programme)
    snapshot_freeze(actor=personas["project_team"].user, snapshot=second)
    client = personas["project_team"].client()
    data = client.get(f"{BASE}/snapshots/{second.public_id}").json()
    assert data["isFrozen"] is True and data["frozenAt"]
    listed = client.get(f"{BASE}/snapshots/{second.public_id}/authorities").json()
    assert data["authorityCount"] == listed["count"] == len(listed["results"]) == 4
    first_page = client.get(f"{BASE}/snapshots/{second.public_id}/authorities", {"limit": 1})
    assert first_page.json()["results"] == listed["results"][:1]
    municipalities = [a for a in listed["results"] if a["kind"] == "municipality"]
    assert [a["cbsCode"] for a in municipalities] == ["GM9101", "GM9102", "GM9103"]
    assert municipalities[2] == {
        "cbsCode": "GM9103",
        "identifier": "GM9103",
        "scheme": "cbs",
        "name": municipalities[2]["name"],
        "kind": "municipality",
        "participant": "Werkorganisatie Duo",
        "lots": [1],
    }
    body = next(a for a in listed["results"] if a["kind"] == "joint_body")
    assert (body["name"], body["lots"]) == ("Werkorganisatie Duo", [1])


def test_totals_can_be_filtered(personas, snapshots):
    _first, second = snapshots
    client = personas["project_team"].client()
    url = f"{BASE}/snapshots/{second.public_id}/totals"
    everything = client.get(url).json()
    assert everything["count"] == 6
    assert sum(row["quantity"] for row in everything["results"]) == 430
    laptops = client.get(url, {"lot": 1, "year": 2028, "province": "Utrecht"}).json()["results"]
    assert laptops == [
        {
            "lot": 1,
            "category": "laptop",
            "year": 2028,
            "province": "Utrecht",
            "sizeClass": "100k+",
            "quantity": 100,
            "participants": 1,
            "unitPrice": "1000.00",
        },
        {
            "lot": 1,
            "category": "monitor",
            "year": 2028,
            "province": "Utrecht",
            "sizeClass": "100k+",
            "quantity": 200,
            "participants": 1,
            "unitPrice": "200.00",
        },
    ]
    small = client.get(url, {"sizeClass": "<20k"}).json()["results"]
    assert [(r["category"], r["quantity"]) for r in small] == [("monitor", 30)]
    assert client.get(url, {"lot": 2}).json()["count"] == 1


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"year": "volgend jaar"}, "year"),
        ({"lot": "0"}, "lot"),
        ({"sizeClass": "huge"}, "sizeClass"),
    ],
)
def test_bad_filters_are_problems(personas, snapshots, params, name):
    _first, second = snapshots
    response = (
        personas["project_team"].client().get(f"{BASE}/snapshots/{second.public_id}/totals", params)
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert [p["name"] for p in response.json()["invalidParams"]] == [name]


def test_outsiders_get_404_and_anonymous_403(personas, snapshots):
    _first, second = snapshots
    urls = [
        f"{BASE}/snapshots",
        f"{BASE}/snapshots/{second.public_id}",
        f"{BASE}/snapshots/{second.public_id}/totals",
        f"{BASE}/aggregation-runs/{second.run.public_id}",
    ]
    for persona in ("admin_a", "editor_a", "viewer_a", "editor_b", "joint_body", "supplier_x"):
        client = personas[persona].client()
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (persona, url)
            assert response["Content-Type"] == PROBLEM
        assert client.post(f"{BASE}/aggregation-runs").status_code == 404, persona
    anonymous = personas["anonymous"].client()
    for url in urls:
        assert anonymous.get(url).status_code == 403
    assert anonymous.post(f"{BASE}/aggregation-runs").status_code == 403


def test_unknown_snapshots_and_those_of_other_programmes_are_404(personas, snapshots):
    client = personas["project_team"].client()
    other = Programme.objects.create(
        slug="gt-other", name="GT Other", status="joining", contract_start_year=2028
    )
    _first, second = snapshots
    assert client.get(f"{BASE}/snapshots/{uuid.uuid4()}").status_code == 404
    assert client.get(f"{BASE}/snapshots/{uuid.uuid4()}/totals").status_code == 404
    assert (
        client.get(f"/api/v1/programmes/{other.slug}/snapshots/{second.public_id}").status_code
        == 404
    )
    assert client.get("/api/v1/programmes/bestaat-niet/snapshots").status_code == 404


def test_the_team_asks_for_a_run_and_gets_202_with_the_queued_run(
    personas, agg, django_capture_on_commit_callbacks
):
    client = personas["project_team"].client()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"{BASE}/aggregation-runs")
    assert response.status_code == 202
    run = AggregationRun.objects.get(programme=agg["programme"])
    assert response.json()["id"] == str(run.public_id)
    assert response.json()["status"] == "queued"
    assert response["Location"].endswith(f"{BASE}/aggregation-runs/{run.public_id}")
    assert len(callbacks) == 1  # the task is sent after commit
    # Coalesced: asking again while the run is queued returns the same run.
    again = client.post(f"{BASE}/aggregation-runs")
    assert again.status_code == 202 and again.json()["id"] == str(run.public_id)
    status = client.get(f"{BASE}/aggregation-runs/{run.public_id}").json()
    assert status["status"] == "queued" and status["reason"] == "requested"


def test_project_team_viewers_read_but_may_not_ask_for_a_run(client, team_viewer, agg, snapshots):
    client.force_login(team_viewer)
    assert client.get(f"{BASE}/snapshots").status_code == 200
    with transaction.atomic():
        response = client.post(f"{BASE}/aggregation-runs")
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert not AggregationRun.objects.filter(status="queued").exists()
    assert AggregationSnapshot.objects.count() == 2


def test_a_page_of_authorities_is_cut_by_the_database(personas, snapshots):
    """The authorities list pages the frozen snapshot's JSON array in the database: a page
    reads only its elements (the column itself is never selected), in the array's order, and
    the count comes with the snapshot."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.db import JSONArrayRows

    _first, second = snapshots
    deadline_passed(second.programme)
    snapshot_freeze(actor=personas["project_team"].user, snapshot=second)
    second.refresh_from_db()
    whole = second.authorities
    client = personas["project_team"].client()
    url = f"{BASE}/snapshots/{second.public_id}/authorities"
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url, {"limit": 2, "offset": 1}).json()
    assert page["count"] == len(whole) == 4
    assert [a["name"] for a in page["results"]] == [a["name"] for a in whole[1:3]]
    reads = [q["sql"] for q in captured.captured_queries if "authorities" in q["sql"]]
    assert any("jsonb_path_query_array" in sql for sql in reads)
    assert not any('"tenders_aggregationsnapshot"."authorities" FROM' in sql for sql in reads)
    rows = JSONArrayRows(second, "authorities")
    assert len(rows) == 4
    assert rows[0] == whole[0] and rows[-1] == whole[-1]
    assert rows[2:10] == whole[2:] and rows[4:6] == [] and rows[3:1] == []
    with pytest.raises(IndexError):
        rows[4]
