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
TITLE_ROW, SUBTITLE_ROW, PROFILE_ROW, KEY_ROW, GROUP_ROW, HEADER_ROW = 1, 2, 4, 6, 7, 8
FIRST_CATEGORY_ROW = 9
REMARK_MAX = 500
# The instructions sheet holds fewer lines than this (a test compares it with the download).
MAX_INSTRUCTION_ROWS = 30


def column_keys(years: list[int], service_slugs: list[str]) -> list[str]:
    """The hidden keys of the category table's input columns, in the order of the columns."""
    keys = [f"q:{y}" for y in years]
    keys += [f"min:{y}" for y in years]
    keys += [f"max:{y}" for y in years]
    keys += [f"svc:{slug}" for slug in service_slugs]
    keys.append("remark")
    return keys


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
