"""Demand inventory through the pages: the grid, drafts, conflicts, versions, deadlines."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Category
from catalog.services import catalog_load_reference
from municipalities.demand_data import parse_count
from municipalities.models import Demand, DemandLine, DemandVersion, Participation
from municipalities.services.demand import demand_for_participation
from tenders.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(participation_a):
    catalog_load_reference()
    Participation.objects.filter(pk=participation_a.pk).update(status="approved")
    participation_a.refresh_from_db()
    return demand_for_participation(participation=participation_a)


@pytest.fixture
def laptop():
    return Category.objects.get(slug="laptop")


def grid(demand, municipality, values: dict, **extra) -> dict:
    """POST data for the grid: values maps (category slug, year) to the typed text."""
    data = {"revision": str(demand.revision), "action": "save"}
    categories = {c.slug: c.pk for c in Category.objects.all()}
    for (slug, year), text in values.items():
        data[f"q-{municipality.pk}-{categories[slug]}-{year}"] = text
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1234", 1234), ("1.234", 1234), ("1 234", 1234), ("", 0), (" 7 ", 7), (12, 12), (3.0, 3)],
)
def test_parse_count_accepts_dutch_whole_numbers(raw, value):
    assert parse_count(raw, required=True) == (value, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [("12,5", "decimalen"), ("-3", "0 of meer"), ("veel", "heel getal"), (2.5, "decimalen")],
)
def test_parse_count_refuses_with_a_clear_message(raw, message):
    from django.utils import translation

    with translation.override("nl"):
        value, error = parse_count(raw, required=True)
    assert value is None
    assert message in error


def test_editor_saves_a_draft(personas, demand, municipalities, laptop):
    client = personas["editor_a"].client()
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # Every grid input is named by its row and column headers.
    assert f'aria-labelledby="c-{municipalities["a"].pk}-{laptop.pk} y-' in html
    response = client.post(
        url, grid(demand, municipalities["a"], {("laptop", 2028): "1.200", ("laptop", 2029): "300"})
    )
    assert response.status_code == 302
    lines = {(line.year): line.quantity for line in DemandLine.objects.filter(category=laptop)}
    assert lines[2028] == 1200 and lines[2029] == 300
    demand.refresh_from_db()
    assert demand.revision == 1


def test_bad_input_keeps_what_was_typed_and_saves_nothing(personas, demand, municipalities):
    client = personas["editor_a"].client()
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    response = client.post(
        url,
        grid(
            demand,
            municipalities["a"],
            {("laptop", 2028): "-5", ("desktop", 2029): "12,5", ("tablet", 2030): "40"},
        ),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="-5"' in html and 'value="12,5"' in html and 'value="40"' in html
    assert "Vul 0 of meer in" in html
    assert "zonder decimalen" in html
    assert html.count('aria-invalid="true"') == 2
    assert "<title>Fout: " in html
    assert not DemandLine.objects.exists()
    demand.refresh_from_db()
    assert demand.revision == 0


def test_concurrent_edit_is_refused_not_overwritten(personas, demand, municipalities, admin_a):
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    first = personas["editor_a"].client()
    second = personas["admin_a"].client()
    stale = grid(demand, municipalities["a"], {("laptop", 2028): "999"})
    assert (
        first.post(url, grid(demand, municipalities["a"], {("laptop", 2028): "100"})).status_code
        == 302
    )
    response = second.post(url, stale)
    assert response.status_code == 422
    assert "na u" in response.content.decode() or "nadat u" in response.content.decode()
    assert DemandLine.objects.get(year=2028, category__slug="laptop").quantity == 100


def test_submit_versions_and_diff(personas, demand, municipalities):
    client = personas["editor_a"].client()
    edit = reverse("municipalities:demand-edit", args=[demand.public_id])
    check = reverse("municipalities:demand-check", args=[demand.public_id])
    client.post(edit, grid(demand, municipalities["a"], {("laptop", 2028): "100"}))
    demand.refresh_from_db()
    response = client.post(check, {"revision": demand.revision})
    assert response.status_code == 302
    version = DemandVersion.objects.get(demand=demand)
    assert version.number == 1
    assert version.lines.get(category__slug="laptop", year=2028).quantity == 100
    assert len(version.sha256) == 64
    confirmation = client.get(response["Location"])
    assert "Versie 1" in confirmation.content.decode()

    demand.refresh_from_db()
    client.post(edit, grid(demand, municipalities["a"], {("laptop", 2028): "150"}))
    demand.refresh_from_db()
    client.post(check, {"revision": demand.revision})
    assert DemandVersion.objects.filter(demand=demand).count() == 2
    # Version 1 is unchanged.
    assert (
        DemandVersion.objects.get(number=1).lines.get(year=2028, category__slug="laptop").quantity
        == 100
    )
    diff = client.get(
        reverse("municipalities:demand-diff", args=[demand.public_id]), {"van": 1, "naar": 2}
    )
    assert diff.status_code == 200
    rows = diff.context["rows"]
    assert [(r["year"], r["old"], r["new"], r["delta"]) for r in rows] == [(2028, 100, 150, 50)]
    with CaptureQueriesContext(connection) as queries:
        history = client.get(reverse("municipalities:demand-history", args=[demand.public_id]))
        assert [v.number for v in history.context["versions"]] == [2, 1]
        detail = client.get(f"/api/v1/demands/{demand.public_id}")
    assert [v["number"] for v in detail.json()["versions"]] == [2, 1]
    # The list of versions shows who and when: each version's JSON copy of its lines is not
    # read for it (nor for the API's summaries).
    assert not [
        q
        for q in queries.captured_queries
        if '"municipalities_demandversion"."snapshot"' in q["sql"]
    ]


def test_versions_are_immutable(personas, demand, municipalities):
    client = personas["editor_a"].client()
    client.post(
        reverse("municipalities:demand-check", args=[demand.public_id]),
        {"revision": demand.revision},
    )
    version = DemandVersion.objects.get()
    with pytest.raises(ValueError):
        version.save()


def test_after_the_deadline_the_form_is_read_only(personas, demand, municipalities, programme):
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        due_at=timezone.now() - timedelta(minutes=1),
    )
    client = personas["editor_a"].client()
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="revision"' not in page.content.decode()
    response = client.post(url, grid(demand, municipalities["a"], {("laptop", 2028): "5"}))
    assert response.status_code == 422
    assert not DemandLine.objects.exists()

    # An extension for this participant opens it again.
    Demand.objects.filter(pk=demand.pk).update(
        deadline_extended_until=timezone.now() + timedelta(days=7)
    )
    demand.refresh_from_db()
    response = client.post(url, grid(demand, municipalities["a"], {("laptop", 2028): "5"}))
    assert response.status_code == 302
    assert DemandLine.objects.get(year=2028, category__slug="laptop").quantity == 5


def test_plausibility_warnings_on_the_check_page(personas, demand, municipalities):
    client = personas["editor_a"].client()
    edit = reverse("municipalities:demand-edit", args=[demand.public_id])
    m = municipalities["a"]
    client.post(
        edit,
        grid(
            demand,
            m,
            {("laptop", 2028): "400", ("laptop", 2029): "0", ("laptop", 2030): "0"},
            **{f"e-{m.pk}": "100"},
        ),
    )
    page = client.get(reverse("municipalities:demand-check", args=[demand.public_id]))
    warnings = page.context["warnings"]
    assert any("1,5" in w or "1.5" in w for w in warnings)
    assert any("2029" in w for w in warnings)


def test_viewer_reads_but_cannot_save(personas, demand, municipalities):
    client = personas["viewer_a"].client()
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="revision"' not in page.content.decode()
    assert client.post(url, grid(demand, municipalities["a"], {})).status_code == 403


@pytest.mark.parametrize("persona", ["editor_b", "joint_body", "supplier_x"])
def test_other_tenants_get_404(personas, demand, persona):
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    assert personas[persona].client().get(url).status_code == 404


def test_project_team_reads_but_does_not_enter_demand(personas, demand, municipalities):
    client = personas["project_team"].client()
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    assert client.get(url).status_code == 200
    assert client.post(url, grid(demand, municipalities["a"], {})).status_code == 403


def test_demand_page_query_count_does_not_grow_with_lines(
    personas, demand, municipalities, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = personas["editor_a"].client()
    url = reverse("municipalities:demand-edit", args=[demand.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as empty:
        client.get(url)
    values = {
        (c.slug, y): "10"
        for c in Category.objects.exclude(kind="service")
        for y in (2028, 2029, 2030, 2031)
    }
    client.post(url, grid(demand, municipalities["a"], values))
    with CaptureQueriesContext(connection) as full:
        client.get(url)
    assert len(full.captured_queries) == len(empty.captured_queries)
    assert len(full.captured_queries) <= 25


def test_anonymous_is_sent_to_login(demand):
    response = Client().get(reverse("municipalities:demand-edit", args=[demand.public_id]))
    assert response.status_code == 302
