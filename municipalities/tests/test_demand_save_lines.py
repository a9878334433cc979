"""A draft save writes only the lines that differ from what is stored: unchanged lines keep
their rows, a changed figure is updated in place, a line no longer expected is deleted and a new
one inserted. The stored lines always equal what was saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Category
from municipalities.demand_data import DemandData
from municipalities.models import DemandLine
from municipalities.services.demand import demand_save_draft
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import demand as demand

pytestmark = pytest.mark.django_db


def save(demand, editor, lines):
    demand.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        demand_save_draft(
            actor=editor, demand=demand, revision=demand.revision, data=DemandData(lines=lines)
        )
    writes = [
        query["sql"].split()[0]
        for query in captured.captured_queries
        if '"municipalities_demandline"' in query["sql"].split("WHERE")[0]
        and not query["sql"].startswith("SELECT")
    ]
    return writes


def stored(demand) -> dict:
    return {
        (m, c, y): (q, lo, hi)
        for m, c, y, q, lo, hi in DemandLine.objects.filter(demand=demand).values_list(
            "municipality", "category", "year", "quantity", "min_quantity", "max_quantity"
        )
    }


def row_ids(demand) -> dict:
    return dict(DemandLine.objects.filter(demand=demand).values_list("year", "pk").order_by("year"))


@pytest.fixture
def keys(municipalities, catalogue):
    laptop = Category.objects.get(slug="laptop")
    a = municipalities["a"].pk
    return {year: (a, laptop.pk, year) for year in (2028, 2029, 2030, 2031)}


def test_saving_the_same_figures_writes_no_line(demand, editor_a, keys):
    lines = {keys[2028]: (7, None, None), keys[2029]: (12, 10, 15)}
    save(demand, editor_a, lines)
    ids = row_ids(demand)
    assert save(demand, editor_a, lines) == []
    assert stored(demand) == lines
    assert row_ids(demand) == ids


def test_a_changed_figure_is_updated_in_place_and_the_rest_untouched(demand, editor_a, keys):
    save(demand, editor_a, {keys[2028]: (7, None, None), keys[2029]: (12, 10, 15)})
    ids = row_ids(demand)
    lines = {keys[2028]: (7, None, None), keys[2029]: (13, None, 20)}
    assert save(demand, editor_a, lines) == ["UPDATE"]
    assert stored(demand) == lines
    assert row_ids(demand) == ids


def test_lines_gone_are_deleted_and_new_ones_inserted(demand, editor_a, keys):
    save(demand, editor_a, {keys[2028]: (7, None, None), keys[2029]: (12, 10, 15)})
    kept = row_ids(demand)[2028]
    # 2029 becomes zero without a range (no line); 2030 and 2031 are new.
    lines = {
        keys[2028]: (7, None, None),
        keys[2029]: (0, None, None),
        keys[2030]: (4, None, None),
        keys[2031]: (0, 0, 3),
    }
    assert save(demand, editor_a, lines) == ["DELETE", "INSERT"]
    assert stored(demand) == {k: v for k, v in lines.items() if k != keys[2029]}
    assert row_ids(demand)[2028] == kept


def test_an_empty_save_deletes_every_line(demand, editor_a, keys):
    save(demand, editor_a, {keys[2028]: (7, None, None), keys[2029]: (12, 10, 15)})
    assert save(demand, editor_a, {}) == ["DELETE"]
    assert stored(demand) == {}
