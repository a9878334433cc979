"""Inviting contacts from a spreadsheet: the project team uploads one row per person (CBS code,
name, e-mail address, role, authorised signatory) and every row is invited or refused on its
own, with the reason. The file is bounded, checked and scanned before a row is read. See
docs/decisions/0025-onboarding.md."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from municipalities.excel.upload import check_xlsx_container
from municipalities.models import BulkInvitation, Municipality, OrganisationContact
from portal.audit import audit
from portal.models import Organisation, Role, User
from portal.selectors import is_project_team_editor
from portal.services import invitation_create
from portal.virus_scan import scan_upload

MAX_BYTES = 2 * 1024 * 1024


def max_rows() -> int:
    """One row per person: the 342 municipalities with a few people each, and the joint
    bodies (``settings.BULK_INVITATION_MAX_ROWS``)."""
    return settings.BULK_INVITATION_MAX_ROWS


COLUMNS = {
    "cbscode": "cbs_code",
    "cbs": "cbs_code",
    "gemeentecode": "cbs_code",
    "naam": "name",
    "name": "name",
    "emailadres": "email",
    "email": "email",
    "rol": "role",
    "role": "role",
    "tekenbevoegd": "signatory",
    "signatory": "signatory",
    "ondertekenaar": "signatory",
}
GENERAL = "general"
ROLES = {
    "beheerder": Role.ADMIN,
    "admin": Role.ADMIN,
    "administrator": Role.ADMIN,
    "redacteur": Role.EDITOR,
    "editor": Role.EDITOR,
    "bewerker": Role.EDITOR,
    "lezer": Role.VIEWER,
    "viewer": Role.VIEWER,
    "": Role.VIEWER,
    # Not a person: the municipality's general address, kept for reminders (no invitation).
    "algemeen": GENERAL,
    "algemeenadres": GENERAL,
    "general": GENERAL,
}
YES = {"ja", "j", "yes", "y", "x", "1", "waar", "true"}
NO = {"nee", "n", "no", "0", "", "onwaar", "false"}


@dataclass
class Row:
    number: int
    values: dict[str, str] = field(default_factory=dict)


def _key(header: object) -> str:
    return re.sub(r"[^a-z]", "", str(header or "").lower())


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())[:300]


def read_rows(file) -> list[Row]:
    """The rows of an uploaded .xlsx or .csv file, by column name. Raises ValidationError at
    ``file`` for a file that cannot be read, lacks a column or is too long."""
    if file is None:
        raise ValidationError({"file": _("Choose a spreadsheet (.xlsx or .csv).")})
    content = file.read(MAX_BYTES + 1)
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > MAX_BYTES:
        raise ValidationError(
            {"file": _("The file must be smaller than %(size)s MB.") % {"size": MAX_BYTES // 2**20}}
        )
    if content.startswith(b"PK"):
        error = check_xlsx_container(content)
        if error:
            raise ValidationError({"file": error})
        table = _xlsx_table(content)
    else:
        table = _csv_table(content)
    if not table:
        raise ValidationError({"file": _("The file has no rows.")})
    header = [COLUMNS.get(_key(cell), "") for cell in table[0]]
    missing = {"cbs_code", "email"} - set(header)
    if missing:
        raise ValidationError(
            {
                "file": _(
                    "The first row must name the columns. Missing: %(columns)s. Use the "
                    "columns CBS-code, Naam, E-mailadres, Rol and Tekenbevoegd."
                )
                % {"columns": ", ".join(sorted(missing))}
            }
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {name: _text(cell) for name, cell in zip(header, cells, strict=False) if name}
        if any(values.values()):
            rows.append(Row(number, values))
        if len(rows) > max_rows():
            raise ValidationError(
                {
                    "file": _("The file has more than %(max)s rows. Split it into smaller files.")
                    % {"max": max_rows()}
                }
            )
    if not rows:
        raise ValidationError({"file": _("The file has no rows.")})
    return rows


def _xlsx_table(content: bytes) -> list[list[object]]:
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # noqa: BLE001 - any parser failure: not a workbook we can read
        raise ValidationError(
            {"file": _("The file could not be read. Save it again as an .xlsx file.")}
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        table = []
        for cells in sheet.iter_rows(values_only=True, max_col=10):
            table.append(list(cells))
            if len(table) > max_rows() + 50:
                break
        return table
    finally:
        workbook.close()


def _csv_table(content: bytes) -> list[list[object]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", "replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    table: list[list[object]] = []
    for cells in reader:
        table.append(list(cells))
        if len(table) > max_rows() + 50:
            break
    return table


def _organisation(code: str) -> tuple[Organisation | None, str]:
    code = code.strip().upper()
    if re.fullmatch(r"\d{1,4}", code):
        code = f"GM{int(code):04d}"
    if not re.fullmatch(r"GM\d{4}", code):
        return None, _("“%(code)s” is not a CBS code (like GM0355).") % {"code": code}
    municipality = (
        Municipality.objects.select_related("organisation", "successor").filter(cbs_code=code)
    ).first()
    if municipality is None or municipality.organisation is None:
        return None, _("There is no municipality with CBS code %(code)s.") % {"code": code}
    if municipality.valid_until is not None:
        return None, _("%(name)s has merged into %(successor)s: use the new CBS code.") % {
            "name": municipality,
            "successor": municipality.successor or "?",
        }
    return municipality.organisation, ""


def _check(row: Row, seen: set[tuple[str, str]]) -> tuple[dict | None, str]:
    """The invitation a row asks for, or why it is refused."""
    values = row.values
    organisation, reason = _organisation(values.get("cbs_code", ""))
    if organisation is None:
        return None, reason
    email = values.get("email", "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return None, _("“%(email)s” is not a valid e-mail address.") % {"email": email or "–"}
    role = ROLES.get(_key(values.get("role", "")))
    if role is None:
        return None, _(
            "Unknown role “%(role)s”: use Beheerder, Redacteur, Lezer or Algemeen adres."
        ) % {"role": values.get("role")}
    signatory = values.get("signatory", "").strip().lower()
    if signatory not in YES | NO:
        return None, _("Authorised signatory must be ja or nee, not “%(value)s”.") % {
            "value": values.get("signatory")
        }
    if (organisation.slug, email) in seen:
        return None, _("This e-mail address is in the file twice for this organisation.")
    seen.add((organisation.slug, email))
    return {
        "organisation": organisation,
        "email": email,
        "role": role,
        "is_signatory": signatory in YES,
        "name": values.get("name", "")[:200],
    }, ""


def bulk_invite(*, actor: User, rows: list[Row], file_name: str, base_url: str) -> BulkInvitation:
    """Invite every acceptable row (each in its own transaction: a refused row stops no
    other) and store the report of what was sent and what was refused, and why."""
    if not is_project_team_editor(user=actor):
        raise PermissionDenied
    if len(rows) > max_rows():
        raise ValidationError(_("Too many rows."))
    report = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        entry = {
            "row": row.number,
            "cbs_code": row.values.get("cbs_code", ""),
            "name": row.values.get("name", ""),
            "email": row.values.get("email", ""),
            "organisation": "",
            "sent": False,
            "reason": "",
        }
        invite, reason = _check(row, seen)
        if invite is not None:
            entry["organisation"] = invite["organisation"].name
            if invite["role"] == GENERAL:
                OrganisationContact.objects.update_or_create(
                    organisation=invite["organisation"],
                    email=invite["email"],
                    defaults={"name": invite["name"], "kind": OrganisationContact.Kind.GENERAL},
                )
                entry.update(sent=True, general=True)
                report.append(entry)
                continue
            try:
                with transaction.atomic():
                    invitation_create(
                        actor=actor,
                        organisation=invite["organisation"],
                        email=invite["email"],
                        role=invite["role"],
                        is_signatory=invite["is_signatory"],
                        base_url=base_url,
                    )
                    OrganisationContact.objects.update_or_create(
                        organisation=invite["organisation"],
                        email=invite["email"],
                        defaults={"name": invite["name"], "kind": OrganisationContact.Kind.PERSON},
                    )
                entry["sent"] = True
            except ValidationError as exc:
                reason = " ".join(exc.messages)
        entry["reason"] = reason
        report.append(entry)
    with transaction.atomic():
        bulk = BulkInvitation.objects.create(
            created_by=actor,
            file_name=file_name[:200],
            rows_sent=sum(1 for entry in report if entry["sent"] and not entry.get("general")),
            rows_refused=sum(1 for entry in report if not entry["sent"]),
            general_addresses=sum(1 for entry in report if entry.get("general")),
            report=report,
        )
        audit(
            actor=actor,
            action="invitation.bulk",
            target=bulk,
            sent=bulk.rows_sent,
            refused=bulk.rows_refused,
        )
    return bulk


def scan(file, *, actor: User) -> None:
    """The virus scan of the upload, before a row is read (ValidationError at ``file``)."""
    scan_upload(file, actor=actor, field="file", max_bytes=MAX_BYTES)
    file.seek(0)
