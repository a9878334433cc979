"""The prijzenblad (price sheet) as an Excel workbook, written with openpyxl.

One row per item (a category of the lot) per lot: the estimated quantity over the whole term,
the unit price the supplier fills in and the row total as a formula; a subtotal per lot and a
grand total. Only the price cells are open: every other cell, the formulas above all, is locked
and the sheet is protected, so a supplier cannot overwrite a formula by accident. The sheet
has no password: protection guards against mistakes, not against a determined user, and the
bid is checked when it comes in.

Texts come from the catalogue and the tender (names the project team typed): the portal's one
spreadsheet writer (portal.spreadsheets) writes a text that starts like a formula as text, so
that opening the file never runs it; the totals are the only formulas it lets through.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from portal.spreadsheets import formula, workbook_bytes

SHEET_TITLE = "Prijzenblad"
HEADER = (
    "Perceel",
    "Item (categorie)",
    "Eenheid",
    "Geschatte hoeveelheid (hele looptijd)",
    "Prijs per eenheid in euro (excl. btw)",
    "Totaal in euro (excl. btw)",
)
EURO = '#,##0.00 "€"'
OPEN = Protection(locked=False)
LOCKED = Protection(locked=True)
BOLD = Font(bold=True)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


def guarded_text(cell: Any, text: str) -> None:
    """Write ``text`` into ``cell`` as text (workbook_bytes guards it against formulas)."""
    cell.value = text
    cell.data_type = "s"


def price_sheet_xlsx(inputs: dict[str, Any], *, created: datetime) -> bytes:
    """The workbook for ``inputs`` (tenders.documents.inputs.price_sheet_inputs)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    workbook.properties.creator = "Vereniging van Nederlandse Gemeenten"
    workbook.properties.title = f"Prijzenblad {inputs['reference']}"
    workbook.properties.language = "nl-NL"
    workbook.properties.created = workbook.properties.modified = created.replace(tzinfo=None)

    guarded_text(sheet["A1"], f"Prijzenblad – {inputs['title']}")
    sheet["A1"].font = Font(bold=True, size=14)
    guarded_text(sheet["A2"], f"Kenmerk {inputs['reference']}")
    guarded_text(
        sheet["A3"],
        "Vul alleen de gele cellen in (prijs per eenheid, in euro, exclusief btw). De totalen "
        "worden berekend; die cellen zijn beveiligd.",
    )
    row = 5
    for column, title in enumerate(HEADER, start=1):
        cell = sheet.cell(row=row, column=column)
        guarded_text(cell, title)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    prices = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        showErrorMessage=True,
        errorTitle="Ongeldige prijs",
        error="Vul een bedrag in euro in van 0 of meer.",
    )
    sheet.add_data_validation(prices)
    subtotals = []
    for lot in inputs["lots"]:
        first = row + 1
        for item in lot["items"]:
            row += 1
            sheet.cell(row=row, column=1, value=lot["number"])
            guarded_text(sheet.cell(row=row, column=2), item["category"])
            guarded_text(sheet.cell(row=row, column=3), item["unit"])
            sheet.cell(row=row, column=4, value=item["quantity"]).number_format = "#,##0"
            price = sheet.cell(row=row, column=5)
            price.protection = OPEN
            price.fill = INPUT_FILL
            price.number_format = EURO
            prices.add(price)
            total = formula(sheet, row=row, column=6, expression=f"=D{row}*E{row}")
            total.number_format = EURO
        row += 1
        label = sheet.cell(row=row, column=2)
        guarded_text(label, f"Subtotaal perceel {lot['number']}: {lot['title']}")
        label.font = BOLD
        subtotal = (
            formula(sheet, row=row, column=6, expression=f"=SUM(F{first}:F{row - 1})")
            if row > first
            else sheet.cell(row=row, column=6, value=0)
        )
        subtotal.number_format = EURO
        subtotal.font = BOLD
        subtotals.append(f"F{row}")
    row += 2
    guarded_text(sheet.cell(row=row, column=2), "Totaal alle percelen")
    sheet.cell(row=row, column=2).font = BOLD
    grand = (
        formula(sheet, row=row, column=6, expression=f"=SUM({','.join(subtotals)})")
        if subtotals
        else sheet.cell(row=row, column=6, value=0)
    )
    grand.number_format = EURO
    grand.font = BOLD
    for letter, width in zip("ABCDEF", (10, 40, 12, 18, 20, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A6"
    # Every cell is locked unless opened above; the protection makes that count.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    return workbook_bytes(workbook)
