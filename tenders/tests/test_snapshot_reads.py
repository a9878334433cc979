# ruff: noqa: F811 - the "setup" fixture is imported from test_aggregation
"""What the snapshot pages read: the list of authorities a frozen snapshot records (6,840 at
ten times the national scale) only where it is shown (the dashboard counts it in the
database), and another frozen snapshot only for a snapshot that is not frozen itself."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenders.selectors.aggregation import aggregation_current_snapshot
from tenders.tests.test_aggregation import run_now, setup  # noqa: F401
from tenders.tests.test_freeze import frozen

pytestmark = pytest.mark.django_db

COLUMN = '"tenders_aggregationsnapshot"."authorities"'


def test_the_current_snapshot_counts_its_authorities_without_reading_them(setup, personas):
    snapshot = frozen(setup, personas)
    current = aggregation_current_snapshot(programme=setup["programme"])
    assert current.pk == snapshot.pk
    assert "authorities" in current.get_deferred_fields()
    assert current.authority_count == len(snapshot.authorities) > 0


def test_the_dashboard_reads_no_list_of_authorities(setup, personas):
    frozen(setup, personas)
    client = personas["project_team"].client()
    url = reverse("tenders:aggregation", args=[setup["programme"].slug])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    selects = [
        q["sql"] for q in captured.captured_queries if "tenders_aggregationsnapshot" in q["sql"]
    ]
    assert selects
    for sql in selects:
        # Only inside jsonb_array_length(...), never as a column of its own.
        assert sql.replace(f"jsonb_array_length({COLUMN})", "").count(COLUMN) == 0, sql


def test_a_newer_calculation_links_to_the_frozen_one_and_the_frozen_to_none(setup, personas):
    snapshot = frozen(setup, personas)
    newer = run_now(setup["programme"])
    client = personas["project_team"].client()
    base = f"/programmas/{setup['programme'].slug}/aggregatie"
    page = client.get(f"{base}/{newer.public_id}")
    assert page.context["other_frozen"].pk == snapshot.pk
    assert f'href="{base}/{snapshot.public_id}"' in page.content.decode()
    page = client.get(f"{base}/{snapshot.public_id}")
    assert page.context["other_frozen"] is None
