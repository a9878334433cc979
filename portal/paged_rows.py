"""Rows of a long list that the database filters, sorts and counts, built a page at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from django.db.models import QuerySet

# Rows a page of every list in the portal shows (decision 0032): enough to scan, few enough
# that a page renders in budget at ten times the Netherlands.
LIST_PAGE_SIZE = 25


class PagedRows[Row](Sequence[Row]):
    """Rows of an overview, filtered and sorted by the database: the length is one count
    (unless the caller knows it), a slice (one page) is one query plus what ``build`` needs
    for those rows, and iterating builds the rows in batches. So a page costs the same with
    342 or 3,420 municipalities. Over a list (sorted keys the caller kept, of a list that
    never changes) the count and the slice cost no query: only ``build`` reads."""

    BATCH = 500

    def __init__(
        self,
        queryset: QuerySet[Any] | list[Any],
        build: Callable[[list[Any]], list[Row]],
        count: int | None = None,
    ) -> None:
        self._queryset = queryset
        self._build = build
        self._count = count

    def __len__(self) -> int:
        if self._count is None:
            self._count = (
                self._queryset.count()
                if isinstance(self._queryset, QuerySet)
                else len(self._queryset)
            )
        return self._count

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return self._build(list(self._queryset[index]))
        if index < 0:
            index += len(self)
        found = self[index : index + 1]
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self) -> Iterator[Row]:
        """Every row: the query once, read a batch at a time (not a query per batch, each
        sorting the whole list again to skip to its offset), each batch built as a page is."""
        batch: list[Any] = []
        items = (
            self._queryset.iterator(chunk_size=self.BATCH)
            if isinstance(self._queryset, QuerySet)
            else self._queryset
        )
        for item in items:
            batch.append(item)
            if len(batch) == self.BATCH:
                yield from self._build(batch)
                batch = []
        if batch:
            yield from self._build(batch)


def read_by_key[Model](queryset: QuerySet[Model]) -> Callable[[list[Any]], list[Model]]:
    """A ``build`` for ``PagedRows`` over primary keys (``values_list("pk", flat=True)``): the
    page's rows read by ``queryset``, with what they show (``select_related``), in the order of
    the keys. The database then sorts narrow rows (keys and sort columns) instead of every
    row with all its joins, and joins only the page."""

    def build(keys: list[Any]) -> list[Model]:
        found = queryset.in_bulk(keys)
        return [found[key] for key in keys if key in found]

    return build
