"""``portal.db.insert_rows`` and ``update_rows``, as the demand's saves use them: one statement
with one array per column on PostgreSQL, the same rows as ``bulk_create`` (``bulk_update``)
would write, nothing written when the database refuses a row."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.models import Category
from municipalities.models import DemandLine, DemandProfile
from municipalities.services.demand import LINE_FIELDS
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import demand as demand
from portal.db import _array_parameter, insert_rows, update_rows

pytestmark = pytest.mark.django_db


def lines_of(demand) -> list[tuple]:
    return list(
        DemandLine.objects.filter(demand=demand)
        .order_by("municipality", "category", "year")
        .values_list(
            *(
                f"{name}_id" if name in ("demand", "municipality", "category") else name
                for name in LINE_FIELDS
            )
        )
    )


def test_rows_are_written_in_one_statement_with_their_empty_values(demand, municipalities):
    DemandLine.objects.filter(demand=demand).delete()
    laptop, desktop = Category.objects.get(slug="laptop"), Category.objects.get(slug="desktop")
    a, b = municipalities["a"].pk, municipalities["b"].pk
    rows = [
        (demand.pk, a, laptop.pk, 2028, 7, None, None),
        (demand.pk, a, laptop.pk, 2029, 12, 10, 15),
        (demand.pk, b, desktop.pk, 2028, 0, None, 4),
    ]
    with CaptureQueriesContext(connection) as captured:
        assert insert_rows(DemandLine, LINE_FIELDS, iter(rows)) == 3
    assert len(captured.captured_queries) == 1
    assert "unnest" in captured.captured_queries[0]["sql"]
    assert lines_of(demand) == sorted(rows, key=lambda row: row[1:4])


def test_no_rows_is_no_statement(demand):
    with CaptureQueriesContext(connection) as captured:
        assert insert_rows(DemandProfile, ("demand", "municipality"), []) == 0
    assert not captured.captured_queries


def test_a_refused_row_writes_none_of_them(demand, municipalities):
    before = lines_of(demand)
    laptop = Category.objects.get(slug="laptop")
    a = municipalities["a"].pk
    rows = [
        (demand.pk, a, laptop.pk, 2030, 5, None, None),
        (demand.pk, a, laptop.pk, 2031, 5, 6, None),  # the minimum above the quantity
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(DemandLine, LINE_FIELDS, rows)
    assert lines_of(demand) == before


def test_other_databases_get_the_same_rows_from_bulk_create(demand, municipalities, monkeypatch):
    """The path for a database without arrays (SQLite), taken here on PostgreSQL."""
    DemandLine.objects.filter(demand=demand).delete()
    laptop = Category.objects.get(slug="laptop")
    rows = [(demand.pk, municipalities["a"].pk, laptop.pk, 2028, 3, 1, None)]
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with CaptureQueriesContext(connection) as captured:
        assert insert_rows(DemandLine, LINE_FIELDS, rows) == 1
    assert "unnest" not in captured.captured_queries[-1]["sql"]
    monkeypatch.undo()
    assert lines_of(demand) == rows


def test_whole_numbers_travel_as_one_array_literal_and_anything_else_as_a_list():
    assert _array_parameter((7, None, 12), "integer") == "{7,NULL,12}"
    assert _array_parameter((2**40,), "bigint") == "{1099511627776}"
    # A bool is an int to Python but not a number to PostgreSQL: psycopg dumps it.
    assert _array_parameter((True, 1), "integer") == [True, 1]
    assert _array_parameter(("7", 1), "integer") == ["7", 1]
    assert _array_parameter(("a,b", "{c}"), "varchar(500)") == ["a,b", "{c}"]


def test_rows_are_updated_by_key_in_one_statement(demand, municipalities):
    DemandLine.objects.filter(demand=demand).delete()
    laptop = Category.objects.get(slug="laptop")
    a = municipalities["a"].pk
    rows = [
        (demand.pk, a, laptop.pk, 2028, 7, None, None),
        (demand.pk, a, laptop.pk, 2029, 12, 10, 15),
        (demand.pk, a, laptop.pk, 2030, 1, None, None),
    ]
    insert_rows(DemandLine, LINE_FIELDS, rows)
    first, second, third = DemandLine.objects.filter(demand=demand).order_by("year")
    with CaptureQueriesContext(connection) as captured:
        changed = update_rows(
            DemandLine,
            ("quantity", "min_quantity", "max_quantity"),
            iter([(first.pk, 9, 8, None), (second.pk, 12, None, None)]),
        )
    assert changed == 2
    assert len(captured.captured_queries) == 1
    assert "unnest" in captured.captured_queries[0]["sql"]
    assert lines_of(demand) == [
        (demand.pk, a, laptop.pk, 2028, 9, 8, None),
        (demand.pk, a, laptop.pk, 2029, 12, None, None),
        (demand.pk, a, laptop.pk, 2030, 1, None, None),
    ]
    assert set(DemandLine.objects.values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
        third.pk,
    }


def test_a_refused_update_changes_none_of_the_rows(demand):
    line = DemandLine.objects.get(demand=demand)
    extra = DemandLine.objects.create(
        demand=demand,
        municipality_id=line.municipality_id,
        category_id=line.category_id,
        year=2031,
        quantity=4,
    )
    before = lines_of(demand)
    with pytest.raises(IntegrityError), transaction.atomic():
        update_rows(
            DemandLine,
            ("quantity", "min_quantity"),
            [(line.pk, 3, None), (extra.pk, 4, 5)],  # the minimum above the quantity
        )
    assert lines_of(demand) == before


def test_no_update_is_no_statement(demand):
    with CaptureQueriesContext(connection) as captured:
        assert update_rows(DemandLine, ("quantity",), []) == 0
    assert not captured.captured_queries


def test_other_databases_get_the_same_update_from_bulk_update(demand, monkeypatch):
    line = DemandLine.objects.get(demand=demand)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with CaptureQueriesContext(connection) as captured:
        assert update_rows(DemandLine, ("quantity", "max_quantity"), [(line.pk, 11, 20)]) == 1
    assert "unnest" not in captured.captured_queries[-1]["sql"]
    monkeypatch.undo()
    line.refresh_from_db()
    assert (line.quantity, line.max_quantity) == (11, 20)
