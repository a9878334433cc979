# ruff: noqa: F811 - the "data" fixture is imported from test_aggregation_views
"""What the lists of a snapshot read: the included versions (page and API) are read without
each version's JSON copy of its lines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenders.tests.test_aggregation import setup  # noqa: F401 - fixture
from tenders.tests.test_aggregation_views import BASE, data  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_the_included_versions_are_read_without_their_content(personas, data):
    """The lists of included versions (page and API) show who, which version and when; the
    version's JSON copy of all its lines is not read for them."""
    client = personas["project_team"].client()
    snapshot = data["snapshot"].public_id
    api = f"/api/v1/programmes/gt-agg/snapshots/{snapshot}/included-versions"
    for path in (f"{BASE}/{snapshot}", api):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        reads = [
            q["sql"] for q in queries.captured_queries if "municipalities_demandversion" in q["sql"]
        ]
        assert reads, path
        assert not [sql for sql in reads if '"municipalities_demandversion"."snapshot"' in sql], (
            path
        )
