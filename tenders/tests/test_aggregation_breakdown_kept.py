# ruff: noqa: F811 - the fixtures imported below
"""The totals per province and per size class of a snapshot are summed by the database once and
kept (a snapshot's totals never change); the lots' names are read as they are now, and with the
cache down the page sums again and shows the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.tests.test_degraded_mode import cache_redis  # noqa: F401 - fixture
from tenders.models import Lot
from tenders.tests.test_aggregation import setup  # noqa: F401 - fixture
from tenders.tests.test_aggregation_views import BASE, data  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _breakdowns(client) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BASE)
    assert response.status_code == 200
    sums = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "tenders_snapshottotal"' in q["sql"] and "GROUP BY" in q["sql"]
    ]
    shown = {
        key: (
            breakdown.lots,
            [(r.key, r.quantities, r.quantity, r.estimated_value) for r in breakdown.rows],
            (breakdown.total.quantity, breakdown.total.estimated_value),
        )
        for breakdown, _title, key in response.context["breakdowns"]
    }
    return shown, sums


def test_the_sums_are_made_once_and_the_lot_names_read_as_they_are(personas, data):
    client = personas["project_team"].client()
    first, first_sums = _breakdowns(client)
    again, again_sums = _breakdowns(client)
    assert len(first_sums) == 2 and again_sums == []
    assert again == first
    lots, rows, total = first["province"]
    assert total[0] == 390 + 40  # lot 1 and lot 2 over the whole term
    assert {key: quantity for key, _cells, quantity, _value in rows}["Utrecht"] >= 100
    Lot.objects.filter(programme=data["programme"], number=1).update(name="Laptops en schermen")
    renamed, renamed_sums = _breakdowns(client)
    assert renamed_sums == []
    assert renamed["province"][0][0] == (1, "Perceel 1: Laptops en schermen")
    assert renamed["province"][1:] == first["province"][1:]


def test_the_sums_are_made_with_the_cache_down(personas, data, cache_redis):
    client = personas["project_team"].client()
    cache_redis.stop()
    down, down_sums = _breakdowns(client)
    cache_redis.start()
    up, up_sums = _breakdowns(client)
    assert len(down_sums) == len(up_sums) == 2
    assert down == up
