"""Reading an uploaded demand workbook: the file is checked as a zip container before any XML
is read, then its values are read in one bounded pass (``shape``) and its sheets checked
(``rows``). Also the form in which the read values wait in the session between the review and
the confirmation."""

from __future__ import annotations

import io
import time
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import municipalities.excel.shape as shape_module
from municipalities.demand_data import DemandData, Problem
from municipalities.excel.layout import file_problem
from municipalities.excel.rows import read_workbook
from municipalities.models import Demand
from portal.virus_scan import scan_upload

# Limits checked on the raw zip before a byte of XML is read.
EXCEL_MAX_BYTES = min(5 * 1024 * 1024, getattr(settings, "UPLOAD_MAX_BYTES", 5 * 1024 * 1024))
UNCOMPRESSED_MAX_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # real xlsx XML compresses ~10-20x; bombs compress 1000x and more
MAX_MEMBERS = 500


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


def parse_demand_workbook(demand: Demand, file) -> tuple[DemandData | None, list[Problem]]:
    """Read an uploaded workbook into DemandData. Returns (data, []) or (None, every problem).
    Nothing is stored here."""
    data, problems, _revision = parse_demand_upload(demand, file)
    return data, problems


def parse_demand_upload(
    demand: Demand, file, *, actor=None
) -> tuple[DemandData | None, list[Problem], int | None]:
    """As ``parse_demand_workbook``, plus the revision the workbook was downloaded at (to warn
    that uploading replaces changes made since). The file is scanned for viruses first
    (portal.virus_scan; an infected one is audited as uploaded by ``actor``)."""
    content, error = _read_upload(file)
    if error:
        return (*file_problem(error), None)
    try:
        scan_upload(
            file,
            actor=actor,
            field="file",
            max_bytes=EXCEL_MAX_BYTES,
            target=demand,
            organisation=demand.participation.organisation,
        )
    except ValidationError as exc:
        return (*file_problem(exc.message_dict["file"][0]), None)
    error = check_xlsx_container(content)
    if error:
        return (*file_problem(error), None)
    # The values are read in the same bounded pass that checks the shape, within a deadline.
    deadline = time.monotonic() + shape_module.PARSE_SECONDS
    template = shape_module.template_shape(demand)
    workbook, error = shape_module.read_sheets(content, template, deadline=deadline)
    if workbook is None:
        return (*file_problem(error or shape_module.unreadable_message()), None)
    return read_workbook(demand, workbook, template)


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
