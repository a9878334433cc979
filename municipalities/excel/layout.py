"""The layout of the demand workbook that the download writes and the upload reads back: the
hidden keys, where the blocks start, and the problem at a cell of it."""

from __future__ import annotations

from dataclasses import dataclass

from municipalities.demand_data import Problem

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


def file_problem(message: str) -> tuple[None, list[Problem]]:
    """No data, and one problem with the file as a whole."""
    return None, [SheetProblem("", message)]
