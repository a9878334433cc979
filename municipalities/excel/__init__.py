"""The demand inventory as an Excel workbook: download pre-filled, fill in, upload.

Layout (one choice, for the people who fill it in): **one sheet per covered municipality**,
named by CBS code and name ("GM0344 Utrecht"), with **one row per catalogue category** and
everything about that category on that row: the expected quantity per contract year, then
the optional minimum and maximum per year, then the services wanted as "ja"/"nee" columns and
a remark. The number of workplaces and employees sits in a small block above the table.
Why: procurement officers think "per municipality, per device"; one row per category keeps a
category's numbers side by side (no second table to keep in step), filters and copy-paste work
row by row, and a joint body hands each sheet to the municipality it belongs to. An
"Instructies" sheet comes first.

The upload never relies on labels or positions a user can see: a hidden column A holds the row
keys (municipality code, category slug, profile fields), a hidden row holds the column keys
(``q:2028``, ``min:2028``, ``max:2028``, ``svc:<slug>``, ``remark``) and a very hidden sheet
holds the inventory's public id and revision. Parsing validates everything before anything is
stored and reports every problem with its sheet and cell.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from catalog.models import Category
from municipalities.demand_data import Cell, DemandData, Problem, parse_count, validate_lines
from municipalities.models import Demand
from municipalities.selectors import demand_scope, service_slugs, working_data

FORMAT_VERSION = "1"
META_SHEET = "_portal"
INSTRUCTIONS_SHEET = "Instructies"
COLUMNS_KEY = "__kolommen__"
MUNICIPALITY_PREFIX = "gemeente:"
PROFILE_KEYS = {"werkplekken": 0, "medewerkers": 1}
PROFILE_VALUE_COLUMN = 3  # C
FIRST_DATA_COLUMN = 4  # D
TITLE_ROW, PROFILE_ROW, KEY_ROW, GROUP_ROW, HEADER_ROW = 1, 4, 6, 7, 8
FIRST_CATEGORY_ROW = 9
REMARK_MAX = 500

# Limits checked on the raw zip before openpyxl reads a byte of XML.
EXCEL_MAX_BYTES = min(5 * 1024 * 1024, getattr(settings, "UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
UNCOMPRESSED_MAX_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # real xlsx XML compresses ~10-20x; bombs compress 1000x and more
MAX_MEMBERS = 500

_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_BOLD = Font(bold=True)
_UNLOCKED = Protection(locked=False)


@dataclass
class SheetProblem(Problem):
    """A problem at one cell of the workbook (``sheet`` and ``cell`` empty for the file)."""

    sheet: str = ""
    cell: str = ""
    label: str = ""


def sheet_title(municipality) -> str:
    title = f"{municipality.cbs_code} {municipality.name}"
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]


def _columns(years: list[int], services: list[Category]) -> list[tuple[str, str, str]]:
    """(key, group header, column header) for every input column of the category table."""
    columns = [(f"q:{y}", "Verwacht aantal per jaar", str(y)) for y in years]
    columns += [(f"min:{y}", "Minimum (niet verplicht)", f"Min. {y}") for y in years]
    columns += [(f"max:{y}", "Maximum (niet verplicht)", f"Max. {y}") for y in years]
    columns += [(f"svc:{s.slug}", "Diensten (ja of nee)", s.name_nl) for s in services]
    columns.append(("remark", "Opmerking (niet verplicht)", "Opmerking"))
    return columns


# --- Download -------------------------------------------------------------------------------


def demand_workbook(demand: Demand, data: DemandData | None = None) -> bytes:
    """The workbook for this participant, pre-filled with ``data`` (default: the working copy)."""
    data = data if data is not None else working_data(demand)
    municipalities, categories, years = demand_scope(demand)
    services = list(
        Category.objects.filter(slug__in=service_slugs()).order_by("sort_order", "slug")
    )
    participation = demand.participation
    workbook = Workbook()
    _instructions(workbook.active, demand, years)
    for municipality in municipalities:
        _municipality_sheet(
            workbook.create_sheet(sheet_title(municipality)),
            demand=demand,
            municipality=municipality,
            categories=categories,
            years=years,
            services=services,
            data=data,
        )
    meta = workbook.create_sheet(META_SHEET)
    meta.append(["inventarisatie", str(demand.public_id)])
    meta.append(["revisie", demand.revision])
    meta.append(["formaat", FORMAT_VERSION])
    meta.append(["deelnemer", participation.organisation.name])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _instructions(sheet, demand: Demand, years: list[int]) -> None:
    participation = demand.participation
    sheet.title = INSTRUCTIONS_SHEET
    lines = [
        f"Inventarisatie {participation.programme.name}",
        f"Deelnemer: {participation.organisation.name}",
        "",
        "Zo vult u dit bestand in",
        "1. Er is één tabblad per gemeente waarvoor u de inventarisatie doet. "
        "De naam van het tabblad is de CBS-code en de naam van de gemeente.",
        "2. Vul bovenaan het aantal werkplekken en het aantal medewerkers in.",
        "3. Vul per categorie het aantal in dat u verwacht te kopen in elk jaar van het contract "
        f"({', '.join(str(y) for y in years)}). Vul een heel getal in, 0 of meer. "
        "Laat een vak leeg als u niets verwacht.",
        "4. Minimum en maximum zijn niet verplicht. Het minimum mag niet hoger zijn dan het "
        "aantal, het maximum niet lager.",
        "5. Kies per categorie bij elke dienst 'ja' of 'nee'. Een opmerking is niet verplicht "
        f"(hoogstens {REMARK_MAX} tekens).",
        "6. Alleen de gele vakken kunt u invullen. Gebruik geen formules: vul getallen in.",
        "7. Sla het bestand op als Excel-werkmap (.xlsx) en upload het in het portaal. "
        "U ziet eerst een controlepagina; pas als u op 'Gegevens overnemen' klikt, worden de "
        "gegevens opgeslagen.",
        "",
        "Let op",
        "- Dit bestand hoort bij uw eigen inventarisatie. Het portaal weigert een bestand van een "
        "andere deelnemer.",
        "- Verander geen tabbladen, rijen of kolommen. Het portaal herkent de vakken aan "
        "verborgen sleutels.",
        "- Heeft iemand anders de inventarisatie in het portaal gewijzigd nadat u dit bestand "
        "downloadde? Dan overschrijft het uploaden die wijzigingen. Het portaal waarschuwt u "
        "daarvoor op de controlepagina.",
        "- Het bestand mag niet groter zijn dan 5 MB en mag geen macro's bevatten.",
    ]
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A4"].font = _BOLD
    sheet.cell(row=13, column=1).font = _BOLD
    sheet.column_dimensions["A"].width = 120
    for row in sheet.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.protection.sheet = True


def _municipality_sheet(sheet, *, demand, municipality, categories, years, services, data):
    columns = _columns(years, services)
    participation = demand.participation
    sheet.cell(row=TITLE_ROW, column=1, value=f"{MUNICIPALITY_PREFIX}{municipality.cbs_code}")
    title = sheet.cell(row=TITLE_ROW, column=2, value=f"Inventarisatie {municipality.name}")
    title.font = Font(bold=True, size=14)
    sheet.cell(
        row=2,
        column=2,
        value=f"{participation.programme.name} – {participation.organisation.name}",
    )

    count_validation = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="10000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Geen geldig aantal",
        error="Vul een heel getal in van 0 of meer, zonder decimalen.",
    )
    yes_no = DataValidation(
        type="list",
        formula1='"ja,nee"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Kies ja of nee",
        error="Kies 'ja' of 'nee'.",
    )
    remark_validation = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(REMARK_MAX),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Opmerking te lang",
        error=f"Een opmerking heeft hoogstens {REMARK_MAX} tekens.",
    )
    for validation in (count_validation, yes_no, remark_validation):
        sheet.add_data_validation(validation)

    workplaces, employees = data.profiles.get(municipality.pk, (None, None))
    for offset, (key, label, value) in enumerate(
        [
            ("werkplekken", "Aantal werkplekken", workplaces),
            ("medewerkers", "Aantal medewerkers", employees),
        ]
    ):
        row = PROFILE_ROW + offset
        sheet.cell(row=row, column=1, value=key)
        sheet.cell(row=row, column=2, value=label).font = _BOLD
        cell = sheet.cell(row=row, column=PROFILE_VALUE_COLUMN, value=value)
        cell.protection = _UNLOCKED
        cell.fill = _INPUT_FILL
        count_validation.add(cell.coordinate)

    sheet.cell(row=KEY_ROW, column=1, value=COLUMNS_KEY)
    sheet.cell(row=HEADER_ROW, column=2, value="Categorie").font = _BOLD
    sheet.cell(row=HEADER_ROW, column=3, value="Eenheid").font = _BOLD
    previous_group = None
    for index, (key, group, header) in enumerate(columns):
        column = FIRST_DATA_COLUMN + index
        sheet.cell(row=KEY_ROW, column=column, value=key)
        if group != previous_group:
            sheet.cell(row=GROUP_ROW, column=column, value=group).font = _BOLD
            previous_group = group
        head = sheet.cell(row=HEADER_ROW, column=column, value=header)
        head.font = _BOLD
        head.fill = _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, horizontal="center")
        width = 40 if key == "remark" else (14 if key.startswith("svc:") else 10)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[KEY_ROW].hidden = True
    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["B"].width = 34
    sheet.column_dimensions["C"].width = 10

    for offset, category in enumerate(categories):
        row = FIRST_CATEGORY_ROW + offset
        sheet.cell(row=row, column=1, value=category.slug)
        sheet.cell(row=row, column=2, value=category.name_nl)
        sheet.cell(row=row, column=3, value=category.unit_nl)
        chosen, remark = data.options.get((municipality.pk, category.pk), ([], ""))
        for index, (key, _group, _header) in enumerate(columns):
            kind, _sep, rest = key.partition(":")
            value: Any = None
            if kind in {"q", "min", "max"}:
                quantity, minimum, maximum = data.lines.get(
                    (municipality.pk, category.pk, int(rest)), (None, None, None)
                )
                value = {"q": quantity, "min": minimum, "max": maximum}[kind]
                if kind == "q" and not value:
                    value = None
            elif kind == "svc":
                value = "ja" if rest in chosen else "nee"
            elif kind == "remark":
                value = remark or None
            cell = sheet.cell(row=row, column=FIRST_DATA_COLUMN + index, value=value)
            cell.protection = _UNLOCKED
            cell.fill = _INPUT_FILL
            target = {"svc": yes_no, "remark": remark_validation}.get(kind, count_validation)
            target.add(cell.coordinate)
    sheet.freeze_panes = sheet.cell(row=FIRST_CATEGORY_ROW, column=FIRST_DATA_COLUMN)
    sheet.protection.sheet = True


# --- Upload ---------------------------------------------------------------------------------


def _file_problem(message: str) -> tuple[None, list[Problem]]:
    return None, [SheetProblem("", message)]


def check_xlsx_container(content: bytes) -> str | None:
    """Why ``content`` is not an acceptable .xlsx (or None). Looks only at the zip directory
    and the small content-types part, so a zip bomb is refused before anything is inflated."""
    not_xlsx = _("The file must be an .xlsx file.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        return not_xlsx
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            return not_xlsx
        if len(members) > MAX_MEMBERS:
            return _("The file could not be read safely. Save it again as an .xlsx file.")
        if any(m.flag_bits & 0x1 for m in members):
            return _("The file is protected with a password. Remove the password and try again.")
        if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
            return _(
                "The file contains macros. Save it as an Excel workbook (.xlsx) without macros."
            )
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > MAX_RATIO:
                return _("The file could not be read safely. Save it again as an .xlsx file.")
        if total > UNCOMPRESSED_MAX_BYTES:
            return _("The file could not be read safely. Save it again as an .xlsx file.")
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size > 1024 * 1024:
            return not_xlsx
        try:
            content_types = archive.read(info).decode("utf-8", "replace").lower()
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
            return not_xlsx
        if "macroenabled" in content_types or "vbaproject" in content_types:
            return _(
                "The file contains macros. Save it as an Excel workbook (.xlsx) without macros."
            )
        if "spreadsheetml.sheet.main+xml" not in content_types:
            return not_xlsx
    return None


def _read_upload(file) -> tuple[bytes | None, str | None]:
    too_big = _("The file must be smaller than %(size)s MB.") % {
        "size": EXCEL_MAX_BYTES // (1024 * 1024)
    }
    if file is None:
        return None, _("Select an Excel file.")
    size = getattr(file, "size", None)
    if size is not None and size > EXCEL_MAX_BYTES:
        return None, too_big
    content = file.read(EXCEL_MAX_BYTES + 1)
    if not content:
        return None, _("The file is empty.")
    if len(content) > EXCEL_MAX_BYTES:
        return None, too_big
    return content, None


def _is_formula(cell) -> bool:
    value = cell.value
    return getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith("=")
    )


class _Sheet:
    """Locations and labels for the problems of one sheet."""

    def __init__(self, title: str):
        self.title = title

    def problem(self, coordinate: str, message: str, label: str = "") -> SheetProblem:
        location = _("Sheet %(sheet)s, cell %(cell)s") % {"sheet": self.title, "cell": coordinate}
        text = f"{label}: {message}" if label else message
        return SheetProblem(location, text, sheet=self.title, cell=coordinate, label=label)


def parse_demand_workbook(demand: Demand, file) -> tuple[DemandData | None, list[Problem]]:
    """Read an uploaded workbook into DemandData. Returns (data, []) or (None, every problem).
    Nothing is stored here."""
    data, problems, _revision = parse_demand_upload(demand, file)
    return data, problems


def parse_demand_upload(
    demand: Demand, file
) -> tuple[DemandData | None, list[Problem], int | None]:
    """As ``parse_demand_workbook``, plus the revision the workbook was downloaded at (to warn
    that uploading replaces changes made since)."""
    content, error = _read_upload(file)
    if error:
        return (*_file_problem(error), None)
    error = check_xlsx_container(content)
    if error:
        return (*_file_problem(error), None)
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, keep_vba=False, keep_links=False
        )
    except Exception:  # noqa: BLE001 - any parser failure means "not a workbook we can read"
        message = _("The file could not be read. Save it again as an .xlsx file.")
        return (*_file_problem(message), None)
    try:
        return _parse(demand, workbook)
    finally:
        workbook.close()


def _rows(sheet) -> list[list[Any]]:
    # Files saved by other tools may state a wrong <dimension>; read what is really there.
    sheet.reset_dimensions()
    return [list(row) for row in sheet.iter_rows()]


def _value_at(rows, row: int, column: int):
    if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
        return rows[row - 1][column - 1]
    return None


def _parse(demand: Demand, workbook) -> tuple[DemandData | None, list[Problem], int | None]:
    not_template = _("The file does not use the template. Download the template and try again.")
    if META_SHEET not in workbook.sheetnames:
        return (*_file_problem(not_template), None)
    meta = {
        row[0]: row[1]
        for row in workbook[META_SHEET].iter_rows(values_only=True)
        if len(row) >= 2 and row[0]
    }
    if str(meta.get("formaat")) != FORMAT_VERSION:
        return (*_file_problem(not_template), None)
    if str(meta.get("inventarisatie")) != str(demand.public_id):
        message = _(
            "This file belongs to another inventory. Download the template of this "
            "inventory and enter your figures in it."
        )
        return (*_file_problem(message), None)
    revision = meta.get("revisie")
    revision = revision if isinstance(revision, int) else None

    municipalities, categories, years = demand_scope(demand)
    covered = {m.cbs_code: m for m in municipalities}
    by_slug = {c.slug: c for c in categories}
    allowed_services = set(service_slugs())
    problems: list[Problem] = []
    line_cells: dict[tuple[int, int, int], tuple[Cell, Cell | None, Cell | None]] = {}
    locations: dict[str, SheetProblem] = {}
    data = DemandData()
    seen: dict[str, str] = {}

    for title in workbook.sheetnames:
        if title in (META_SHEET, INSTRUCTIONS_SHEET):
            continue
        sheet = _Sheet(title)
        rows = _rows(workbook[title])
        key = _value_at(rows, TITLE_ROW, 1)
        key = getattr(key, "value", None)
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
            by_slug=by_slug,
            years=years,
            allowed_services=allowed_services,
            data=data,
            line_cells=line_cells,
            locations=locations,
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
        where = locations[problem.location]
        problems.append(_Sheet(where.sheet).problem(where.cell, problem.message, where.label))
    if problems:
        return None, problems, revision
    data.lines = {
        key: value
        for key, value in lines.items()
        if value[0] or value[1] is not None or value[2] is not None
    }
    return data, [], revision


def _parse_sheet(
    sheet: _Sheet,
    rows,
    *,
    municipality,
    by_slug,
    years,
    allowed_services,
    data: DemandData,
    line_cells,
    locations,
) -> list[Problem]:
    problems: list[Problem] = []
    not_template = _("The file does not use the template. Download the template and try again.")

    def coordinate(row: int, column: int) -> str:
        return f"{get_column_letter(column)}{row}"

    def cell_value(row: int, column: int):
        return getattr(_value_at(rows, row, column), "value", None)

    def formula(row: int, column: int) -> bool:
        cell = _value_at(rows, row, column)
        return cell is not None and _is_formula(cell)

    # Column keys from the hidden row.
    key_row = next(
        (
            i + 1
            for i, row in enumerate(rows)
            if row and getattr(row[0], "value", None) == COLUMNS_KEY
        ),
        None,
    )
    if key_row is None:
        return [sheet.problem("A1", not_template)]
    columns: dict[int, str] = {}
    for index, cell in enumerate(rows[key_row - 1][1:], start=2):
        key = getattr(cell, "value", None)
        if not key:
            continue
        kind, _sep, rest = str(key).partition(":")
        valid = (
            (kind in {"q", "min", "max"} and rest.isdigit() and int(rest) in years)
            or (kind == "svc" and rest in allowed_services)
            or key == "remark"
        )
        if not valid:
            label = cell_value(HEADER_ROW, index) or key
            problems.append(
                sheet.problem(
                    coordinate(key_row, index),
                    _("This column (%(column)s) does not belong to this inventory.")
                    % {"column": label},
                )
            )
            continue
        columns[index] = str(key)

    profile: list[int | None] = [None, None]
    seen_slugs: set[str] = set()
    for row_number in range(1, len(rows) + 1):
        row_key = cell_value(row_number, 1)
        if not row_key or row_number in (TITLE_ROW, key_row):
            continue
        row_key = str(row_key)
        if row_key in PROFILE_KEYS and row_number < key_row:
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
        if row_number < key_row:
            continue
        category = by_slug.get(row_key)
        name = str(cell_value(row_number, 2) or row_key)
        if category is None:
            problems.append(
                sheet.problem(
                    coordinate(row_number, 1),
                    _("Unknown category “%(category)s”. Use the rows of the template.")
                    % {"category": name},
                )
            )
            continue
        if row_key in seen_slugs:
            problems.append(
                sheet.problem(
                    coordinate(row_number, 1),
                    _("The category “%(category)s” appears twice.") % {"category": name},
                )
            )
            continue
        seen_slugs.add(row_key)
        year_cells: dict[int, list[Cell | None]] = {y: [None, None, None] for y in years}
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
            if formula(row_number, column):
                problems.append(sheet.problem(where, _("Enter a number, not a formula."), label))
                continue
            value = cell_value(row_number, column)
            if kind in {"q", "min", "max"}:
                location = f"{sheet.title}!{where}"
                locations[location] = sheet.problem(where, "", label)
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
                continue  # a formula was reported above, or the column is missing
            line_cells[(municipality.pk, category.pk, year)] = (quantity, minimum, maximum)
        if chosen or remark:
            data.options[(municipality.pk, category.pk)] = (sorted(chosen), remark)
    if profile != [None, None]:
        data.profiles[municipality.pk] = (profile[0], profile[1])
    return problems


# --- Between review and confirmation (the session) -------------------------------------------


def data_to_json(data: DemandData) -> dict:
    return {
        "lines": [[m, c, y, q, lo, hi] for (m, c, y), (q, lo, hi) in data.lines.items()],
        "options": [[m, c, list(s), r] for (m, c), (s, r) in data.options.items()],
        "profiles": [[m, w, e] for m, (w, e) in data.profiles.items()],
    }


def data_from_json(raw: dict) -> DemandData:
    return DemandData(
        lines={(m, c, y): (q, lo, hi) for m, c, y, q, lo, hi in raw.get("lines", [])},
        options={(m, c): (list(s), r) for m, c, s, r in raw.get("options", [])},
        profiles={m: (w, e) for m, w, e in raw.get("profiles", [])},
    )
