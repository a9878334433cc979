"""``PagedRows``: a page is one query plus its build; iterating runs the sorted query once and
builds the rows a batch at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Organisation
from portal.paged_rows import PagedRows

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    Organisation.objects.bulk_create(
        [Organisation(name=f"Organisatie {i:02d}", slug=f"org-{i:02d}") for i in range(7)]
    )
    return Organisation.objects.filter(slug__startswith="org-").order_by("-name")


def names(batch: list[Organisation]) -> list[str]:
    return [organisation.name for organisation in batch]


def test_iterating_runs_the_sorted_query_once_and_builds_each_batch(organisations, monkeypatch):
    monkeypatch.setattr(PagedRows, "BATCH", 3)
    built: list[int] = []

    def build(batch: list[Organisation]) -> list[str]:
        built.append(len(batch))
        return names(batch)

    with CaptureQueriesContext(connection) as captured:
        rows = list(PagedRows(organisations, build))
    assert rows == [f"Organisatie {i:02d}" for i in range(6, -1, -1)]
    assert built == [3, 3, 1]
    sorted_reads = [q for q in captured.captured_queries if "ORDER BY" in q["sql"]]
    assert len(sorted_reads) == 1, sorted_reads


def test_a_page_is_one_query_and_the_length_one_count_unless_known(organisations):
    rows = PagedRows(organisations, names)
    with CaptureQueriesContext(connection) as captured:
        assert rows[2:4] == ["Organisatie 04", "Organisatie 03"]
        assert len(rows) == 7
        assert rows[-1] == "Organisatie 00"
    assert len(captured.captured_queries) == 3  # the page, the count, the last row
    with CaptureQueriesContext(connection) as captured:
        assert len(PagedRows(organisations, names, count=7)) == 7
    assert not captured.captured_queries
