"""The project team's overviews as Excel workbooks: participants (one row per municipality)
and demand (one row per participant, municipality, category and year). Written through the
portal's spreadsheet writer (portal.spreadsheets): names and other text never become formulas."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.spreadsheets import csv_bytes, workbook_bytes
from tenders.models import AggregationSnapshot, Programme
from tenders.selectors import aggregation as aggregation_selectors
from tenders.selectors.overview import DemandOverview, Overview


def participation_overview_xlsx(*, programme: Programme, overview: Overview) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
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
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in overview.rows:
        municipality = row.municipality
        submitted = timezone.localdate(row.submitted_at) if row.submitted_at else None
        sheet.append(
            [
                municipality.cbs_code,
                str(municipality),
                municipality.get_province_display(),
                municipality.population,
                row.status_label,
                row.participant.name if row.participant else "",
                row.joint_body.name if row.joint_body else "",
                submitted,
                row.contract_end,
                timezone.localdate(row.last_reminder) if row.last_reminder else None,
            ]
        )
    for column in "HIJ":
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    for cell in sheet["D"][1:]:
        cell.number_format = "#,##0"
    widths = (10, 28, 16, 12, 14, 36, 36, 14, 14, 14)
    for column, width in zip("ABCDEFGHIJ", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = f"{programme.name} – {_('Participants')}"
    return workbook_bytes(workbook)


def _local(moment):
    """Excel has no time zones: write Dutch wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _header(sheet, headers: list[str], widths: tuple[int, ...]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def demand_overview_xlsx(
    *, programme: Programme, overview: DemandOverview, lines: Iterable
) -> bytes:
    """Sheet 1: every line of the latest submitted version of each participant. Sheet 2: one
    row per approved participant with the state of its demand. Sheet 3: totals per category
    and year over those latest versions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Demand")[:31]
    _header(
        sheet,
        [
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
        ],
        (36, 10, 24, 16, 28, 8, 12, 12, 12, 9, 18),
    )
    totals: dict[tuple, int] = defaultdict(int)
    categories: dict[str, str] = {}
    for line in lines:
        version = line.version
        category = line.category
        sheet.append(
            [
                version.demand.participation.organisation.name,
                line.municipality.cbs_code,
                str(line.municipality),
                category.slug,
                category.name,
                line.year,
                line.quantity,
                line.min_quantity,
                line.max_quantity,
                version.number,
                _local(version.submitted_at),
            ]
        )
        totals[(category.slug, line.year)] += line.quantity
        categories.setdefault(category.slug, category.name)
    for cell in sheet["K"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    for column in "GHI":
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0"
    sheet.auto_filter.ref = sheet.dimensions

    summary = workbook.create_sheet(_("Summary")[:31])
    _header(
        summary,
        [
            _("Participating organisation"),
            _("Municipalities"),
            _("Status"),
            _("Latest version"),
            _("Submitted on"),
            _("Deadline"),
            _("Late"),
        ],
        (36, 14, 14, 14, 18, 18, 8),
    )
    for row in overview.rows:
        summary.append(
            [
                row.organisation.name,
                row.municipality_count,
                row.status_label,
                row.latest_version,
                _local(row.submitted_at),
                _local(row.deadline),
                _("Yes") if row.is_late else _("No"),
            ]
        )
    for column in "EF":
        for cell in summary[column][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    summary.auto_filter.ref = summary.dimensions

    years = programme.years
    per_year = workbook.create_sheet(_("Totals")[:31])
    _header(
        per_year,
        [_("Category code"), _("Category"), *[str(year) for year in years], _("Total")],
        (16, 28, *[12] * len(years), 12),
    )
    for slug, name in categories.items():
        counts = [totals.get((slug, year), 0) for year in years]
        per_year.append([slug, name, *counts, sum(counts)])

    workbook.properties.title = f"{programme.name} – {_('Demand')}"
    return workbook_bytes(workbook)


# --- Aggregation snapshot ---------------------------------------------------------------------


def _category_rows(snapshot: AggregationSnapshot) -> list[list]:
    """Per lot, category, year, province and size class: quantity and unit price."""
    rows = []
    for total in aggregation_selectors.aggregation_category_totals(snapshot=snapshot):
        rows.append(
            [
                total.lot.number if total.lot else None,
                total.lot.name if total.lot else "",
                total.category.slug,
                total.category.name,
                total.year,
                total.province,
                total.size_class,
                total.quantity,
                total.participants,
                total.unit_price,
            ]
        )
    return rows


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


def aggregation_snapshot_xlsx(*, programme: Programme, snapshot: AggregationSnapshot) -> bytes:
    """Sheet 1: totals per lot and year (year 0 = the whole term). Sheet 2: per lot, category,
    year, province and size class. Sheet 3: every participant's contribution, so each lot total
    can be traced to the participants."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Lot totals")[:31]
    _header(
        sheet,
        [
            _("Lot"),
            _("Lot name"),
            _("Year (0 = whole term)"),
            _("Quantity"),
            _("Maximum quantity"),
            _("Estimated value (EUR)"),
            _("Maximum value (EUR)"),
            _("Participants"),
            _("Above the EU threshold"),
        ],
        (6, 28, 12, 12, 14, 18, 18, 12, 14),
    )
    summaries = aggregation_selectors.aggregation_lot_summaries(snapshot=snapshot)
    for summary in summaries:
        for total in [*summary.years, *([summary.term] if summary.term else [])]:
            sheet.append(
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
            )
    for column in "DEFG":
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0" if column in "DE" else "#,##0.00"
    sheet.auto_filter.ref = sheet.dimensions

    categories = workbook.create_sheet(_("Per category")[:31])
    _header(categories, _category_headers(), (6, 28, 16, 28, 8, 16, 12, 12, 12, 16))
    for row in _category_rows(snapshot):
        categories.append(row)
    for cell in categories["J"][1:]:
        cell.number_format = "#,##0.00"
    categories.auto_filter.ref = categories.dimensions

    contributions = workbook.create_sheet(_("Per participant")[:31])
    _header(
        contributions,
        [
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
        ],
        (36, 10, 24, 6, 16, 28, 8, 12, 16, 18),
    )
    lot_numbers = {summary.lot.pk: summary.lot.number for summary in summaries}
    for participant in aggregation_selectors.aggregation_all_contributions(
        snapshot=snapshot
    ).participants:
        for line in participant.lines:
            contributions.append(
                [
                    participant.participant,
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
            )
    for column in "IJ":
        for cell in contributions[column][1:]:
            cell.number_format = "#,##0.00"
    contributions.auto_filter.ref = contributions.dimensions

    created = timezone.localtime(snapshot.created_at)
    workbook.properties.title = f"{programme.name} – {_('Aggregation')} {created:%Y-%m-%d %H:%M}"
    return workbook_bytes(workbook)


def aggregation_snapshot_csv(*, snapshot: AggregationSnapshot) -> bytes:
    """The per-category rows as CSV (UTF-8 with BOM so Excel reads the accents; decimal point,
    as the file is meant for processing)."""
    return csv_bytes([_category_headers(), *_category_rows(snapshot)])
