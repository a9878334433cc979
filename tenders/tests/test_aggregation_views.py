"""The project team's aggregation pages: totals, drill-down, comparison, exports, actions and
who may do what."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from catalog.models import Category
from portal.tests.test_degraded_mode import cache_redis  # noqa: F401 - fixture
from tenders.models import AggregationRun, AggregationSnapshot, Lot
from tenders.tests.export_jobs import export_downloaded
from tenders.tests.test_aggregation import deadline_passed, run_now, setup, submit  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
BASE = "/programmas/gt-agg/aggregatie"


@pytest.fixture
def data(setup):  # noqa: F811 - the fixture imported above
    """The hand-computed example of test_aggregation: lot 1 = 390 units, € 206,000 over the
    term (€ 257,500 maximum, above the threshold); lot 2 = 40 phones, € 20,000."""
    submit(
        setup,
        "a",
        [
            ("GM9101", "laptop", 2028, 100),
            ("GM9101", "laptop", 2029, 50),
            ("GM9101", "monitor", 2028, 200),
        ],
    )
    submit(setup, "b", [("GM9102", "laptop", 2028, 10), ("GM9102", "phone", 2029, 40)])
    submit(setup, "jb", [("GM9103", "monitor", 2029, 30)])
    setup["snapshot"] = run_now(setup["programme"])
    return setup


def ids_are_unique(html: str) -> bool:
    ids = re.findall(r'\sid="([^"]+)"', html)
    return len(ids) == len(set(ids))


def test_dashboard_shows_the_totals(personas, data):
    response = personas["project_team"].client().get(BASE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and ids_are_unique(html)
    assert "<script>" not in html and "style=" not in html
    lots = {s.lot.number: s for s, _chart in response.context["lots"]}
    assert lots[1].term.quantity == 390 and lots[2].term.quantity == 40
    # Dutch number formats; years without a thousands point.
    assert "€ 206.000,00" in html and "€ 257.500,00" in html and "€ 22.000,00" in html
    assert ">2028</th>" in html and "2.028" not in html
    assert "Europese aanbesteding verplicht" in html and "€ 279.500,00" in html
    assert 'role="img"' in html  # the SVG chart
    # Every lot/year cell links to its drill-down.
    snapshot = data["snapshot"].public_id
    for path in (
        f"{snapshot}/perceel/1/0",
        f"{snapshot}/perceel/1/2028",
        f"{snapshot}/perceel/2/0",
    ):
        assert f"{BASE}/{path}" in html
    province = {row.key: row.quantity for row in response.context["breakdowns"][0][0].rows}
    assert province == {"Utrecht": 100 + 50 + 200 + 30, "Groningen": 10 + 40}
    size = {row.key: row.quantity for row in response.context["breakdowns"][1][0].rows}
    assert size == {"100k+": 350, "20-50k": 50, "<20k": 30}


def test_dashboard_prefers_the_frozen_snapshot(personas, data):
    from tenders.services.freeze import snapshot_freeze

    deadline_passed(data["programme"])
    snapshot_freeze(actor=personas["project_team"].user, snapshot=data["snapshot"])
    newer = run_now(data["programme"])
    response = personas["project_team"].client().get(BASE)
    assert response.context["snapshot"].pk == data["snapshot"].pk != newer.pk
    assert "utrecht-status-badge--success" in response.content.decode()


def test_drilldown_sums_equal_the_lot_total(personas, data):
    client = personas["project_team"].client()
    snapshot = data["snapshot"]
    for lot_number, year in ((1, 0), (1, 2028), (1, 2029), (2, 0)):
        response = client.get(f"{BASE}/{snapshot.public_id}/perceel/{lot_number}/{year}")
        assert response.status_code == 200
        drilldown, total = response.context["drilldown"], response.context["total"]
        assert drilldown.quantity == total.quantity
        assert drilldown.value == total.estimated_value
        assert sum(p.quantity for p in drilldown.participants) == total.quantity
        assert ids_are_unique(response.content.decode())
    response = client.get(f"{BASE}/{snapshot.public_id}/perceel/1/2028")
    per_participant = {
        p.participant: p.quantity for p in response.context["drilldown"].participants
    }
    assert per_participant == {"Gemeente Aadorp": 300, "Gemeente Bedum": 10}
    assert client.get(f"{BASE}/{snapshot.public_id}/perceel/9/0").status_code == 404
    assert client.get(f"{BASE}/{snapshot.public_id}/perceel/1/2031").status_code == 404


def test_drilldown_pages_participants_and_sums_every_one_in_the_database(
    personas, data, django_assert_max_num_queries
):
    """One participant a page: the totals still cover both, each page reads only its own
    participant's lines, and the query count is the same for either page."""
    from tenders.selectors.aggregation import aggregation_lot_get
    from tenders.selectors.aggregation_drilldown import aggregation_drilldown

    snapshot = data["snapshot"]
    lot = aggregation_lot_get(snapshot=snapshot, number=1)
    pages = []
    for number in (1, 2):
        with django_assert_max_num_queries(7):
            drilldown, page = aggregation_drilldown(
                snapshot=snapshot, lot=lot, year=2028, page_number=number, page_size=1
            )
        assert page.paginator.count == 2 and page.paginator.num_pages == 2
        assert (drilldown.quantity, len(drilldown.participants)) == (310, 1)
        pages.append({p.participant: p.quantity for p in page.object_list})
    assert pages == [{"Gemeente Aadorp": 300}, {"Gemeente Bedum": 10}]
    whole, _page = aggregation_drilldown(
        snapshot=snapshot, lot=lot, year=0, page_number=1, page_size=50
    )
    assert whole.value == sum((p.value for p in whole.participants), 0)
    assert whole.quantity == sum(p.quantity for p in whole.participants)


def test_drilldown_sums_a_lot_and_year_once_and_keeps_them(personas, data):
    """The sums over every participant and their order are read from the database on the
    first request for a lot and year and from the cache after that (a snapshot never
    changes): the second request runs no SUM over the lines and does not look for the
    participants with a line in the lot, and shows the same totals and pages."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tenders.selectors.aggregation import aggregation_lot_get
    from tenders.selectors.aggregation_drilldown import aggregation_drilldown

    snapshot = data["snapshot"]
    lot = aggregation_lot_get(snapshot=snapshot, number=1)
    sums, lookups, shown = [], [], []
    for _request in range(2):
        with CaptureQueriesContext(connection) as captured:
            drilldown, page = aggregation_drilldown(
                snapshot=snapshot, lot=lot, year=0, page_number=2, page_size=1
            )
        sums.append([q["sql"] for q in captured.captured_queries if "SUM(" in q["sql"]])
        lookups.append([q["sql"] for q in captured.captured_queries if "EXISTS" in q["sql"]])
        shown.append([p.participant for p in page.object_list])
        assert (drilldown.quantity, drilldown.value) == (390, Decimal("206000"))
        assert page.paginator.count == 3
    first, second = sums
    # The first also sums the page's own participant (its lines per category and year).
    assert len(first) == len(second) + 1
    assert len(lookups[0]) == 1 and lookups[1] == []
    assert shown[0] == shown[1] and len(shown[0]) == 1
    other_year, page = aggregation_drilldown(
        snapshot=snapshot, lot=lot, year=2028, page_number=1, page_size=1
    )
    assert (other_year.quantity, page.paginator.count) == (310, 2)


def test_drilldown_works_with_the_cache_down(personas, data, cache_redis):  # noqa: F811
    """The kept sums only save work: with the cache stopped the drill-down sums again and
    shows the same totals (not the 503 of the pages that need the cache); with the cache back
    the sums are kept again."""
    from django.core.cache import cache
    from django.test import Client

    snapshot = data["snapshot"]
    url = f"{BASE}/{snapshot.public_id}/perceel/1/2028"
    client = Client(raise_request_exception=False)
    client.force_login(personas["project_team"].user)
    cache_redis.stop()
    down = client.get(url)
    assert down.status_code == 200
    assert down.context["drilldown"].quantity == 310
    cache_redis.start()
    assert client.get(url).context["drilldown"].quantity == 310
    assert any(key.startswith("aggregation-drilldown:") for key in _cache_keys(cache))


def _cache_keys(cache) -> list[str]:
    client = cache._cache.get_client()
    return [key.decode().split(":", 2)[-1] for key in client.keys("*")]


def test_comparison_shows_the_differences(personas, data):
    old = data["snapshot"]
    submit(data, "a", [("GM9101", "laptop", 2028, 120)], number=2)  # replaces version 1
    new = run_now(data["programme"])
    response = (
        personas["project_team"]
        .client()
        .get(f"{BASE}/vergelijken", {"van": old.public_id, "naar": new.public_id})
    )
    assert response.status_code == 200
    lot1 = data["lots"][0]
    rows = {(r.lot.pk, r.year): r for r in response.context["rows"]}
    # Lot 1, 2028: 310 → 120 + 10 = 130; 2029: 80 → 30; whole term 390 → 160.
    assert rows[(lot1.pk, 2028)].quantity_difference == -180
    assert rows[(lot1.pk, 0)].quantity_difference == -230
    # Value over the term: 206,000 → 130,000 + 6,000 = 136,000.
    assert rows[(lot1.pk, 0)].value_difference == Decimal("-70000.00")
    assert personas["project_team"].client().get(f"{BASE}/vergelijken").status_code == 200
    bad = personas["project_team"].client().get(f"{BASE}/vergelijken?van=x&naar=y")
    assert bad.status_code == 404


def test_exports(personas, data):
    client = personas["project_team"].client()
    snapshot = data["snapshot"]
    response = export_downloaded(client, f"{BASE}/{snapshot.public_id}/export.xlsx")
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content_bytes))
    lot_sheet, category_sheet, participant_sheet = workbook.worksheets
    lot_rows = {(r[0], r[2]): r for r in lot_sheet.iter_rows(min_row=2, values_only=True)}
    assert lot_rows[(1, 0)][3] == 390 and lot_rows[(1, 0)][5] == 206000
    assert lot_rows[(1, 0)][6] == 257500 and lot_rows[(2, 0)][3] == 40
    categories = list(category_sheet.iter_rows(min_row=2, values_only=True))
    assert sum(r[7] for r in categories if r[0] == 1) == 390
    contributions = list(participant_sheet.iter_rows(min_row=2, values_only=True))
    assert sum(r[7] for r in contributions if r[3] == 1) == 390
    assert sum(r[9] for r in contributions if r[3] == 1) == 206000

    response = client.get(f"{BASE}/{snapshot.public_id}/export.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + snapshot.totals.count()
    laptop_2028 = [r for r in rows[1:] if r[2] == "laptop" and r[4] == "2028"]
    assert sorted(int(r[7]) for r in laptop_2028) == [10, 100]
    assert {r[9] for r in laptop_2028} == {"1000.00"}


def test_the_contributions_are_read_from_one_cursor_not_held(personas, data, monkeypatch):
    """The export's sheet of every participant's contribution is written as its lines are read
    from one server-side cursor (memory flat in the lines), not after every participant's lines
    were collected."""
    from django.db.models.query import QuerySet

    from tenders.selectors import aggregation as selectors

    lines = selectors.aggregation_contribution_lines(snapshot=data["snapshot"])
    assert iter(lines) is lines  # a generator: nothing is read before the export asks
    chunked = []
    iterator = QuerySet.iterator

    def recording(queryset, chunk_size=None):
        chunked.append((queryset.model.__name__, chunk_size))
        return iterator(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", recording)
    response = export_downloaded(
        personas["project_team"].client(), f"{BASE}/{data['snapshot'].public_id}/export.xlsx"
    )
    assert ("DemandVersionLine", 2000) in chunked
    participant_sheet = load_workbook(io.BytesIO(response.content_bytes)).worksheets[2]
    contributions = list(participant_sheet.iter_rows(min_row=2, values_only=True))
    assert sum(r[7] for r in contributions if r[3] == 1) == 390


def test_request_retry_and_freeze(personas, data, django_capture_on_commit_callbacks):
    client = personas["project_team"].client()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"{BASE}/berekenen")
    assert response.status_code == 302 and len(callbacks) == 1
    run = AggregationRun.objects.get(programme=data["programme"], status="queued")
    # While queued, the status region polls itself through htmx.
    partial = client.get(BASE, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in partial.content.decode()
    assert "<h1" not in partial.content.decode()
    AggregationRun.objects.filter(pk=run.pk).update(status="failed", error="boom")
    page = client.get(BASE).content.decode()
    assert "boom" in page and f"runs/{run.public_id}/opnieuw" in page
    assert "hx-trigger" not in page
    assert client.post(f"{BASE}/runs/{run.public_id}/opnieuw").status_code == 302
    assert AggregationRun.objects.filter(programme=data["programme"], status="queued").exists()

    snapshot = data["snapshot"]
    freeze = f"{BASE}/{snapshot.public_id}/bevriezen"
    # Before the demand deadline the page names what blocks the freeze, and it is refused.
    page = client.get(f"{BASE}/{snapshot.public_id}").content.decode()
    assert "probleem houdt het bevriezen tegen" in page
    assert client.post(freeze, {"confirm": "on"}).status_code == 422
    deadline_passed(data["programme"])
    assert client.post(freeze).status_code == 422  # no confirmation
    assert client.post(freeze, {"confirm": "on"}).status_code == 302
    snapshot.refresh_from_db()
    assert snapshot.is_frozen
    page = client.get(f"{BASE}/{snapshot.public_id}").content.decode()
    assert "GM9101" in page and "Werkorganisatie Duo" in page  # the authorities


def test_project_team_viewer_reads_but_may_not_act(client, project_team_viewer, data):
    client.force_login(project_team_viewer)
    snapshot = data["snapshot"]
    assert client.get(BASE).status_code == 200
    assert client.get(f"{BASE}/{snapshot.public_id}").status_code == 200
    run = AggregationRun.objects.get(programme=data["programme"])
    assert client.post(f"{BASE}/berekenen").status_code == 403
    assert client.post(f"{BASE}/runs/{run.public_id}/opnieuw").status_code == 403
    assert (
        client.post(f"{BASE}/{snapshot.public_id}/bevriezen", {"confirm": "on"}).status_code == 403
    )
    page = client.get(BASE).content.decode()
    assert "/berekenen" not in page
    assert not AggregationSnapshot.objects.filter(is_frozen=True).exists()


@pytest.mark.parametrize("persona", ["editor_a", "admin_a", "joint_body", "supplier_x"])
def test_everyone_outside_the_project_team_gets_404(personas, data, persona):
    client = personas[persona].client()
    snapshot = data["snapshot"].public_id
    run = AggregationRun.objects.get(programme=data["programme"]).public_id
    paths = [
        BASE,
        f"{BASE}/berekenen",
        f"{BASE}/vergelijken?van={snapshot}&naar={snapshot}",
        f"{BASE}/runs/{run}/opnieuw",
        f"{BASE}/{snapshot}",
        f"{BASE}/{snapshot}/bevriezen",
        f"{BASE}/{snapshot}/perceel/1/0",
        f"{BASE}/{snapshot}/export.xlsx",
        f"{BASE}/{snapshot}/export.csv",
    ]
    for path in paths:
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"confirm": "on"}).status_code == 404, path
    assert AggregationRun.objects.filter(programme=data["programme"]).count() == 1
    assert not AggregationSnapshot.objects.filter(is_frozen=True).exists()


def test_a_snapshot_of_another_programme_is_not_found(personas, data):
    from tenders.models import Programme

    Programme.objects.create(slug="gt-other", name="GT Other", contract_start_year=2028)
    snapshot = data["snapshot"].public_id
    client = personas["project_team"].client()
    assert client.get(f"/programmas/gt-other/aggregatie/{snapshot}").status_code == 404


def add_lots(data, count):
    laptop = data["cats"]["laptop"]
    for number in range(3, 3 + count):
        lot = Lot.objects.create(
            programme=data["programme"], number=number, name=f"Perceel {number}"
        )
        category = Category.objects.create(
            slug=f"extra-{number}",
            name_nl=f"Extra {number}",
            name_en=f"Extra {number}",
            kind=laptop.kind,
            cpv_code=laptop.cpv_code,
        )
        lot.categories.set([category])
        data["cats"][category.slug] = category


def dashboard_queries(personas, data) -> int:
    run_now(data["programme"])
    client = personas["project_team"].client()
    client.get(BASE)  # warm up session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BASE).status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_lots(personas, data):
    two = dashboard_queries(personas, data)
    add_lots(data, 4)
    rows = [("GM9101", f"extra-{n}", 2028, n) for n in range(3, 7)]
    submit(data, "b", [("GM9102", "laptop", 2028, 10), *rows], number=2)
    six = dashboard_queries(personas, data)
    assert Lot.objects.filter(programme=data["programme"]).count() == 6
    assert six == two


def test_drilldown_shows_one_page_of_participants_and_sums_them_all(personas, data, monkeypatch):
    monkeypatch.setattr("tenders.views.aggregation.DRILLDOWN_PAGE_SIZE", 1)
    client = personas["project_team"].client()
    url = f"{BASE}/{data['snapshot'].public_id}/perceel/1/2028"
    first = client.get(url)
    assert [p.participant for p in first.context["page"].object_list] == ["Gemeente Aadorp"]
    html = first.content.decode()
    assert html.count('data-participant="') == 1
    assert 'id="drilldown-total-quantity">310<' in html  # both participants in the total
    assert 'rel="next" href="?pagina=2"' in html
    second = client.get(url + "?pagina=2")
    assert [p.participant for p in second.context["page"].object_list] == ["Gemeente Bedum"]


def test_the_frozen_snapshot_pages_its_versions_and_authorities(setup, personas, monkeypatch):  # noqa: F811
    from tenders.tests.test_freeze import frozen

    snapshot = frozen(setup, personas)
    monkeypatch.setattr("tenders.views.freeze.PAGE_SIZE", 1)
    client = personas["project_team"].client()
    url = f"/programmas/gt-agg/aggregatie/{snapshot.public_id}"
    first = client.get(url)
    assert first.status_code == 200
    versions, authorities = first.context["versions"], first.context["lot_authorities"]
    assert len(versions.object_list) == len(authorities.object_list) == 1
    assert versions.paginator.count == snapshot.included_versions.count() > 1
    assert authorities.paginator.count == snapshot.lot_authorities.count() > 1
    html = first.content.decode()
    # Paging one list keeps the other's page.
    assert 'href="?pagina=1&amp;versies=2"' in html
    assert 'href="?versies=1&amp;pagina=2"' in html
    later = client.get(url + "?versies=2&pagina=2")
    assert later.context["versions"].number == later.context["lot_authorities"].number == 2
    assert later.context["versions"].object_list[0] != versions.object_list[0]
    # Page by page, in the order the lists promise, each row with what it shows.
    numbers = range(1, authorities.paginator.count + 1)
    pages = [client.get(f"{url}?pagina={n}").context["lot_authorities"] for n in numbers]
    seen = [page.object_list[0] for page in pages]
    assert [(a.lot.number, a.kind, a.name, a.pk) for a in seen] == sorted(
        (a.lot.number, a.kind, a.name, a.pk) for a in snapshot.lot_authorities.all()
    )
    assert all(a.participation is None or a.participation.organisation.name for a in seen)
    numbers = range(1, versions.paginator.count + 1)
    pages = [client.get(f"{url}?versies={n}").context["versions"] for n in numbers]
    names = [page.object_list[0].demand.participation.organisation.name for page in pages]
    assert len(names) > 1 and names == sorted(names)


def test_the_snapshot_lists_keep_their_sorted_keys_until_the_next_freeze(setup, personas):  # noqa: F811
    """The sorted keys of a snapshot's versions and authorities are read once: a later request
    counts and sorts neither list again and reads only its page's rows. A new freeze writes
    the authorities anew, and the page shows those, not the kept keys of the first freeze."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tenders.models import LotAuthority
    from tenders.services.freeze import snapshot_freeze, unfreeze_decide, unfreeze_request
    from tenders.tests.test_freeze import frozen, second_team_member

    snapshot = frozen(setup, personas)
    client = personas["project_team"].client()
    url = f"/programmas/gt-agg/aggregatie/{snapshot.public_id}"

    def reading_lists():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        sqls = [q["sql"] for q in captured.captured_queries]
        lists = [
            s
            for s in sqls
            if ('AS "pk" FROM' in s or "COUNT(" in s)
            and ('FROM "tenders_lotauthority"' in s or 'FROM "municipalities_demandversion"' in s)
        ]
        return response, lists

    first, first_lists = reading_lists()
    again, again_lists = reading_lists()
    # First: the sorted keys of each list; later: neither a count nor the keys again.
    assert len(first_lists) == 2 and again_lists == []
    assert [a.pk for a in again.context["lot_authorities"].object_list] == [
        a.pk for a in first.context["lot_authorities"].object_list
    ]
    assert again.context["versions"].paginator.count == snapshot.included_versions.count()
    first_keys = set(LotAuthority.objects.filter(snapshot=snapshot).values_list("pk", flat=True))
    asked = unfreeze_request(
        actor=personas["project_team"].user, snapshot=snapshot, reason="Opnieuw bevriezen"
    )
    unfreeze_decide(actor=second_team_member(personas), request=asked, confirm=True)
    snapshot.refresh_from_db()
    snapshot_freeze(actor=personas["project_team"].user, snapshot=snapshot)
    refrozen = client.get(url).context["lot_authorities"]
    shown = {a.pk for a in refrozen.object_list}
    assert shown and not shown & first_keys
    assert refrozen.paginator.count == LotAuthority.objects.filter(snapshot=snapshot).count()


def test_kept_values_name_the_snapshot_by_its_public_id(personas, data):
    """What is kept of a snapshot is keyed by its public id (a UUID), not by its row number:
    a cache that outlives its database, or serves a restored copy next to it, never hands
    one snapshot's sums or order to another that got the same number."""
    from django.core.cache import cache

    snapshot = data["snapshot"]
    client = personas["project_team"].client()
    assert client.get(f"{BASE}/{snapshot.public_id}/perceel/1/2028").status_code == 200
    assert client.get(f"{BASE}/{snapshot.public_id}").status_code == 200
    kept = [
        key
        for key in _cache_keys(cache)
        if key.startswith(("aggregation-drilldown:", "snapshot-versions:", "snapshot-authorities:"))
    ]
    assert {key.split(":", 1)[0] for key in kept} >= {"aggregation-drilldown", "snapshot-versions"}
    assert all(key.split(":")[1] == str(snapshot.public_id) for key in kept)
