"""``portal.db.json_array_slice`` on SQLite (the development database): the same elements,
in the same order, as the PostgreSQL statement reads (tenders' authorities API test)."""

import json
import sqlite3

from portal.db import json_array_slice

ITEMS = [{"name": "Gemeente A", "lots": [1]}, "tekst", 3, [1, 2], None, {"name": "B"}]


def test_sqlite_reads_a_slice_of_a_json_array_in_order():
    database = sqlite3.connect(":memory:")
    database.execute('CREATE TABLE "snapshot" ("id" integer PRIMARY KEY, "items" text)')
    database.execute('INSERT INTO "snapshot" VALUES (1, ?), (2, ?)', [json.dumps(ITEMS), "[9]"])

    def read(offset: int, limit: int) -> list:
        statement, params = json_array_slice(
            "sqlite",
            lambda name: f'"{name}"',
            table="snapshot",
            column="items",
            key="id",
            pk=1,
            offset=offset,
            limit=limit,
        )
        rows = database.execute(statement.replace("%s", "?"), params).fetchall()
        return [json.loads(text) for (text,) in rows]

    assert read(0, 100) == ITEMS
    assert read(1, 3) == ITEMS[1:4]
    assert read(4, 2) == [None, {"name": "B"}]
    assert read(6, 5) == []


def test_postgresql_cuts_one_json_path_slice():
    statement, params = json_array_slice(
        "postgresql",
        lambda name: f'"{name}"',
        table="t",
        column="c",
        key="id",
        pk=7,
        offset=50,
        limit=25,
    )
    assert "jsonb_path_query_array" in statement
    assert params == ["$[50 to 74]", 7]
