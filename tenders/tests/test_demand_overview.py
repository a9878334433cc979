from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from catalog.models import Category
from catalog.services import catalog_load_reference
from municipalities.models import Demand, DemandVersion, DemandVersionLine, Municipality
from municipalities.models import Participation as P
from portal.paged_rows import LIST_PAGE_SIZE
from tenders.models import Milestone
from tenders.tests.conftest import participate
from tenders.tests.export_jobs import export_downloaded
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = "/programmas/gt-hardware/inventarisatie"
EXPORT = URL + "/export"
D = Demand.Status


def set_deadline(programme, delta):
    Milestone.objects.update_or_create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        defaults={"due_at": timezone.now() + delta},
    )


def make_demand(participation, status=D.DRAFT, versions=0, extended=None):
    demand = Demand.objects.create(
        participation=participation, status=status, deadline_extended_until=extended
    )
    for number in range(1, versions + 1):
        DemandVersion.objects.create(demand=demand, number=number, snapshot={}, sha256="0" * 64)
    return demand


def approved(programme, name, municipalities=None):
    organisation = OrganisationFactory(name=name)
    if municipalities is None:
        municipalities = [
            Municipality.objects.create(
                cbs_code=f"GM{Municipality.objects.count() + 8000}", name=name, province="Utrecht"
            )
        ]
    return participate(programme, organisation, municipalities, P.Status.APPROVED)


@pytest.fixture
def participants(programme, towns, org_a, org_b, joint_body):
    """Deadline passed. A: nothing; B: a draft never submitted; Duo: submitted twice;
    Cadorp: returned; Dedorp: changed after submitting; Ezel: more time, nothing yet."""
    set_deadline(programme, timedelta(days=-1))
    participate(programme, org_a, [towns["a"]], P.Status.APPROVED)
    make_demand(participate(programme, org_b, [towns["b"]], P.Status.APPROVED))
    make_demand(
        participate(programme, joint_body, [towns["c"], towns["d"]], P.Status.APPROVED),
        D.SUBMITTED,
        versions=2,
    )
    make_demand(approved(programme, "Gemeente Cadorp-West"), D.RETURNED, versions=1)
    make_demand(approved(programme, "Gemeente Dedorp-Oost"), D.DRAFT, versions=1)
    make_demand(approved(programme, "Gemeente Ezel"), extended=timezone.now() + timedelta(days=7))
    # Not approved: not in the overview.
    participate(programme, OrganisationFactory(name="Gemeente Fout"), [], P.Status.SUBMITTED)


def rows_by_name(response):
    return {row.organisation.name: row for row in response.context["overview"].rows}


def test_statuses_late_and_deadlines(personas, participants):
    response = personas["project_team"].client().get(URL)
    assert response.status_code == 200
    rows = rows_by_name(response)
    assert {name: (row.status, row.is_late) for name, row in rows.items()} == {
        "Gemeente Aadorp": ("not_started", True),
        "Gemeente Bedum": ("not_started", True),
        "Werkorganisatie Duo": ("submitted", False),
        "Gemeente Cadorp-West": ("returned", False),
        "Gemeente Dedorp-Oost": ("draft", False),
        "Gemeente Ezel": ("not_started", False),
    }
    duo = rows["Werkorganisatie Duo"]
    assert (duo.municipality_count, duo.latest_version) == (2, 2)
    assert duo.submitted_at is not None
    assert rows["Gemeente Aadorp"].latest_version is None
    assert rows["Gemeente Ezel"].deadline > timezone.now() > rows["Gemeente Bedum"].deadline
    content = response.content.decode()
    assert "Werkorganisatie Duo" in content
    assert "Gemeente Fout" not in content
    # A link to the participant's demand page, only when there is a demand.
    demand = Demand.objects.get(participation__organisation__name="Werkorganisatie Duo")
    assert f"/inventarisatie/{demand.public_id}/" in content


def test_counts_per_status(personas, participants):
    response = personas["project_team"].client().get(URL + "?status=submitted")
    overview = response.context["overview"]
    assert {key: count for key, _label, count in overview.counts} == {
        "not_started": 3,
        "draft": 1,
        "submitted": 1,
        "returned": 1,
    }
    assert (overview.total, overview.late) == (6, 2)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=not_started", {"Gemeente Aadorp", "Gemeente Bedum", "Gemeente Ezel"}),
        ("?status=returned", {"Gemeente Cadorp-West"}),
        ("?te-laat=1", {"Gemeente Aadorp", "Gemeente Bedum"}),
        ("?status=not_started&te-laat=1", {"Gemeente Aadorp", "Gemeente Bedum"}),
        ("?status=submitted&te-laat=1", set()),
        ("?status=nonsense", None),
    ],
)
def test_filters(personas, participants, query, expected):
    response = personas["project_team"].client().get(URL + query)
    assert response.status_code == 200
    names = set(rows_by_name(response))
    assert names == (expected if expected is not None else names)
    if expected is None:
        assert len(names) == 6


def test_nothing_is_late_before_the_deadline(personas, participants, programme):
    set_deadline(programme, timedelta(days=3))
    response = personas["project_team"].client().get(URL)
    assert response.context["overview"].late == 0


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_participants(personas, programme):
    set_deadline(programme, timedelta(days=-1))
    client = personas["project_team"].client()
    client.get(URL)  # warm up session and caches

    def add(count, offset):
        for i in range(count):
            participation = approved(programme, f"Gemeente {offset + i}")
            if i % 3:
                make_demand(participation, D.SUBMITTED, versions=i % 3)

    add(3, 0)
    few = queries_for(client)
    add(27, 100)
    many = queries_for(client)
    assert len(rows_by_name(client.get(URL))) == 30
    assert few == many


def test_project_team_viewer_may_read(client, project_team_viewer, participants):
    client.force_login(project_team_viewer)
    assert client.get(URL).status_code == 200
    # The workbook is made by the worker: a viewer may ask for it and download it.
    export_downloaded(client, EXPORT)


@pytest.mark.parametrize("persona", ["editor_a", "admin_a", "joint_body", "supplier_x"])
def test_others_get_404(personas, participants, persona):
    client = personas[persona].client()
    assert client.get(URL).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert client.post(EXPORT).status_code == 404


def test_anonymous_is_sent_to_login(personas, participants):
    response = personas["anonymous"].client().get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def add_lines(version, municipality, quantities):
    for (slug, year), quantity in quantities.items():
        DemandVersionLine.objects.create(
            version=version,
            municipality=municipality,
            category=Category.objects.get(slug=slug),
            year=year,
            quantity=quantity,
        )


def test_export_has_the_latest_submitted_version_of_every_participant(
    personas, programme, towns, org_a, joint_body
):
    catalog_load_reference()
    set_deadline(programme, timedelta(days=5))
    a = make_demand(participate(programme, org_a, [towns["a"]], P.Status.APPROVED), D.SUBMITTED)
    duo = make_demand(
        participate(programme, joint_body, [towns["c"], towns["d"]], P.Status.APPROVED),
        D.DRAFT,
    )
    old = DemandVersion.objects.create(demand=a, number=1, snapshot={}, sha256="1" * 64)
    add_lines(old, towns["a"], {("laptop", 2028): 999})
    new = DemandVersion.objects.create(demand=a, number=2, snapshot={}, sha256="2" * 64)
    add_lines(new, towns["a"], {("laptop", 2028): 10, ("laptop", 2029): 12})
    only = DemandVersion.objects.create(demand=duo, number=1, snapshot={}, sha256="3" * 64)
    add_lines(only, towns["c"], {("desktop", 2028): 5})
    add_lines(only, towns["d"], {("laptop", 2028): 7})
    # A municipality is named as CBS names it, where the register has that name.
    type(towns["d"]).objects.filter(pk=towns["d"].pk).update(cbs_name="Dedorp (CBS)")

    response = export_downloaded(personas["project_team"].client(), EXPORT)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith(
        'attachment; filename="inventarisatie-gt-hardware-'
    )
    workbook = load_workbook(BytesIO(response.content_bytes))
    lines, summary, totals = workbook.worksheets
    rows = [row[:7] + (row[9],) for row in lines.iter_rows(min_row=2, values_only=True)]
    assert rows == [
        ("Gemeente Aadorp", "GM9001", "Aadorp", "laptop", "Laptops", 2028, 10, 2),
        ("Gemeente Aadorp", "GM9001", "Aadorp", "laptop", "Laptops", 2029, 12, 2),
        ("Werkorganisatie Duo", "GM9003", "Cadorp", "desktop", "Desktops", 2028, 5, 1),
        ("Werkorganisatie Duo", "GM9004", "Dedorp (CBS)", "laptop", "Laptops", 2028, 7, 1),
    ]
    summary_rows = {row[0]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    assert summary_rows["Werkorganisatie Duo"][1:4] == (2, "Concept", 1)  # Dutch by default
    assert summary_rows["Gemeente Aadorp"][3] == 2
    total_rows = {row[0]: row[2:] for row in totals.iter_rows(min_row=2, values_only=True)}
    assert total_rows["laptop"] == (17, 12, 0, 0, 29)
    assert total_rows["desktop"] == (5, 0, 0, 0, 5)


def test_paged_and_searchable(personas, programme):
    """Only one page of participants is rendered; the counts still cover all of them; a
    search by name finds a participant on any page, with the filters kept in the links."""
    set_deadline(programme, timedelta(days=-1))
    client = personas["project_team"].client()
    for i in range(55):
        participation = approved(programme, f"Gemeente {i:03d}")
        if i % 2:
            make_demand(participation, D.SUBMITTED, versions=1)
    first = client.get(URL)
    assert LIST_PAGE_SIZE < 55
    assert len(first.context["rows"]) == LIST_PAGE_SIZE
    assert first.context["overview"].total == 55
    assert {key: n for key, _, n in first.context["overview"].counts}["submitted"] == 27
    assert 'rel="next" href="?pagina=2"' in first.content.decode()
    last = client.get(URL + f"?pagina={(55 - 1) // LIST_PAGE_SIZE + 1}")
    assert [row.organisation.name for row, *_ in last.context["rows"]] == [
        f"Gemeente {i:03d}" for i in range(55 - 55 % LIST_PAGE_SIZE, 55)
    ]
    found = client.get(URL + "?zoeken=Gemeente+053&status=submitted")
    assert [row.organisation.name for row, *_ in found.context["rows"]] == ["Gemeente 053"]
    late = client.get(URL + "?te-laat=1&zoeken=Gemeente")
    assert len(late.context["rows"]) == min(28, LIST_PAGE_SIZE)
    assert late.context["page"].paginator.count == 28


def test_a_page_costs_the_same_queries_with_more_participants(personas, programme):
    set_deadline(programme, timedelta(days=-1))
    client = personas["project_team"].client()
    client.get(URL)  # warm up session and caches
    for i in range(3):
        make_demand(approved(programme, f"Gemeente {i}"), D.SUBMITTED, versions=2)
    few = queries_for(client)
    for i in range(3, 120):
        make_demand(approved(programme, f"Gemeente {i}"), D.SUBMITTED, versions=2)
    many = queries_for(client)
    assert few == many
    assert len(client.get(URL).context["rows"]) == LIST_PAGE_SIZE
