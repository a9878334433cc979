"""The audit trail is append-only in the database and chained by hashes: the triggers refuse
UPDATE, DELETE and TRUNCATE through the application's own connection, ``verify_audit`` finds
an event changed, removed or moved behind the triggers' back, concurrent writers keep the
chain linear, and removing a user leaves the trail (and the user's pseudonym in it) intact."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from portal import audit_chain
from portal.audit import audit
from portal.models import AuditEvent, User

pytestmark = pytest.mark.django_db
TABLE = audit_chain.TABLE


def make_events(count: int = 3) -> list[AuditEvent]:
    user = User.objects.create_user("auditor@example.nl", name="Auditor")
    return [
        audit(actor=user, action="test.step", number=n, note="één", share=1.0) for n in range(count)
    ]


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", chunk_size=2, stdout=out)
    return out.getvalue()


class TriggersOff:
    """The triggers disabled for a moment, as someone with the table owner's rights could."""

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")


def test_every_event_links_to_the_one_before():
    events = make_events()
    assert events[0].prev_hash == audit_chain.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert events[0].actor_ref == User.objects.get(email="auditor@example.nl").public_id
    # The hash is over the stored fields: read back, they give the same hash.
    stored = AuditEvent.objects.values(*audit_chain.CHAINED_FIELDS).get(pk=events[1].pk)
    assert audit_chain.event_hash(**stored) == events[1].hash
    assert "intact: 3 events" in verify()


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE {TABLE} SET action = 'test.other'",
        f"UPDATE {TABLE} SET actor_id = NULL",
        f"DELETE FROM {TABLE}",
    ],
)
def test_the_database_refuses_update_and_delete(statement):
    make_events(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(action="test.step").count() == 2


def test_the_database_refuses_truncate_outside_the_test_setting():
    make_events(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL portal.audit_truncate = 'refuse'")
        cursor.execute(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.count() == 1


def test_the_model_refuses_a_second_save():
    event = make_events(1)[0]
    with pytest.raises(ValueError, match="immutable"):
        event.save()


def test_verify_audit_finds_a_changed_event():
    events = make_events(4)
    with TriggersOff(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET data = jsonb_set(data, '{{note}}', '\"twee\"') WHERE id = %s",
            [events[2].pk],
        )
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk} .*changed"):
        verify()


def test_verify_audit_finds_a_removed_event():
    events = make_events(4)
    with TriggersOff(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk} .*removed"):
        verify()


def test_verify_audit_finds_removed_first_events():
    events = make_events(3)
    with TriggersOff(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[0].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk} .*before it"):
        verify()


def test_verify_audit_finds_events_in_another_order():
    events = make_events(4)
    first, second = events[1].pk, events[2].pk
    with TriggersOff(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET id = -1 WHERE id = %s", [first])
        cursor.execute(f"UPDATE {TABLE} SET id = %s WHERE id = %s", [first, second])
        cursor.execute(f"UPDATE {TABLE} SET id = %s WHERE id = -1", [second])
    with pytest.raises(CommandError, match=f"broken at event {first} "):
        verify()


def test_verify_audit_reports_a_disabled_trigger():
    make_events(1)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER portal_auditevent_no_update_delete")
    with pytest.raises(CommandError, match="triggers missing or disabled"):
        verify()


def test_removing_a_user_leaves_the_trail_and_their_pseudonym():
    events = make_events(2)
    user = User.objects.get(email="auditor@example.nl")
    public_id = user.public_id
    user.delete()
    kept = AuditEvent.objects.select_related("actor").get(pk=events[0].pk)
    assert kept.actor is None and kept.actor_ref == public_id
    assert "intact: 2 events" in verify()


def _audit_in_thread(action: str, errors: list, before_commit=None) -> threading.Thread:
    def run():
        try:
            with transaction.atomic():
                audit(actor=None, action=action)
                if before_commit is not None:
                    before_commit()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


def _advisory_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_two_connections_auditing_at_once_keep_one_chain():
    """The first writer holds its transaction open after auditing; the second (another
    connection) must wait for it and then link to the first's event, not fork the chain."""
    errors: list = []
    first_written, release_first = threading.Event(), threading.Event()

    def hold():
        first_written.set()
        assert release_first.wait(60)

    first = _audit_in_thread("test.first", errors, before_commit=hold)
    first.start()
    assert first_written.wait(60)
    second = _audit_in_thread("test.second", errors)
    second.start()
    # Wait (bounded) until the second writer is blocked on the chain's lock.
    for _ in range(600):
        if _advisory_waiters() or not second.is_alive():
            break
        time.sleep(0.05)
    release_first.set()
    first.join(60)
    second.join(60)
    assert errors == []
    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.action for e in events] == ["test.first", "test.second"]
    assert events[1].prev_hash == events[0].hash
    assert "intact: 2 events" in verify()


@pytest.mark.django_db(transaction=True)
def test_many_writers_keep_the_chain_linear():
    errors: list = []

    def writer(name: str):
        try:
            for n in range(15):
                with transaction.atomic():
                    audit(actor=None, action=f"test.{name}", n=n)
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert AuditEvent.objects.count() == 45
    assert "intact: 45 events" in verify()


def test_the_sqlite_triggers_refuse_update_and_delete(tmp_path):
    """The embedded database gets the same guarantee: the migration's SQLite statements on a
    real SQLite table."""
    import importlib
    import sqlite3

    migration = importlib.import_module("portal.migrations.0006_audit_append_only")
    database = sqlite3.connect(tmp_path / "audit.sqlite3")
    database.execute(f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, action text)")
    for statement in migration.SQLITE_INSTALL:
        database.execute(statement)
    database.execute(f"INSERT INTO {TABLE} (action) VALUES ('test.step')")
    for statement in (f"UPDATE {TABLE} SET action = 'x'", f"DELETE FROM {TABLE}"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            database.execute(statement)
    assert database.execute(f"SELECT action FROM {TABLE}").fetchall() == [("test.step",)]
    names = {n for (n,) in database.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert names == set(audit_chain.TRIGGERS["sqlite"])
    database.close()
