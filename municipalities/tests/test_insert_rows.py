"""``portal.db.insert_rows``, as the demand's saves use it: one statement with one array per
column on PostgreSQL, the same rows as ``bulk_create`` would write, nothing written when the
database refuses a row."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.models import Category
from municipalities.models import DemandLine, DemandProfile
from municipalities.services.demand import LINE_FIELDS
from municipalities.tests.excel_helpers import catalogue as catalogue
from municipalities.tests.excel_helpers import demand as demand
from portal.db import insert_rows

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
