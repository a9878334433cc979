# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""The project team's pages of the draft tender: made from the frozen figures, the award
criteria (weights that add up to 100) and the requirements, errors next to the fields."""

import pytest

from tenders.models import Requirement, Tender
from tenders.tests.test_aggregation import run_now, setup, submit  # noqa: F401
from tenders.tests.test_freeze import frozen

pytestmark = pytest.mark.django_db
BASE = "/programmas/gt-agg/aanbesteding"


def test_the_team_makes_the_tender_after_the_freeze(setup, personas):
    client = personas["project_team"].client()
    page = client.get(BASE).content.decode()
    assert "De vraag is nog niet bevroren." in page
    assert client.post(f"{BASE}/aanmaken").status_code == 302
    assert not Tender.objects.exists()  # refused: nothing frozen
    frozen(setup, personas)
    assert client.post(f"{BASE}/aanmaken").status_code == 302
    tender = Tender.objects.get()
    page = client.get(BASE).content.decode()
    assert tender.reference in page and "Percelen zoals gepubliceerd" in page
    from django.utils import formats, translation

    with translation.override("nl"):
        for lot in tender.lots.all():
            assert f"€ {formats.number_format(lot.maximum_value, 2, force_grouping=True)}" in page


def test_criteria_that_do_not_add_up_are_refused_next_to_the_form(setup, personas):
    frozen(setup, personas)
    client = personas["project_team"].client()
    client.post(f"{BASE}/aanmaken")
    data = {
        "c0_kind": "price",
        "c0_name": "Prijs",
        "c0_weight": "40",
        "c1_kind": "quality",
        "c1_name": "Plan van aanpak levering",
        "c1_weight": "50",
    }
    response = client.post(f"{BASE}/gunningscriteria", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "De wegingen tellen op tot 90; ze moeten samen 100 zijn." in html
    assert "Plan van aanpak levering" in html  # nothing the user typed is lost
    data["c1_weight"] = "60"
    assert client.post(f"{BASE}/gunningscriteria", data).status_code == 302
    assert sorted(c.weight for c in Tender.objects.get().criteria.all()) == [40, 60]
    half = {"c2_kind": "quality", "c2_name": "", "c2_weight": ""}
    response = client.post(f"{BASE}/gunningscriteria", {**data, **half})
    assert response.status_code == 422
    assert "Vul soort, naam en weging van dit criterium in." in response.content.decode()


def test_requirements_are_saved_as_data(setup, personas):
    frozen(setup, personas)
    client = personas["project_team"].client()
    client.post(f"{BASE}/aanmaken")
    response = client.post(
        f"{BASE}/eisen",
        {
            "r0_kind": "epeat",
            "r0_level": "Gold",
            "r0_mandatory": "on",
            "r0_text": "Elk apparaat is EPEAT Gold geregistreerd.",
            "r1_kind": "sroi",
            "r1_amount": "5,5",
            "r1_text": "5,5 % van de opdrachtwaarde als social return.",
        },
    )
    assert response.status_code == 302
    rows = {r.kind: r for r in Requirement.objects.all()}
    assert rows["epeat"].level == "Gold" and rows["epeat"].mandatory
    assert str(rows["sroi"].amount) == "5.50" and not rows["sroi"].mandatory
    response = client.post(f"{BASE}/eisen", {"r0_kind": "epeat", "r0_text": ""})
    assert response.status_code == 422
    assert "Geef zowel de soort als de formulering van deze eis." in response.content.decode()
    assert Requirement.objects.count() == 2


@pytest.mark.parametrize("page", ["", "/gunningscriteria", "/eisen", "/documenten"])
def test_the_tender_pages_do_not_read_the_frozen_list_of_authorities(setup, personas, page):
    """The frozen snapshot's list of authorities (thousands of entries at ten times the
    Netherlands, decoded for every page before) is not read by the team's tender pages."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = personas["project_team"].client()
    frozen(setup, personas)
    assert client.post(f"{BASE}/aanmaken").status_code == 302
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{BASE}{page}").status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"tenders_aggregationsnapshot"' in sql  # the snapshot is read, without the list
    assert '"tenders_aggregationsnapshot"."authorities"' not in sql


@pytest.mark.parametrize(
    "page, not_read",
    [
        ("tijdlijn", ("tenders_tenderlot", "tenders_awardcriterion", "tenders_requirement")),
        ("documenten", ("tenders_tenderlot", "tenders_awardcriterion", "tenders_requirement")),
        ("gunningscriteria", ("tenders_tenderlot", "tenders_requirement")),
        ("eisen", ("tenders_tenderlot", "tenders_awardcriterion")),
    ],
)
def test_a_tender_page_reads_only_the_parts_it_shows(setup, personas, page, not_read):
    """Each of the tender's lots, criteria and requirements is a query of its own: a page
    that shows none of them pays none of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    frozen(setup, personas)
    client = personas["project_team"].client()
    client.post(f"{BASE}/aanmaken")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{BASE}/{page}").status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for table in not_read:
        assert f'FROM "{table}"' not in tables, table
