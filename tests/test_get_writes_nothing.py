"""No state change on GET: every GET route of the permission matrix, as every persona, writes
no row (a link on another site can make a browser send a GET). Reads the project team makes of
confidential answers are audited on purpose, so the audit trail and the session are the only
tables a GET may write. Counted with PostgreSQL's per-transaction statistics, so that one query
per request sees every table."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from tests.permission_matrix import GLOBS, MATRIX, PERSONAS
from tests.test_permission_matrix import PERSONA_FIXTURES, fill
from tests.test_permission_matrix import world as world

pytestmark = pytest.mark.django_db

# Tables a GET may write: the audit trail (reads of confidential data are recorded) and the
# session (the language, the active organisation, one-time messages).
MAY_WRITE = ("portal_auditevent", "django_session")


def _writes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {name: count for name, count in cursor.fetchall() if count}


def get_writes(world) -> list[str]:
    clients = {
        key: world["personas"][fixture].client() for key, fixture in PERSONA_FIXTURES.items()
    }
    rows = [(route, None) for route, method, _ in MATRIX if method == "GET"]
    rows += [(glob, sample) for glob, sample, method, _ in GLOBS if method == "GET"]
    found = []
    for route, sample in rows:
        path = sample or fill(route, "GET", world)[0]
        for persona in PERSONAS:
            with transaction.atomic():
                before = _writes()
                clients[persona].get(path)
                after = _writes()
                transaction.set_rollback(True)
            changed = sorted(
                table
                for table, count in after.items()
                if count != before.get(table, 0) and table not in MAY_WRITE
            )
            if changed:
                found.append(f"GET {path} as {persona} writes {', '.join(changed)}")
    return found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="counts with PostgreSQL statistics")
def test_no_get_route_writes(world):
    found = get_writes(world)
    assert not found, "\n".join(found)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="counts with PostgreSQL statistics")
def test_the_count_sees_a_write():
    from tests.factories import OrganisationFactory

    with transaction.atomic():
        before = _writes()
        OrganisationFactory()
        after = _writes()
        transaction.set_rollback(True)
    assert after.get("portal_organisation", 0) == before.get("portal_organisation", 0) + 1
