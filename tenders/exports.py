"""The project team's overviews as Excel workbooks: participants (one row per municipality)
and demand (one row per participant, municipality, category and year). Written through the
portal's spreadsheet writer (portal.spreadsheets): names and other text never become formulas.
Each workbook is written in write-only mode into a temporary file that the view streams out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from catalog.models import name_column
from portal.spreadsheets import (
    ColumnStyles,
    append_row,
    csv_bytes,
    filter_all,
    header_row,
    workbook_file,
    write_only_sheet,
)
from tenders.models import AggregationSnapshot, Programme
from tenders.selectors import aggregation as aggregation_selectors
from tenders.selectors.demand_overview import DemandOverview
from tenders.selectors.overview_export import participation_export_lines

# A workbook made by a worker reports its progress after every so many rows of its longest
# sheet (an update of one row; at ten times the Netherlands about twenty per export).
PROGRESS_EVERY = 5000


def participation_overview_xlsx(
    *, programme: Programme, province: str = "", status: str = "", search: str = ""
) -> IO[bytes]:
    """One row per municipality of the overview with these filters, written in write-only
    mode into a temporary file."""
    workbook = Workbook(write_only=True)
    sheet = write_only_sheet(workbook, _("Participants")[:31])
    headers = [
        _("CBS code"),
        _("Municipality"),
        _("Province"),
        _("Population"),
        _("Status"),
        _("Participating organisation"),
        _("Joint body"),
        _("Submitted on"),
        _("Current contract ends"),
        _("Last reminder"),
        _("Taken over after a merger from"),
    ]
    header_row(sheet, headers, (10, 28, 16, 12, 14, 36, 36, 14, 14, 14, 28))
    day = {"number_format": "yyyy-mm-dd"}
    styles = ColumnStyles(sheet, {4: {"number_format": "#,##0"}, 8: day, 9: day, 10: day})
    rows = 0
    lines = participation_export_lines(
        programme=programme, province=province, status=status, search=search
    )
    for line in lines:
        append_row(sheet, styles.row(line))
        rows += 1
    filter_all(sheet, columns=len(headers), rows=rows)
    workbook.properties.title = f"{programme.name} – {_('Participants')}"
    return workbook_file(workbook)


def _local(moment):
    """Excel has no time zones: write Dutch wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def demand_overview_xlsx(
    *,
    programme: Programme,
    overview: DemandOverview,
    lines: Iterable,
    progress: Callable[[int], None] | None = None,
) -> IO[bytes]:
    """Sheet 1: every line of the latest submitted version of each participant (read from the
    database in chunks). Sheet 2: one row per approved participant with the state of its
    demand. Sheet 3: totals per category and year over those latest versions. Written in
    write-only mode into a temporary file; ``progress`` is told the lines written so far every
    ``PROGRESS_EVERY`` lines."""
    workbook = Workbook(write_only=True)
    sheet = write_only_sheet(workbook, _("Demand")[:31])
    headers = [
        _("Participating organisation"),
        _("CBS code"),
        _("Municipality"),
        _("Category code"),
        _("Category"),
        _("Year"),
        _("Quantity"),
        _("Minimum"),
        _("Maximum"),
        _("Version"),
        _("Submitted on"),
    ]
    header_row(sheet, headers, (36, 10, 24, 16, 28, 8, 12, 12, 12, 9, 18))
    number = {"number_format": "#,##0"}
    styles = ColumnStyles(
        sheet, {7: number, 8: number, 9: number, 11: {"number_format": "yyyy-mm-dd hh:mm"}}
    )
    totals: dict[tuple, int] = defaultdict(int)
    categories: dict[str, str] = {}
    rows = 0
    local: dict[Any, Any] = {}  # the lines of one version share its moment
    if isinstance(lines, QuerySet):
        lines = lines.iterator(chunk_size=2000)
    for *values, submitted_at in lines:
        if submitted_at not in local:
            local[submitted_at] = _local(submitted_at)
        append_row(sheet, styles.row([*values, local[submitted_at]]))
        _participant, _code, _municipality, slug, category, year, quantity, *_range = values
        rows += 1
        totals[(slug, year)] += quantity
        categories.setdefault(slug, category)
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows)
    filter_all(sheet, columns=len(headers), rows=rows)

    summary = write_only_sheet(workbook, _("Summary")[:31])
    headers = [
        _("Participating organisation"),
        _("Municipalities"),
        _("Status"),
        _("Latest version"),
        _("Submitted on"),
        _("Deadline"),
        _("Late"),
    ]
    header_row(summary, headers, (36, 14, 14, 14, 18, 18, 8))
    moment = {"number_format": "yyyy-mm-dd hh:mm"}
    styles = ColumnStyles(summary, {5: moment, 6: moment})
    for row in overview.rows:
        append_row(
            summary,
            styles.row(
                [
                    row.organisation.name,
                    row.municipality_count,
                    row.status_label,
                    row.latest_version,
                    _local(row.submitted_at),
                    _local(row.deadline),
                    _("Yes") if row.is_late else _("No"),
                ]
            ),
        )
    filter_all(summary, columns=len(headers), rows=len(overview.rows))

    years = programme.years
    per_year = write_only_sheet(workbook, _("Totals")[:31])
    header_row(
        per_year,
        [_("Category code"), _("Category"), *[str(year) for year in years], _("Total")],
        (16, 28, *[12] * len(years), 12),
    )
    for slug, name in categories.items():
        counts = [totals.get((slug, year), 0) for year in years]
        append_row(per_year, [slug, name, *counts, sum(counts)])

    workbook.properties.title = f"{programme.name} – {_('Demand')}"
    return workbook_file(workbook)


# --- Aggregation snapshot ---------------------------------------------------------------------


def _category_rows(snapshot: AggregationSnapshot) -> list[list]:
    """Per lot, category, year, province and size class: quantity and unit price (read as
    values: a row per grouped total, 1,568 at ten times the Netherlands)."""
    return [
        [lot, lot_name or "", *rest]
        for lot, lot_name, *rest in (
            aggregation_selectors.aggregation_category_totals(snapshot=snapshot).values_list(
                "lot__number",
                "lot__name",
                "category__slug",
                name_column("category__"),
                "year",
                "province",
                "size_class",
                "quantity",
                "participants",
                "unit_price",
            )
        )
    ]


def _category_headers() -> list[str]:
    return [
        _("Lot"),
        _("Lot name"),
        _("Category code"),
        _("Category"),
        _("Year"),
        _("Province"),
        _("Size class"),
        _("Quantity"),
        _("Participants"),
        _("Unit price (EUR)"),
    ]


def aggregation_snapshot_xlsx(
    *,
    programme: Programme,
    snapshot: AggregationSnapshot,
    progress: Callable[[int], None] | None = None,
) -> IO[bytes]:
    """Sheet 1: totals per lot and year (year 0 = the whole term). Sheet 2: per lot, category,
    year, province and size class. Sheet 3: every participant's contribution, so each lot total
    can be traced to the participants. Written in write-only mode into a temporary file;
    ``progress`` is told the contributions written so far every ``PROGRESS_EVERY`` of them."""
    workbook = Workbook(write_only=True)
    sheet = write_only_sheet(workbook, _("Lot totals")[:31])
    headers = [
        _("Lot"),
        _("Lot name"),
        _("Year (0 = whole term)"),
        _("Quantity"),
        _("Maximum quantity"),
        _("Estimated value (EUR)"),
        _("Maximum value (EUR)"),
        _("Participants"),
        _("Above the EU threshold"),
    ]
    header_row(sheet, headers, (6, 28, 12, 12, 14, 18, 18, 12, 14))
    whole, money = {"number_format": "#,##0"}, {"number_format": "#,##0.00"}
    styles = ColumnStyles(sheet, {4: whole, 5: whole, 6: money, 7: money})
    summaries = aggregation_selectors.aggregation_lot_summaries(snapshot=snapshot)
    rows = 0
    for summary in summaries:
        for total in [*summary.years, *([summary.term] if summary.term else [])]:
            append_row(
                sheet,
                styles.row(
                    [
                        summary.lot.number,
                        summary.lot.name,
                        total.year,
                        total.quantity,
                        total.maximum_quantity,
                        total.estimated_value,
                        total.maximum_value,
                        total.participants,
                        _("Yes") if total.above_threshold else _("No"),
                    ]
                ),
            )
            rows += 1
    filter_all(sheet, columns=len(headers), rows=rows)

    categories = write_only_sheet(workbook, _("Per category")[:31])
    headers = _category_headers()
    header_row(categories, headers, (6, 28, 16, 28, 8, 16, 12, 12, 12, 16))
    styles = ColumnStyles(categories, {10: money})
    rows = 0
    for row in _category_rows(snapshot):
        append_row(categories, styles.row(row))
        rows += 1
    filter_all(categories, columns=len(headers), rows=rows)

    contributions = write_only_sheet(workbook, _("Per participant")[:31])
    headers = [
        _("Participating organisation"),
        _("CBS code"),
        _("Municipality"),
        _("Lot"),
        _("Category code"),
        _("Category"),
        _("Year"),
        _("Quantity"),
        _("Unit price (EUR)"),
        _("Estimated value (EUR)"),
    ]
    header_row(contributions, headers, (36, 10, 24, 6, 16, 28, 8, 12, 16, 18))
    styles = ColumnStyles(contributions, {9: money, 10: money})
    lot_numbers = {summary.lot.pk: summary.lot.number for summary in summaries}
    rows = 0
    for participant, line in aggregation_selectors.aggregation_contribution_lines(
        snapshot=snapshot
    ):
        append_row(
            contributions,
            styles.row(
                [
                    participant,
                    line.cbs_code,
                    line.municipality_name,
                    lot_numbers.get(line.lot_id),
                    line.category.slug,
                    line.category.name,
                    line.year,
                    line.quantity,
                    line.unit_price,
                    line.value,
                ]
            ),
        )
        rows += 1
        if progress is not None and rows % PROGRESS_EVERY == 0:
            progress(rows)
    filter_all(contributions, columns=len(headers), rows=rows)

    created = timezone.localtime(snapshot.created_at)
    workbook.properties.title = f"{programme.name} – {_('Aggregation')} {created:%Y-%m-%d %H:%M}"
    return workbook_file(workbook)


def aggregation_snapshot_csv(*, snapshot: AggregationSnapshot) -> bytes:
    """The per-category rows as CSV (UTF-8 with BOM so Excel reads the accents; decimal point,
    as the file is meant for processing)."""
    return csv_bytes([_category_headers(), *_category_rows(snapshot)])
