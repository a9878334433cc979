"""The participations page: one page of rows at a time, each read with its organisation and
programme only (the summary of a participation is on its own page)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.paged_rows import LIST_PAGE_SIZE
from tests.factories import OrganisationFactory
from tests.test_query_budgets import add_demands

pytestmark = pytest.mark.django_db


def test_the_project_team_sees_every_participation_a_page_at_a_time(personas):
    from municipalities.models import Participation

    add_demands({}, LIST_PAGE_SIZE + 5)
    client = personas["project_team"].client()

    first = client.get("/deelnames/")
    assert first.status_code == 200
    assert len(first.context["participations"]) == LIST_PAGE_SIZE
    assert first.context["page"].paginator.count == Participation.objects.count()
    assert 'href="?pagina=2"' in first.content.decode()
    second = client.get("/deelnames/?pagina=2")
    shown = {p.pk for p in first.context["participations"]} | {
        p.pk for p in second.context["participations"]
    }
    assert shown == set(Participation.objects.values_list("pk", flat=True))


def test_a_row_reads_no_summary_of_the_participation(personas):
    """The rows show organisation, programme and status: no municipalities, contacts, lots,
    deadlines or mandate are read for them."""
    add_demands({}, 3)
    client = personas["project_team"].client()
    client.get("/deelnames/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/deelnames/")
    assert response.status_code == 200 and len(response.context["participations"]) == 3
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in (
        "municipalities_coveredmunicipality",
        "municipalities_contactperson",
        "municipalities_participation_lots",
        "tenders_milestone",
        "municipalities_mandatedocument",
        "municipalities_mandatesignature",
    ):
        assert table not in read, table


def test_a_member_sees_the_participations_of_their_organisation_only(personas, org_a):
    from municipalities.models import Participation
    from tenders.models import Programme

    programme = Programme.objects.create(
        slug="gt-lijst", name="GT Lijst", status=Programme.Status.JOINING, contract_start_year=2028
    )
    own = Participation.objects.create(programme=programme, organisation=org_a)
    Participation.objects.create(programme=programme, organisation=OrganisationFactory())
    response = personas["editor_a"].client().get("/deelnames/")
    assert [p.pk for p in response.context["participations"]] == [own.pk]
    assert "portal-pagination" not in response.content.decode()
