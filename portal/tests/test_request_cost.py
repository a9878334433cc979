"""The cost every signed-in page pays: the user's memberships (which also answer "project
team?" and "second factor set up?") are read once per request, in one query, not once per
place that asks."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _tables(client, url: str) -> list[str]:
    """The table each query reads from: the table of its first selected column, else the first
    table after FROM. A page's own reads that touch memberships inside a subquery (members
    counted per organisation) name the table they list, not ``portal_membership``."""
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    tables = []
    for query in ctx.captured_queries:
        selected = re.match(r'SELECT (?:DISTINCT )?("\w+")\.', query["sql"])
        tables.append(
            selected.group(1) if selected else query["sql"].split(" FROM ", 1)[1].split(" ", 1)[0]
        )
    return tables


@pytest.mark.parametrize("url", ["/", "/organisaties/"])
def test_the_project_team_pays_one_query_for_memberships_and_mfa(personas, url):
    tables = _tables(personas["project_team"].client(), url)
    assert tables.count('"portal_membership"') == 1, tables
    assert '"mfa_authenticator"' not in tables, tables


def test_the_second_factor_read_with_the_memberships_is_the_truth(personas):
    """With TOTP the team's pages open; once it is gone, the very next page (the same session)
    sends the member to set it up again: the answer is read per request, never kept."""
    from allauth.mfa.models import Authenticator

    client = personas["project_team"].client()
    assert client.get("/organisaties/").status_code == 200
    Authenticator.objects.filter(user=personas["project_team"].user).delete()
    response = client.get("/organisaties/")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_a_buyer_pays_one_query_for_memberships(personas):
    tables = _tables(personas["editor_a"].client(), "/organisaties/")
    assert tables.count('"portal_membership"') == 1, tables
    assert '"mfa_authenticator"' not in tables


def test_the_primed_answer_is_the_same_as_the_query(personas):
    from portal.active import memberships_of

    class Request:
        method = "GET"

    for name, expected in (("project_team", True), ("editor_a", False), ("supplier_x", False)):
        request = Request()
        request.user = type(personas[name].user).objects.get(pk=personas[name].user.pk)
        memberships_of(request)
        assert request.user.__dict__["is_project_team"] is expected
        fresh = type(request.user).objects.get(pk=request.user.pk)
        assert fresh.is_project_team is expected
        assert request.user.__dict__["project_team_roles"] == fresh.project_team_roles
        assert bool(fresh.project_team_roles) is expected


@pytest.mark.parametrize(("role", "editor"), [("admin", True), ("editor", True), ("viewer", False)])
def test_whether_a_team_member_may_change_things_is_answered_from_the_memberships_read(
    personas, role, editor
):
    """A team page that asks whether the user may change things (its buttons, its forms)
    asks no second time: the roles come with the memberships the request read."""
    from portal.models import Membership, Organisation
    from portal.selectors import is_project_team_editor

    user = personas["project_team"].user
    Membership.objects.filter(user=user, organisation__kind=Organisation.Kind.PROJECT_TEAM).update(
        role=role
    )
    fresh = type(user).objects.get(pk=user.pk)
    assert is_project_team_editor(user=fresh) is editor
    client = personas["project_team"].client()
    client.get("/organisaties/gemeente-aadorp/")  # warm up the session
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/organisaties/gemeente-aadorp/")
    assert page.context["can_remove_people"] is editor
    role_checks = [
        q["sql"] for q in ctx.captured_queries if '"portal_membership"."role" IN' in q["sql"]
    ]
    assert not role_checks, role_checks


def test_a_project_team_member_without_mfa_is_still_sent_to_set_it_up(personas):
    from allauth.mfa.models import Authenticator

    user = personas["project_team"].user
    Authenticator.objects.filter(user=user).delete()
    client = personas["project_team"].client()
    assert client.get("/organisaties/")["Location"].startswith("/accounts/2fa/totp/activate")
    assert client.post("/organisaties/", {})["Location"].startswith("/accounts/2fa/totp/activate")
