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

from municipalities.excel.download import demand_workbook
from municipalities.excel.layout import (
    COLUMNS_KEY,
    FORMAT_VERSION,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    SheetProblem,
    sheet_title,
)
from municipalities.excel.upload import (
    EXCEL_MAX_BYTES,
    check_xlsx_container,
    data_from_json,
    data_to_json,
    parse_demand_upload,
    parse_demand_workbook,
)

__all__ = [
    "COLUMNS_KEY",
    "EXCEL_MAX_BYTES",
    "FORMAT_VERSION",
    "INSTRUCTIONS_SHEET",
    "META_SHEET",
    "SheetProblem",
    "check_xlsx_container",
    "data_from_json",
    "data_to_json",
    "demand_workbook",
    "parse_demand_upload",
    "parse_demand_workbook",
    "sheet_title",
]
