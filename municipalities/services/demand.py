"""Demand (inventarisatie): validate, save the working copy, submit immutable versions.

One validation core serves the form, the Excel upload and the API: each gives a list of
``Cell`` values with a location of its own (a field id, a sheet and cell, a JSON pointer), and
gets back either clean values or every problem, in Dutch, at its location. Nothing is stored
when there is any problem."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Category
from municipalities.models import (
    Demand,
    DemandCategoryOption,
    DemandLine,
    DemandProfile,
    DemandVersion,
    DemandVersionLine,
    Participation,
)
from municipalities.selectors import can_edit_participation
from portal.audit import audit
from portal.notifications import notify_members
from portal.selectors import is_project_team_editor
from portal.signals import send_domain_event
from portal.tenancy import require

MAX_QUANTITY = 10_000_000
_NUMBER = re.compile(r"^\d+$")


class DemandConflict(ValidationError):
    """Someone else saved the demand after this user loaded it."""


@dataclass(frozen=True)
class Cell:
    """One raw input value and where it came from (for the error message)."""

    location: str
    value: Any


@dataclass
class Problem:
    location: str
    message: str


@dataclass
class DemandData:
    """Clean demand values, keyed by (municipality id, category id, year) etc."""

    lines: dict[tuple[int, int, int], tuple[int, int | None, int | None]] = field(
        default_factory=dict
    )
    options: dict[tuple[int, int], tuple[list[str], str]] = field(default_factory=dict)
    profiles: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)


def parse_count(raw: Any, *, required: bool) -> tuple[int | None, str | None]:
    """A whole number >= 0. Accepts 1234, 1.234 and '1 234' (Dutch thousands separators).
    Returns (value, None) or (None, error message)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return (0 if required else None), None
    if isinstance(raw, bool):
        return None, _("Enter a whole number.")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            return None, _("Enter a whole number, without decimals.")
        value = int(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(".", "")
        if text.startswith("-") and _NUMBER.match(text[1:]):
            return None, _("Enter 0 or more.")
        if "," in text:
            return None, _("Enter a whole number, without decimals.")
        if not _NUMBER.match(text):
            return None, _("Enter a whole number.")
        value = int(text)
    if value < 0:
        return None, _("Enter 0 or more.")
    if value > MAX_QUANTITY:
        return None, _("Enter at most 10,000,000.")
    return value, None


def validate_lines(
    cells: dict[tuple[int, int, int], tuple[Cell, Cell | None, Cell | None]],
) -> tuple[dict, list[Problem]]:
    """Validate quantity/min/max per (municipality, category, year)."""
    lines: dict = {}
    problems: list[Problem] = []
    for key, (quantity_cell, min_cell, max_cell) in cells.items():
        quantity, error = parse_count(quantity_cell.value, required=True)
        if error:
            problems.append(Problem(quantity_cell.location, error))
            continue
        minimum = maximum = None
        if min_cell is not None:
            minimum, error = parse_count(min_cell.value, required=False)
            if error:
                problems.append(Problem(min_cell.location, error))
                continue
        if max_cell is not None:
            maximum, error = parse_count(max_cell.value, required=False)
            if error:
                problems.append(Problem(max_cell.location, error))
                continue
        if minimum is not None and minimum > quantity:
            problems.append(
                Problem(min_cell.location, _("The minimum cannot be higher than the quantity."))
            )
            continue
        if maximum is not None and maximum < quantity:
            problems.append(
                Problem(max_cell.location, _("The maximum cannot be lower than the quantity."))
            )
            continue
        lines[key] = (quantity, minimum, maximum)
    return lines, problems


def demand_scope(demand: Demand) -> tuple[list, list[Category], list[int]]:
    """The municipalities, categories and years this demand covers."""
    participation = demand.participation
    municipalities = [
        c.municipality
        for c in participation.covered.select_related("municipality").filter(is_active=True)
    ]
    categories = list(Category.objects.filter(is_active=True).exclude(kind=Category.Kind.SERVICE))
    return municipalities, categories, participation.programme.years


def service_slugs() -> list[str]:
    return list(
        Category.objects.filter(kind=Category.Kind.SERVICE, is_active=True).values_list(
            "slug", flat=True
        )
    )


def _check_scope(demand: Demand, data: DemandData) -> list[Problem]:
    municipalities, categories, years = demand_scope(demand)
    allowed_m = {m.pk for m in municipalities}
    allowed_c = {c.pk for c in categories}
    problems = []
    for m, c, y in data.lines:
        if m not in allowed_m or c not in allowed_c or y not in years:
            problems.append(Problem("", _("A line does not belong to this inventory.")))
            break
    allowed_services = set(service_slugs())
    for (m, c), (services, _remark) in data.options.items():
        if m not in allowed_m or c not in allowed_c or not set(services) <= allowed_services:
            problems.append(
                Problem("", _("A choice of services does not belong to this inventory."))
            )
            break
    return problems


def _require_editable(*, actor: Any, demand: Demand) -> None:
    if not can_edit_participation(user=actor, participation=demand.participation):
        raise PermissionDenied
    if demand.participation.status != Participation.Status.APPROVED:
        raise ValidationError(_("Demand can be entered once the registration is approved."))
    if not demand.is_open:
        raise ValidationError(
            _("The deadline for the demand inventory has passed. The form is read-only.")
        )


def _bump_revision(*, demand: Demand, revision: int, actor: Any) -> None:
    updated = Demand.objects.filter(pk=demand.pk, revision=revision).update(
        revision=F("revision") + 1, updated_at=timezone.now(), updated_by=actor
    )
    if not updated:
        current = Demand.objects.select_related("updated_by").get(pk=demand.pk)
        who = current.updated_by or _("someone else")
        raise DemandConflict(
            _(
                "%(who)s saved this inventory after you opened it. Your changes were not "
                "saved. Reload the page to see the latest values, then enter your changes again."
            )
            % {"who": who},
            code="conflict",
        )
    demand.revision = revision + 1


@transaction.atomic
def demand_save_draft(
    *, actor: Any, demand: Demand, revision: int, data: DemandData, source: str = "form"
) -> Demand:
    """Replace the working copy with ``data`` (all or nothing)."""
    _require_editable(actor=actor, demand=demand)
    problems = _check_scope(demand, data)
    if problems:
        raise ValidationError([p.message for p in problems])
    _bump_revision(demand=demand, revision=revision, actor=actor)
    DemandLine.objects.filter(demand=demand).delete()
    # Zero without a range is the same as no line: only what is expected is stored, so the
    # form, the spreadsheet and the API store the same rows for the same figures.
    DemandLine.objects.bulk_create(
        [
            DemandLine(
                demand=demand,
                municipality_id=m,
                category_id=c,
                year=y,
                quantity=q,
                min_quantity=lo,
                max_quantity=hi,
            )
            for (m, c, y), (q, lo, hi) in data.lines.items()
            if q or lo is not None or hi is not None
        ]
    )
    DemandCategoryOption.objects.filter(demand=demand).delete()
    DemandCategoryOption.objects.bulk_create(
        [
            DemandCategoryOption(
                demand=demand,
                municipality_id=m,
                category_id=c,
                services=sorted(services),
                remark=remark,
            )
            for (m, c), (services, remark) in data.options.items()
            if services or remark
        ]
    )
    DemandProfile.objects.filter(demand=demand).delete()
    DemandProfile.objects.bulk_create(
        [
            DemandProfile(demand=demand, municipality_id=m, workplaces=w, employees=e)
            for m, (w, e) in data.profiles.items()
        ]
    )
    if demand.status != Demand.Status.DRAFT:
        Demand.objects.filter(pk=demand.pk).update(status=Demand.Status.DRAFT)
        demand.status = Demand.Status.DRAFT
    audit(
        actor=actor,
        action="demand.saved",
        target=demand,
        organisation=demand.participation.organisation,
        source=source,
        revision=demand.revision,
        lines=len(data.lines),
    )
    return demand


def working_data(demand: Demand) -> DemandData:
    data = DemandData()
    for line in demand.lines.all():
        data.lines[(line.municipality_id, line.category_id, line.year)] = (
            line.quantity,
            line.min_quantity,
            line.max_quantity,
        )
    for option in demand.options.all():
        data.options[(option.municipality_id, option.category_id)] = (
            list(option.services),
            option.remark,
        )
    for profile in demand.profiles.all():
        data.profiles[profile.municipality_id] = (profile.workplaces, profile.employees)
    return data


def snapshot_of(demand: Demand, data: DemandData) -> dict:
    """A stable JSON form of the working copy, with CBS codes and category slugs."""
    municipalities, categories, years = demand_scope(demand)
    code = {m.pk: m.cbs_code for m in municipalities}
    slug = {c.pk: c.slug for c in categories}
    return {
        "participation": str(demand.participation.public_id),
        "programme": demand.participation.programme.slug,
        "organisation": demand.participation.organisation.slug,
        "years": years,
        "lines": sorted(
            [
                {
                    "municipality": code[m],
                    "category": slug[c],
                    "year": y,
                    "quantity": q,
                    "min": lo,
                    "max": hi,
                }
                for (m, c, y), (q, lo, hi) in data.lines.items()
                if m in code and c in slug
            ],
            key=lambda row: (row["municipality"], row["category"], row["year"]),
        ),
        "options": sorted(
            [
                {"municipality": code[m], "category": slug[c], "services": sorted(s), "remark": r}
                for (m, c), (s, r) in data.options.items()
                if m in code and c in slug
            ],
            key=lambda row: (row["municipality"], row["category"]),
        ),
        "profiles": sorted(
            [
                {"municipality": code[m], "workplaces": w, "employees": e}
                for m, (w, e) in data.profiles.items()
                if m in code
            ],
            key=lambda row: row["municipality"],
        ),
    }


@transaction.atomic
def demand_submit(
    *, actor: Any, demand: Demand, revision: int, source: str = "form"
) -> DemandVersion:
    """Freeze the working copy as a new immutable version."""
    _require_editable(actor=actor, demand=demand)
    _bump_revision(demand=demand, revision=revision, actor=actor)
    data = working_data(demand)
    snapshot = snapshot_of(demand, data)
    encoded = json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode()
    number = (demand.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DemandVersion.objects.create(
        demand=demand,
        number=number,
        submitted_by=actor,
        snapshot=snapshot,
        sha256=hashlib.sha256(encoded).hexdigest(),
        source=source,
    )
    DemandVersionLine.objects.bulk_create(
        [
            DemandVersionLine(
                version=version,
                municipality_id=m,
                category_id=c,
                year=y,
                quantity=q,
                min_quantity=lo,
                max_quantity=hi,
            )
            for (m, c, y), (q, lo, hi) in data.lines.items()
        ]
    )
    Demand.objects.filter(pk=demand.pk).update(status=Demand.Status.SUBMITTED, return_comment="")
    demand.status = Demand.Status.SUBMITTED
    audit(
        actor=actor,
        action="demand.submitted",
        target=demand,
        organisation=demand.participation.organisation,
        version=number,
        sha256=version.sha256,
    )
    send_domain_event("demand.submitted", instance=version, actor=actor)
    return version


@transaction.atomic
def demand_return(*, actor: Any, demand: Demand, comment: str) -> Demand:
    require(is_project_team_editor(user=actor))
    if not comment.strip():
        raise ValidationError({"comment": _("Explain what the participant should change.")})
    if demand.status != Demand.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted inventory can be returned."))
    Demand.objects.filter(pk=demand.pk).update(
        status=Demand.Status.RETURNED, return_comment=comment.strip()
    )
    demand.status = Demand.Status.RETURNED
    demand.return_comment = comment.strip()
    audit(
        actor=actor,
        action="demand.returned",
        target=demand,
        organisation=demand.participation.organisation,
        comment=demand.return_comment,
    )
    notify_members(
        organisation=demand.participation.organisation,
        subject=_("Your demand inventory for %(programme)s needs changes")
        % {"programme": demand.participation.programme},
        template="municipalities/email/demand_returned.txt",
        context={"demand": demand},
    )
    send_domain_event("demand.returned", instance=demand, actor=actor)
    return demand


@transaction.atomic
def demand_extend_deadline(*, actor: Any, demand: Demand, until, reason: str) -> Demand:
    """Grant one participant more time than the programme's demand deadline."""
    require(is_project_team_editor(user=actor))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if until <= timezone.now():
        raise ValidationError({"date": _("Choose a date and time in the future.")})
    Demand.objects.filter(pk=demand.pk).update(deadline_extended_until=until)
    demand.deadline_extended_until = until
    audit(
        actor=actor,
        action="demand.deadline_extended",
        target=demand,
        organisation=demand.participation.organisation,
        until=until.isoformat(),
        reason=reason.strip(),
    )
    notify_members(
        organisation=demand.participation.organisation,
        subject=_("More time for your demand inventory for %(programme)s")
        % {"programme": demand.participation.programme},
        template="municipalities/email/demand_extended.txt",
        context={"demand": demand, "reason": reason.strip()},
    )
    return demand


def demand_for_participation(*, participation: Participation) -> Demand:
    """The demand working copy of an approved participation (created on first use)."""
    demand, _created = Demand.objects.get_or_create(participation=participation)
    return demand


# --- Plausibility warnings (not errors) -----------------------------------------------------

WORKPLACE_CATEGORIES = ("laptop", "desktop")


def plausibility_warnings(
    *, demand: Demand, data: DemandData, previous: DemandVersion | None
) -> list[str]:
    municipalities, categories, years = demand_scope(demand)
    names = {m.pk: str(m) for m in municipalities}
    by_slug = {c.slug: c for c in categories}
    warnings: list[str] = []
    for m, (_workplaces, employees) in data.profiles.items():
        if not employees:
            continue
        devices = sum(
            q
            for (mm, c, _y), (q, _lo, _hi) in data.lines.items()
            if mm == m and c in {by_slug[s].pk for s in WORKPLACE_CATEGORIES if s in by_slug}
        )
        if devices > employees * 1.5:
            warnings.append(
                _(
                    "%(municipality)s: %(devices)s laptops and desktops for %(employees)s "
                    "employees is more than 1.5 per employee."
                )
                % {"municipality": names.get(m, m), "devices": devices, "employees": employees}
            )
    for m in names:
        for c in categories:
            series = [data.lines.get((m, c.pk, y), (0, None, None))[0] for y in years]
            for i in range(1, len(series)):
                if series[i] == 0 and max(series[:i]) >= 100:
                    warnings.append(
                        _(
                            "%(municipality)s, %(category)s: %(year)s is 0 after years with "
                            "hundreds."
                        )
                        % {"municipality": names[m], "category": c.name, "year": years[i]}
                    )
                    break
    if previous is not None:
        old = {
            (line.municipality_id, line.category_id, line.year): line.quantity
            for line in previous.lines.all()
        }
        for (m, c, y), (q, _lo, _hi) in data.lines.items():
            before = old.get((m, c, y))
            if before and q >= before * 10:
                category = next((cat for cat in categories if cat.pk == c), None)
                warnings.append(
                    _(
                        "%(municipality)s, %(category)s %(year)s: %(new)s is ten times or more "
                        "the %(old)s of the previous version."
                    )
                    % {
                        "municipality": names.get(m, m),
                        "category": category,
                        "year": y,
                        "new": q,
                        "old": before,
                    }
                )
    return warnings
