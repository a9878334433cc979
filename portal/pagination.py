"""Limit/offset paging for every API list, with bounds: a limit of at most ``max_limit``, an
offset the database can hold, and a 400 (problem+json with ``invalidParams``) for any value
that is not such a number, where DRF would silently fall back to its defaults or pass a huge
number on to PostgreSQL (a 500)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination

from portal.paged_rows import PagedRows, read_by_key

# Longer than any valid value: refused before int() parses it (Python refuses more than
# 4,300 digits with a ValueError, but parsing a long one still costs time).
MAX_DIGITS = 10
# Far beyond any list this portal holds, and well within PostgreSQL's bigint.
MAX_OFFSET = 1_000_000_000


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    max_limit = 200

    def get_limit(self, request) -> int:
        return self._bounded(request, self.limit_query_param, 1, self.max_limit, self.default_limit)

    def get_offset(self, request) -> int:
        return self._bounded(request, self.offset_query_param, 0, MAX_OFFSET, 0)

    def _bounded(self, request, name: str, minimum: int, maximum: int, default: int) -> int:
        if name not in request.query_params:
            return default
        raw = request.query_params[name]
        value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS else -1
        if not minimum <= value <= maximum:
            message = _("Enter a whole number from %(min)s to %(max)s.")
            raise exceptions.ValidationError({name: [message % {"min": minimum, "max": maximum}]})
        return value

    def get_schema_operation_parameters(self, view) -> list[dict]:
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class KeyPagedMixin:
    """For an API list whose rows join several tables (and prefetch more): the database
    sorts and pages the primary keys only, and the page's rows are read by key with their
    joins and prefetches. A sort over every row then stays narrow; PostgreSQL otherwise
    joins every row before it sorts them (decision 0027)."""

    def page_rows(self, queryset):
        """The queryset that reads a page's rows: add here what only the shown rows need
        (an aggregate would otherwise group every row before the sort)."""
        return queryset

    def paginate_queryset(self, queryset):
        keys = queryset.prefetch_related(None).values_list("pk", flat=True)
        rows = read_by_key(self.page_rows(queryset))
        return super().paginate_queryset(PagedRows(keys, rows))  # type: ignore[misc]
