from django.db import migrations

# The one rule for competitors (portal.competition) in the database: a person is a member of
# suppliers or of the buying side (municipalities, joint bodies, other contracting authorities,
# the project team), never of both. A membership that would break it is refused on INSERT and
# UPDATE, and so is changing the kind of an organisation whose members would end up on both
# sides. On PostgreSQL the user's row is locked first, so two memberships added at the same
# moment in two transactions are checked one after the other. The error is SQLSTATE 23000
# (integrity_constraint_violation): Django raises IntegrityError.
# See docs/decisions/0018-competition-and-supplier-identity.md.
POSTGRESQL_INSTALL = [
    """
CREATE FUNCTION portal_membership_competition() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_kind varchar;
BEGIN
    PERFORM 1 FROM portal_user WHERE id = NEW.user_id FOR UPDATE;
    SELECT kind INTO new_kind FROM portal_organisation WHERE id = NEW.organisation_id;
    IF EXISTS (
        SELECT 1 FROM portal_membership m
        JOIN portal_organisation o ON o.id = m.organisation_id
        WHERE m.user_id = NEW.user_id
          AND m.id IS DISTINCT FROM NEW.id
          AND (o.kind = 'supplier') <> (new_kind = 'supplier')
    ) THEN
        RAISE EXCEPTION 'competition rule: user % would be a member of a supplier and of the buying side', NEW.user_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$""",
    """CREATE TRIGGER portal_membership_competition BEFORE INSERT OR UPDATE
    ON portal_membership FOR EACH ROW EXECUTE FUNCTION portal_membership_competition()""",
    """
CREATE FUNCTION portal_organisation_kind_competition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM portal_membership mine
        JOIN portal_membership other ON other.user_id = mine.user_id
            AND other.organisation_id <> mine.organisation_id
        JOIN portal_organisation o ON o.id = other.organisation_id
        WHERE mine.organisation_id = NEW.id
          AND (o.kind = 'supplier') <> (NEW.kind = 'supplier')
    ) THEN
        RAISE EXCEPTION 'competition rule: organisation % cannot become %: a member would be on both sides', NEW.id, NEW.kind
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$""",
    """CREATE TRIGGER portal_organisation_kind_competition BEFORE UPDATE OF kind
    ON portal_organisation FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION portal_organisation_kind_competition()""",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS portal_organisation_kind_competition ON portal_organisation",
    "DROP FUNCTION IF EXISTS portal_organisation_kind_competition()",
    "DROP TRIGGER IF EXISTS portal_membership_competition ON portal_membership",
    "DROP FUNCTION IF EXISTS portal_membership_competition()",
]
_SQLITE_CONFLICT = """EXISTS (
    SELECT 1 FROM portal_membership m
    JOIN portal_organisation o ON o.id = m.organisation_id
    JOIN portal_organisation n ON n.id = NEW.organisation_id
    WHERE m.user_id = NEW.user_id AND m.id IS NOT NEW.id
      AND (o.kind = 'supplier') <> (n.kind = 'supplier'))"""
SQLITE_INSTALL = [
    f"""CREATE TRIGGER portal_membership_competition_insert BEFORE INSERT ON portal_membership
    WHEN {_SQLITE_CONFLICT}
    BEGIN SELECT RAISE(ABORT, 'competition rule: a member of a supplier and of the buying side'); END""",
    f"""CREATE TRIGGER portal_membership_competition_update BEFORE UPDATE ON portal_membership
    WHEN {_SQLITE_CONFLICT}
    BEGIN SELECT RAISE(ABORT, 'competition rule: a member of a supplier and of the buying side'); END""",
    """CREATE TRIGGER portal_organisation_kind_competition BEFORE UPDATE OF kind
    ON portal_organisation WHEN OLD.kind IS NOT NEW.kind AND EXISTS (
        SELECT 1 FROM portal_membership mine
        JOIN portal_membership other ON other.user_id = mine.user_id
            AND other.organisation_id <> mine.organisation_id
        JOIN portal_organisation o ON o.id = other.organisation_id
        WHERE mine.organisation_id = NEW.id
          AND (o.kind = 'supplier') <> (NEW.kind = 'supplier'))
    BEGIN SELECT RAISE(ABORT, 'competition rule: a member would be on both sides'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS portal_organisation_kind_competition",
    "DROP TRIGGER IF EXISTS portal_membership_competition_update",
    "DROP TRIGGER IF EXISTS portal_membership_competition_insert",
]


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    # No parameters: the messages have a literal "%".
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


class Migration(migrations.Migration):
    """The database refuses a person with memberships of a supplier and of the buying side.

    On SQLite a later migration that alters portal_membership or portal_organisation rebuilds
    the table and so drops its triggers: such a migration must run ``install`` again."""

    dependencies = [("portal", "0007_single_line_text")]

    operations = [migrations.RunPython(install, remove)]
