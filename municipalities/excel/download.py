"""Writing the demand workbook: one sheet per covered municipality, pre-filled with the working
copy (or given values), with input cells unlocked and checked by Excel's data validation."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from catalog.models import Category
from municipalities.demand_data import DemandData
from municipalities.excel.layout import (
    COLUMNS_KEY,
    FIRST_CATEGORY_ROW,
    FIRST_DATA_COLUMN,
    FORMAT_VERSION,
    GROUP_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    KEY_ROW,
    META_SHEET,
    MUNICIPALITY_PREFIX,
    PROFILE_ROW,
    PROFILE_VALUE_COLUMN,
    REMARK_MAX,
    SUBTITLE_ROW,
    TITLE_ROW,
    column_keys,
    sheet_title,
)
from municipalities.excel.shape import workbook_services
from municipalities.models import Demand
from municipalities.selectors import demand_scope, working_data
from portal.spreadsheets import workbook_bytes

_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_BOLD = Font(bold=True)
_UNLOCKED = Protection(locked=False)


def _columns(years: list[int], services: list[Category]) -> list[tuple[str, str, str]]:
    """(key, group header, column header) for every input column of the category table."""
    headers = [("Verwacht aantal per jaar", str(y)) for y in years]
    headers += [("Minimum (niet verplicht)", f"Min. {y}") for y in years]
    headers += [("Maximum (niet verplicht)", f"Max. {y}") for y in years]
    headers += [("Diensten (ja of nee)", s.name_nl) for s in services]
    headers.append(("Opmerking (niet verplicht)", "Opmerking"))
    keys = column_keys(years, [s.slug for s in services])
    return [(key, group, header) for key, (group, header) in zip(keys, headers, strict=True)]


def demand_workbook(demand: Demand, data: DemandData | None = None) -> bytes:
    """The workbook for this participant, pre-filled with ``data`` (default: the working copy)."""
    data = data if data is not None else working_data(demand)
    municipalities, categories, years = demand_scope(demand)
    services = workbook_services()
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
    return workbook_bytes(workbook)


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
        "verborgen codes.",
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
        row=SUBTITLE_ROW,
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
