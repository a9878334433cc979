"""The home page as a task list: buyers see each step with its status and deadline and one
click to where it is done (the demand grid included); the project team sees counts of waiting
work and a menu of its own pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipalities.models import Demand, OrganisationJoinRequest, Participation
from suppliers.models import KvkDispute, KvkExtract
from tenders.models import Milestone, Programme
from tenders.tests.conftest import participate
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Participation.Status


def tasks(response) -> dict[str, tuple[str, str | None]]:
    [item] = response.context["programme_tasks"]
    return {task.key: (task.status, task.url) for task in item.tasks}


def test_a_buyer_who_has_not_joined_is_asked_to_join(personas, programme, towns):
    response = personas["admin_a"].client().get("/")
    assert tasks(response) == {
        "join": ("todo", "/deelnames/nieuw/gt-hardware"),
        "demand": ("blocked", None),
    }
    content = response.content.decode()
    assert 'href="/deelnames/nieuw/gt-hardware" aria-describedby="task-gt-hardware-join"' in content
    assert "Kan nog niet starten" in content
    assert "Uiterste datum:" in content


def test_a_submitted_registration_waits_for_the_project_team(personas, programme, towns, org_a):
    participation = participate(programme, org_a, [towns["a"]], S.SUBMITTED)
    response = personas["admin_a"].client().get("/")
    assert tasks(response)["join"] == ("waiting", f"/deelnames/{participation.public_id}/")
    assert "Wacht op het projectteam" in response.content.decode()


def test_an_approved_buyer_starts_the_demand_grid_in_one_click(personas, programme, towns, org_a):
    programme.status = Programme.Status.INVENTORY
    programme.save()
    participation = participate(programme, org_a, [towns["a"]], S.APPROVED)
    client = personas["admin_a"].client()
    response = client.get("/")
    start = f"/deelnames/{participation.public_id}/inventarisatie"
    assert tasks(response) == {
        "join": ("done", f"/deelnames/{participation.public_id}/"),
        "demand": ("todo", start),
    }
    assert f'<form method="post" action="{start}"' in response.content.decode()
    assert "U hebt 1 van de 2 stappen afgerond." in response.content.decode()
    # The button starts the inventory and lands on the grid.
    response = client.post(start)
    demand = Demand.objects.get(participation=participation)
    assert response["Location"] == f"/inventarisatie/{demand.public_id}/"
    # From then on the dashboard links straight to the grid.
    assert tasks(client.get("/"))["demand"] == (
        "in_progress",
        f"/inventarisatie/{demand.public_id}/",
    )


def test_a_returned_demand_needs_action(personas, programme, towns, org_a):
    participation = participate(programme, org_a, [towns["a"]], S.APPROVED)
    Demand.objects.create(participation=participation, status=Demand.Status.RETURNED)
    response = personas["admin_a"].client().get("/")
    assert tasks(response)["demand"][0] == "action"
    assert "Actie nodig" in response.content.decode()


def test_the_project_team_sees_counts_of_waiting_work(personas, programme, towns, org_a, org_b):
    participate(programme, org_a, [towns["a"]], S.SUBMITTED)
    participate(programme, org_b, [towns["b"]], S.SUBMITTED)
    supplier = OrganisationFactory(kind="supplier")
    KvkExtract.objects.create(
        organisation=supplier, file="kvk-extracts/1.pdf", sha256="0" * 64, uploaded_by=UserFactory()
    )
    KvkDispute.objects.create(organisation=supplier, user=UserFactory(), explanation="?")
    OrganisationJoinRequest.objects.create(organisation=org_a, user=UserFactory())
    response = personas["project_team"].client().get("/")
    work = {item.label: (item.count, item.url) for item in response.context["waiting_work"]}
    assert work == {
        "Aanmeldingen om goed te keuren (GT Hardware – werkplek)": (
            2,
            "/programmas/gt-hardware/deelnemers?status=submitted",
        ),
        "KvK-uittreksels om te controleren": (1, "/projectteam/leveranciers"),
        "Betwiste leveranciersregistraties": (1, "/projectteam/leveranciers"),
        "Verzoeken om toegang tot een organisatie": (1, "/toegangsverzoeken/"),
    }
    content = response.content.decode()
    assert '<span class="portal-counts__number">2</span>' in content
    assert 'href="/programmas/gt-hardware/inventarisatie"' in content  # the team's menu


def test_the_project_team_dashboard_costs_the_same_queries_with_more_waiting_work(
    personas, programme, towns, org_a, org_b
):
    client = personas["project_team"].client()
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    participate(programme, org_a, [towns["a"]], S.SUBMITTED)
    participate(programme, org_b, [towns["b"]], S.SUBMITTED)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_waiting_work_query_is_built_once_per_process(personas, programme, org_a, towns):
    """The waiting-work query has no parameter of the request: Django builds it on the first
    dashboard and the later ones only run it, and still count what changed in between."""
    from config.dashboard_tasks import _waiting_sql

    _waiting_sql.cache_clear()
    client = personas["project_team"].client()
    assert client.get("/").context["waiting_work"] == []
    participate(programme, org_a, [towns["a"]], S.SUBMITTED)
    work = client.get("/").context["waiting_work"]
    assert [(item.count, item.url) for item in work] == [
        (1, "/programmas/gt-hardware/deelnemers?status=submitted")
    ]
    assert (_waiting_sql.cache_info().misses, _waiting_sql.cache_info().hits) == (1, 1)


def test_the_team_gets_the_programme_pages_in_the_header(personas, programme):
    content = (
        personas["project_team"].client().get("/programmas/gt-hardware/deelnemers").content.decode()
    )
    assert 'aria-labelledby="team-nav-label"' in content
    assert 'href="/programmas/gt-hardware/aggregatie"' in content or "/aggregat" in content
    buyer = personas["admin_a"].client().get("/programmas/gt-hardware").content.decode()
    assert "team-nav-label" not in buyer


def test_deadline_of_the_demand_is_shown(personas, programme, towns, org_a):
    from datetime import timedelta

    from django.utils import timezone

    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        due_at=timezone.now() + timedelta(days=60),
    )
    participation = participate(programme, org_a, [towns["a"]], S.APPROVED)
    Demand.objects.create(participation=participation)
    response = personas["admin_a"].client().get("/")
    [item] = response.context["programme_tasks"]
    assert item.tasks[1].deadline == programme.milestones.get(kind="demand_deadline").due_at
