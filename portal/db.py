"""Reading database errors the same way on both engines the portal runs on.

PostgreSQL names the violated constraint in the error's diagnostics; SQLite only says
``UNIQUE constraint failed: table.col, table.col`` (or ``CHECK constraint failed: name``).
``violated_constraint`` answers the constraint's name in both cases, so a service can tell
"this unique rule was broken" from any other integrity error.

``insert_select`` writes the rows of a queryset into a table with one ``INSERT … SELECT``, so
that rows the database computes (a GROUP BY) never travel to Python and back.
``insert_rows`` writes many narrow rows from Python in one statement with one array per column,
without a model instance per row; ``update_rows`` changes many rows by primary key the same
way. ``JSONArrayRows`` pages the elements of a JSON array column in the database."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connections, models, router
from django.db.models import QuerySet

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)$")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")
_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '(?P<name>\w+)'")


def violated_constraint(exc: IntegrityError) -> str | None:
    """The name of the constraint an IntegrityError broke, or None when it cannot be told
    (a NOT NULL or foreign-key failure, or a unique column without a named constraint on
    SQLite, which is answered as ``table_column_key`` like PostgreSQL names it)."""
    cause = exc.__cause__
    name = getattr(getattr(cause, "diag", None), "constraint_name", None)
    if name:
        return str(name)
    message = str(cause if cause is not None else exc).strip()
    check = _SQLITE_CHECK.search(message)
    if check:
        return check.group("name")
    index = _SQLITE_INDEX.search(message)
    if index:
        return index.group("name")
    unique = _SQLITE_UNIQUE.search(message)
    if unique:
        return _unique_by_columns(unique.group("columns"))
    return None


def _unique_by_columns(columns_text: str) -> str | None:
    qualified = [part.strip() for part in columns_text.split(",") if part.strip()]
    tables = {part.rsplit(".", 1)[0] for part in qualified if "." in part}
    if len(tables) != 1 or len(qualified) != sum("." in part for part in qualified):
        return None
    table = tables.pop()
    columns = {part.rsplit(".", 1)[1] for part in qualified}
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:
        return None
    by_name = {field.name: field for field in model._meta.concrete_fields}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            fields = [by_name[name] for name in constraint.fields if name in by_name]
            if {field.column for field in fields} == columns:
                return constraint.name
    if len(columns) == 1:
        (column,) = columns
        field = next((f for f in model._meta.concrete_fields if f.column == column), None)
        if field is not None and field.unique:
            return f"{table}_{column}_key"
    return None


def insert_select(model: type[models.Model], queryset: QuerySet, columns: dict[str, str]) -> int:
    """``INSERT INTO`` the table of ``model`` the rows of ``queryset`` (a ``values()`` query,
    grouped or not), in one statement. ``columns`` maps each selected name of the queryset to
    the field of ``model`` it fills; every selected name must be mapped. Returns the number
    of rows written. Both engines run it (PostgreSQL and SQLite)."""
    query = queryset.query
    if query.selected is not None:
        selected = list(query.selected)
    else:
        selected = [*query.extra_select, *query.values_select, *query.annotation_select]
    if sorted(selected) != sorted(columns):
        raise ValueError(f"The queryset selects {selected}, not {sorted(columns)}.")
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    column_of = {field.name: field.column for field in model._meta.concrete_fields}
    names = ", ".join(quote(column_of[columns[name]]) for name in selected)
    sql, params = query.get_compiler(queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}", params)
        return cursor.rowcount


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (tuples of values in the order of ``fields``, a foreign key by its
    id) into the table of ``model`` and return how many. On PostgreSQL in one statement with
    one array per column (``INSERT … SELECT … FROM unnest(…)``): no model instance per row
    and as many parameters as columns, where ``bulk_create`` binds each value of each row.
    Elsewhere with ``bulk_create``. The values must be what the columns store (numbers,
    texts, dates, None); the database checks them, and no ``save()``, signal or Python-side
    default applies to the fields not named."""
    rows = list(rows)
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    if connection.vendor != "postgresql":
        return len(model._default_manager.bulk_create(_instances(model, targets, rows)))
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in targets)
    arrays, columns = _unnest_arguments(connection, targets, rows)
    # Only the model's own table, columns and types are written into the statement; every
    # value is a bound parameter.
    statement = f"INSERT INTO {quote(meta.db_table)} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, columns)
        return cursor.rowcount


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Set ``fields`` of the rows of ``model`` named by primary key: each of ``rows`` is the
    primary key followed by the new values in the order of ``fields``. Returns how many rows
    were updated. On PostgreSQL one ``UPDATE … FROM unnest(…)`` with one array per column, as
    ``insert_rows`` writes; elsewhere ``bulk_update``. An update that leaves the foreign keys
    as they are costs the database no foreign-key checks, where a delete and insert of the
    same row checks every key again at commit."""
    rows = list(rows)
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    targets = [meta.pk, *(meta.get_field(name) for name in fields)]
    if connection.vendor != "postgresql":
        objects = _instances(model, targets, rows)
        model._default_manager.bulk_update(objects, list(fields))
        return len(objects)
    quote = connection.ops.quote_name
    arrays, columns = _unnest_arguments(connection, targets, rows)
    aliases = ", ".join(f"v{n}" for n in range(len(targets)))
    assignments = ", ".join(
        f"{quote(field.column)} = new.v{n}" for n, field in enumerate(targets) if n
    )
    table = quote(meta.db_table)
    # As in insert_rows: only the model's own names and types are written into the statement.
    statement = (
        f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS new({aliases}) "  # noqa: S608
        f"WHERE {table}.{quote(meta.pk.column)} = new.v0"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, columns)
        return cursor.rowcount


def _instances(model: type[models.Model], targets: list[Any], rows: list[Any]) -> list[Any]:
    """Model instances of ``rows`` (values in the order of ``targets``), for the engines
    without arrays (``bulk_create``, ``bulk_update``)."""
    return [
        model(**{field.attname: value for field, value in zip(targets, row, strict=True)})
        for row in rows
    ]


def _unnest_arguments(connection: Any, targets: list[Any], rows: list[Any]) -> tuple[str, list]:
    """The arguments of ``unnest(…)`` for ``rows``: one ``%s::<type>[]`` per field of
    ``targets`` (the model's own types), and the column of values that fills each."""
    types = [field.db_type(connection) for field in targets]
    arrays = ", ".join(f"%s::{db_type}[]" for db_type in types)
    columns = zip(*rows, strict=True)
    return arrays, [
        _array_parameter(column, db_type) for db_type, column in zip(types, columns, strict=True)
    ]


_INTEGER_TYPES = frozenset({"smallint", "integer", "bigint"})


def _array_parameter(values: Sequence[Any], db_type: str | None) -> Any:
    """One column's values as the parameter of ``%s::<type>[]``. Whole numbers go as
    PostgreSQL's array literal (``{1,NULL,3}``), built by ``str.join``: psycopg dumps a list
    element by element in Python, several times slower for a long column. Anything else (or
    a value that is not exactly an int or None, such as a bool) goes as the list itself."""
    if db_type in _INTEGER_TYPES and all(type(v) is int or v is None for v in values):
        return "{" + ",".join("NULL" if v is None else str(v) for v in values) + "}"
    return list(values)


class JSONArrayLength(models.Func):
    """The number of elements of a JSON array column, counted by the database (PostgreSQL's
    ``jsonb_array_length``, SQLite's ``json_array_length``), so that a long list is not read
    only to be counted."""

    function = "jsonb_array_length"
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="json_array_length", **extra_context)


class JSONArrayRows(Sequence[Any]):
    """The elements of a JSON array column of one row, read a slice at a time: the length is
    counted by the database (or given by the caller, who annotated ``JSONArrayLength``), and
    a slice is cut by the database (a JSON path ``$[a to b]``, SQLite's ``json_each``) so that
    a page of a long list does not travel to Python and get decoded whole."""

    def __init__(self, instance: models.Model, field: str, count: int | None = None) -> None:
        self._model = type(instance)
        self._pk = instance.pk
        self._field = self._model._meta.get_field(field)
        self._count = count

    def __len__(self) -> int:
        if self._count is None:
            self._count = (
                self._model._default_manager.filter(pk=self._pk)
                .values_list(JSONArrayLength(self._field.name), flat=True)
                .get()
            ) or 0
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("JSONArrayRows slices only with step 1")
            return self._read(start, max(stop - start, 0))
        if index < 0:
            index += len(self)
        found = self._read(index, 1) if 0 <= index < len(self) else []
        if not found:
            raise IndexError(index)
        return found[0]

    def _read(self, offset: int, limit: int) -> list[Any]:
        if not limit:
            return []
        connection = connections[router.db_for_read(self._model)]
        meta = self._model._meta
        statement, params = json_array_slice(
            connection.vendor,
            connection.ops.quote_name,
            table=meta.db_table,
            column=self._field.column,
            key=meta.pk.column,
            pk=self._pk,
            offset=offset,
            limit=limit,
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return [json.loads(text) for (text,) in cursor.fetchall()]


def json_array_slice(
    vendor: str,
    quote: Callable[[str], str],
    *,
    table: str,
    column: str,
    key: str,
    pk: Any,
    offset: int,
    limit: int,
) -> tuple[str, list[Any]]:
    """The statement (and its parameters) that reads elements ``offset`` to ``offset + limit``
    of the JSON array in ``column`` of row ``pk``, one row per element as JSON text, in order:
    on PostgreSQL cut by one JSON path slice (``$[a to b]``; the elements before it are not
    unpacked), elsewhere with SQLite's ``json_each``. Only the table and column names are
    written into the statement; the row and the slice are bound parameters."""
    table, column, key = quote(table), quote(column), quote(key)
    if vendor == "postgresql":
        return (
            "SELECT e.value::text FROM jsonb_array_elements("  # noqa: S608
            f"(SELECT jsonb_path_query_array({column}, %s::jsonpath) FROM {table} "
            f"WHERE {key} = %s)) WITH ORDINALITY AS e(value, n) ORDER BY e.n",
            [f"$[{int(offset)} to {int(offset) + int(limit) - 1}]", pk],
        )
    return (
        f"SELECT json_quote(e.value) FROM {table}, json_each({table}.{column}) AS e "  # noqa: S608
        f"WHERE {table}.{key} = %s ORDER BY e.key LIMIT %s OFFSET %s",
        [pk, limit, offset],
    )
