"""Reading and validating the sheets and rows of a demand workbook made from the template: the
hidden keys say what every cell is, every problem is reported at its sheet and cell, and the
quantities go through the same validation core as the form and the API.

Every key of the template must be there: a cleared or changed key, or a figure in a row or
column without one, refuses the file at that cell. Reading past a lost key would take its
figures as empty, and taking the file over would then delete the stored lines."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from municipalities.demand_data import Cell, DemandData, Problem, parse_count, validate_lines
from municipalities.excel.layout import (
    COLUMNS_KEY,
    FIRST_CATEGORY_ROW,
    FIRST_DATA_COLUMN,
    FORMAT_VERSION,
    GROUP_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    MUNICIPALITY_PREFIX,
    PROFILE_KEYS,
    PROFILE_ROW,
    PROFILE_VALUE_COLUMN,
    REMARK_MAX,
    SUBTITLE_ROW,
    TITLE_ROW,
    SheetProblem,
    file_problem,
)
from municipalities.excel.shape import SheetValues, TemplateShape
from municipalities.models import Demand

LABEL_ROWS = {TITLE_ROW, SUBTITLE_ROW, GROUP_ROW, HEADER_ROW}


def _is_formula(value) -> bool:
    """A formula cell reads (without ``data_only``) as its formula, "=…"; a text that starts
    with "=" is taken as one too where a number belongs."""
    return isinstance(value, str) and value.startswith("=")


class _Sheet:
    """Locations and labels for the problems of one sheet."""

    def __init__(self, title: str):
        self.title = title

    def problem(self, coordinate: str, message: str, label: str = "") -> SheetProblem:
        location = _("Sheet %(sheet)s, cell %(cell)s") % {"sheet": self.title, "cell": coordinate}
        text = f"{label}: {message}" if label else message
        return SheetProblem(location, text, sheet=self.title, cell=coordinate, label=label)


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _value_at(rows, row: int, column: int):
    if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
        return rows[row - 1][column - 1]
    return None


def read_workbook(
    demand: Demand, workbook: SheetValues, shape: TemplateShape
) -> tuple[DemandData | None, list[Problem], int | None]:
    """The values of an uploaded workbook (``shape.read_sheets``) and the revision it was
    downloaded at; or no values and every problem (a workbook not made for this inventory is
    refused as a whole)."""
    not_template = _("The file does not use the template. Download the template and try again.")
    if META_SHEET not in workbook.sheetnames:
        return (*file_problem(not_template), None)
    meta = {row[0]: row[1] for row in workbook[META_SHEET] if len(row) >= 2 and row[0]}
    if str(meta.get("formaat")) != FORMAT_VERSION:
        return (*file_problem(not_template), None)
    if str(meta.get("inventarisatie")) != str(demand.public_id):
        message = _(
            "This file belongs to another inventory. Download the template of this "
            "inventory and enter your figures in it."
        )
        return (*file_problem(message), None)
    revision = meta.get("revisie")
    revision = revision if isinstance(revision, int) else None

    covered = {m.cbs_code: m for m in shape.municipalities}
    problems: list[Problem] = []
    line_cells: dict[tuple[int, int, int], tuple[Cell, Cell | None, Cell | None]] = {}
    locations: dict[str, tuple[str, str, str]] = {}  # sheet, cell and label of a figure
    data = DemandData()
    seen: dict[str, str] = {}

    for title in workbook.sheetnames:
        if title in (META_SHEET, INSTRUCTIONS_SHEET):
            continue
        sheet = _Sheet(title)
        rows = workbook[title]
        key = _value_at(rows, TITLE_ROW, 1)
        if not isinstance(key, str) or not key.startswith(MUNICIPALITY_PREFIX):
            problems.append(sheet.problem("A1", not_template))
            continue
        code = key.removeprefix(MUNICIPALITY_PREFIX)
        municipality = covered.get(code)
        if municipality is None:
            problems.append(
                sheet.problem(
                    "A1",
                    _(
                        "Your organisation does not enter demand for municipality %(code)s "
                        "in this inventory. Remove this sheet."
                    )
                    % {"code": code},
                )
            )
            continue
        if code in seen:
            problems.append(
                sheet.problem(
                    "A1",
                    _("Municipality %(code)s has two sheets: %(first)s and %(second)s.")
                    % {"code": code, "first": seen[code], "second": title},
                )
            )
            continue
        seen[code] = title
        problems += _parse_sheet(
            sheet,
            rows,
            municipality=municipality,
            shape=shape,
            data=data,
            line_cells=line_cells,
            locations=locations,
            formulas=workbook.formulas.get(title, set()),
        )
    for code, municipality in covered.items():
        if code not in seen:
            problems.append(
                SheetProblem(
                    "",
                    _("The sheet for %(municipality)s (%(code)s) is missing.")
                    % {"municipality": municipality.name, "code": code},
                )
            )

    lines, line_problems = validate_lines(line_cells)
    for problem in line_problems:
        title, cell, label = locations[problem.location]
        problems.append(_Sheet(title).problem(cell, problem.message, label))
    if problems:
        return None, problems, revision
    data.lines = {
        key: value
        for key, value in lines.items()
        if value[0] or value[1] is not None or value[2] is not None
    }
    return data, [], revision


def _key_changed(kind: str) -> str:
    if kind == "column":
        return _(
            "The hidden key of this column was changed or removed. Download the template "
            "again and enter your figures in it."
        )
    return _(
        "The hidden key of this row was changed or removed. Download the template again "
        "and enter your figures in it."
    )


def _parse_sheet(
    sheet: _Sheet,
    rows,
    *,
    municipality,
    shape: TemplateShape,
    data: DemandData,
    line_cells,
    locations,
    formulas: set[tuple[int, int]],
) -> list[Problem]:
    problems: list[Problem] = []
    reported: set[tuple[int, int]] = set()  # (row, column) of cells already blamed
    not_template = _("The file does not use the template. Download the template and try again.")
    by_slug = {c.slug: c for c in shape.categories}

    def coordinate(row: int, column: int) -> str:
        return f"{get_column_letter(column)}{row}"

    def report(row: int, column: int, message: str, label: str = "") -> None:
        reported.add((row, column))
        problems.append(sheet.problem(coordinate(row, column), message, label))

    def cell_value(row: int, column: int):
        return _value_at(rows, row, column)

    def formula(row: int, column: int) -> bool:
        return (row, column) in formulas or _is_formula(_value_at(rows, row, column))

    # Column keys from the hidden row.
    key_row = next(
        (i + 1 for i, row in enumerate(rows) if row and row[0] == COLUMNS_KEY),
        None,
    )
    if key_row is None:
        return [sheet.problem("A1", not_template)]
    expected = set(shape.column_keys)
    columns: dict[int, str] = {}
    blamed_columns: set[int] = set()
    for index, key in enumerate(rows[key_row - 1][1:], start=2):
        if not _filled(key):
            continue
        key = str(key)
        if key not in expected:
            label = cell_value(HEADER_ROW, index) or key
            report(
                key_row,
                index,
                _("This column (%(column)s) does not belong to this inventory.")
                % {"column": label},
            )
            blamed_columns.add(index)
        elif key in columns.values():
            report(key_row, index, _key_changed("column"))
            blamed_columns.add(index)
        else:
            columns[index] = key
    present = set(columns.values())
    for column, key in enumerate(shape.column_keys, start=FIRST_DATA_COLUMN):
        if key not in present and (key_row, column) not in reported:
            header = str(cell_value(HEADER_ROW, column) or "")
            report(key_row, column, _key_changed("column"), header)
            blamed_columns.add(column)

    def outside(
        row_number: int, allowed: set[int], *, numbers_only=False, labels=frozenset()
    ) -> None:
        """Blame every value of the row in a column it may not have one in (only numbers when
        ``numbers_only``, or in the ``labels`` columns)."""
        for index, value in enumerate(rows[row_number - 1], start=1):
            if index in allowed or index in blamed_columns or not _filled(value):
                continue
            if (numbers_only or index in labels) and not isinstance(value, int | float):
                continue
            report(
                row_number,
                index,
                _(
                    "This cell is outside the rows and columns of the template, so its value "
                    "would not be read. Remove it, or enter it in the table."
                ),
            )

    profile: list[int | None] = [None, None]
    seen_profiles: set[str] = set()
    seen_slugs: set[str] = set()
    for row_number in range(1, len(rows) + 1):
        row_key = cell_value(row_number, 1)
        if row_number == key_row or (row_number == TITLE_ROW and _filled(row_key)):
            continue
        if not _filled(row_key):
            # Labels may stand in the title and header rows, and a category's name and unit
            # in a row that lost its key (its figures are blamed); a figure may stand nowhere.
            if row_number in LABEL_ROWS:
                outside(row_number, set(), numbers_only=True)
            else:
                outside(row_number, set(), labels={2, 3})
            continue
        row_key = str(row_key)
        if row_number < key_row:
            if row_key not in PROFILE_KEYS or row_key in seen_profiles:
                report(row_number, 1, _key_changed("row"))
                continue
            seen_profiles.add(row_key)
            outside(row_number, {1, 2, PROFILE_VALUE_COLUMN})
            label = str(cell_value(row_number, 2) or row_key)
            where = coordinate(row_number, PROFILE_VALUE_COLUMN)
            if formula(row_number, PROFILE_VALUE_COLUMN):
                problems.append(sheet.problem(where, _("Enter a number, not a formula."), label))
                continue
            value, error = parse_count(cell_value(row_number, PROFILE_VALUE_COLUMN), required=False)
            if error:
                problems.append(sheet.problem(where, error, label))
            profile[PROFILE_KEYS[row_key]] = value
            continue
        category = by_slug.get(row_key)
        name = str(cell_value(row_number, 2) or row_key)
        if category is None:
            report(
                row_number,
                1,
                _("Unknown category “%(category)s”. Use the rows of the template.")
                % {"category": name},
            )
            continue
        if row_key in seen_slugs:
            report(
                row_number,
                1,
                _("The category “%(category)s” appears twice.") % {"category": name},
            )
            continue
        seen_slugs.add(row_key)
        outside(row_number, {1, 2, 3, *columns})
        year_cells: dict[int, list[Cell | None]] = {y: [None, None, None] for y in shape.years}
        chosen: list[str] = []
        remark = ""
        for column, key in columns.items():
            kind, _sep, rest = key.partition(":")
            where = coordinate(row_number, column)
            header = cell_value(HEADER_ROW, column)
            if kind in {"q", "min", "max"}:
                year = int(rest)
                label = {
                    "q": f"{name} {year}",
                    "min": f"{name} {year} (minimum)",
                    "max": f"{name} {year} (maximum)",
                }[kind]
            else:
                label = f"{name}, {header or rest or key}"
            if kind == "remark":
                # A remark is text: one that starts with "=" was written as text (with the
                # quote prefix) and is read as such; only a real formula cell is refused.
                if (row_number, column) in formulas:
                    problems.append(sheet.problem(where, _("Enter text, not a formula."), label))
                    continue
            elif formula(row_number, column):
                problems.append(sheet.problem(where, _("Enter a number, not a formula."), label))
                continue
            value = cell_value(row_number, column)
            if kind in {"q", "min", "max"}:
                location = f"{sheet.title}!{where}"
                locations[location] = (sheet.title, where, label)
                year_cells[year][("q", "min", "max").index(kind)] = Cell(location, value)
            elif kind == "svc":
                answer = str(value).strip().lower() if value is not None else ""
                if answer == "ja":
                    chosen.append(rest)
                elif answer not in {"", "nee"}:
                    problems.append(sheet.problem(where, _("Choose “ja” or “nee”."), label))
            else:
                remark = "" if value is None else str(value).strip()
                if len(remark) > REMARK_MAX:
                    problems.append(
                        sheet.problem(
                            where,
                            _("Shorten the remark to at most %(max)s characters.")
                            % {"max": REMARK_MAX},
                            label,
                        )
                    )
        for year, (quantity, minimum, maximum) in year_cells.items():
            if quantity is None:
                continue  # a formula was reported above, or the column's key is missing
            line_cells[(municipality.pk, category.pk, year)] = (quantity, minimum, maximum)
        if chosen or remark:
            data.options[(municipality.pk, category.pk)] = (sorted(chosen), remark)
    for key, offset in PROFILE_KEYS.items():
        if key not in seen_profiles and (PROFILE_ROW + offset, 1) not in reported:
            report(PROFILE_ROW + offset, 1, _key_changed("row"))
    for row_number, category in enumerate(shape.categories, start=FIRST_CATEGORY_ROW):
        if category.slug not in seen_slugs and (row_number, 1) not in reported:
            report(
                row_number,
                1,
                _(
                    "The row of the category “%(category)s” is missing, or its hidden key was "
                    "changed or removed. Download the template again and enter your figures "
                    "in it."
                )
                % {"category": category.name_nl},
            )
    if profile != [None, None]:
        data.profiles[municipality.pk] = (profile[0], profile[1])
    return problems
