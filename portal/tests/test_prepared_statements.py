"""A statement the portal runs again and again is parsed and planned by PostgreSQL once per
connection: parameters are bound by the server and psycopg prepares the statement after
``prepare_threshold`` runs (decision 0037)."""

import pytest
from django.db import connection

from portal.db_connections import PREPARED_MAX
from portal.models import Organisation

pytestmark = pytest.mark.django_db

SLUG_BY_ID = 'FROM "portal_organisation" WHERE "portal_organisation"."id" = '


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall() if SLUG_BY_ID in statement]


def _slug(pk: int) -> list[str]:
    return list(Organisation.objects.filter(pk=pk).values_list("slug", flat=True))


def test_a_repeated_query_is_prepared_once_with_its_parameters_bound(org_a, org_b):
    options = connection.settings_dict["OPTIONS"]
    assert options["server_side_binding"] is True
    threshold = options["prepare_threshold"]
    assert _prepared() == []
    for _ in range(threshold):
        assert _slug(org_a.pk) == [org_a.slug]
    # Not yet: psycopg prepares a statement once it ran more than the threshold.
    assert _prepared() == []
    assert _slug(org_a.pk) == [org_a.slug]
    prepared = _prepared()
    assert len(prepared) == 1
    assert prepared[0].endswith(' = $1 ORDER BY "portal_organisation"."name" ASC')
    # Another organisation: the same prepared statement, the right answer.
    assert _slug(org_b.pk) == [org_b.slug]
    assert _prepared() == prepared


def test_a_connection_keeps_more_prepared_statements_than_psycopgs_default():
    connection.ensure_connection()
    assert connection.connection.prepared_max == PREPARED_MAX > 100
