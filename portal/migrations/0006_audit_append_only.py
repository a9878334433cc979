from django.db import migrations, models

# PostgreSQL: UPDATE and DELETE are refused always; TRUNCATE unless the session says
# ``portal.audit_truncate = 'allow'``, which only the test settings do (the test database is
# emptied with TRUNCATE between transactional tests). See docs/decisions/0012-audit-trail.md.
POSTGRESQL_INSTALL = [
    """
CREATE FUNCTION portal_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('portal.audit_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'portal_auditevent is append-only: % refused', TG_OP;
END
$$""",
    """CREATE TRIGGER portal_auditevent_no_update_delete BEFORE UPDATE OR DELETE
    ON portal_auditevent FOR EACH ROW EXECUTE FUNCTION portal_auditevent_append_only()""",
    """CREATE TRIGGER portal_auditevent_no_truncate BEFORE TRUNCATE
    ON portal_auditevent FOR EACH STATEMENT EXECUTE FUNCTION portal_auditevent_append_only()""",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS portal_auditevent_no_truncate ON portal_auditevent",
    "DROP TRIGGER IF EXISTS portal_auditevent_no_update_delete ON portal_auditevent",
    "DROP FUNCTION IF EXISTS portal_auditevent_append_only()",
]
SQLITE_INSTALL = [
    """CREATE TRIGGER portal_auditevent_no_update BEFORE UPDATE ON portal_auditevent
    BEGIN SELECT RAISE(ABORT, 'portal_auditevent is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER portal_auditevent_no_delete BEFORE DELETE ON portal_auditevent
    BEGIN SELECT RAISE(ABORT, 'portal_auditevent is append-only: DELETE refused'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS portal_auditevent_no_update",
    "DROP TRIGGER IF EXISTS portal_auditevent_no_delete",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    # No parameters: the trigger's message has a literal "%".
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


class Migration(migrations.Migration):
    """The audit trail becomes append-only in the database: triggers refuse UPDATE and DELETE
    (on PostgreSQL also TRUNCATE), and a unique previous hash refuses a fork of the chain.

    On SQLite a later migration that alters this table rebuilds it and so drops the triggers:
    such a migration must run ``install`` again (``verify_audit`` reports missing triggers)."""

    dependencies = [("portal", "0005_audit_chain")]

    operations = [
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("prev_hash",), name="audit_event_one_successor"
            ),
        ),
        migrations.RunPython(install, remove),
    ]
