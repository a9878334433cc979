"""Reads of a participant's demand (inventarisatie): scoped to the viewer, the working copy as
clean values, what the pages show of it, and the plausibility warnings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from catalog.models import Category
from municipalities.demand_data import DemandData
from municipalities.models import Demand, DemandVersion, Municipality, Participation
from municipalities.selectors.participations import can_edit_participation, frozen_reason
from portal.tenancy import get_visible_or_404


def demand_queryset():
    return Demand.objects.select_related(
        "participation__programme", "participation__organisation", "updated_by"
    ).prefetch_related("participation__programme__milestones")


def demand_get_for_user(*, user: Any, public_id: Any):
    """404 for anyone who is neither a member of the participant nor in the project team."""
    return get_visible_or_404(demand_queryset(), user, public_id=public_id)


@dataclass(frozen=True)
class DemandEditCheck:
    """The answer of ``demand_edit_check``."""

    is_editor: bool  # an editor or admin of the participant; anyone else is refused (403)
    closed_reason: str = ""  # why an editor cannot change it now; empty while it is open

    @property
    def allowed(self) -> bool:
        return self.is_editor and not self.closed_reason


def demand_edit_check(*, user: Any, demand: Demand) -> DemandEditCheck:
    """The one rule for "may this user change this demand now" (save the working copy, upload
    a workbook, submit a version), for the pages, the Excel upload, the API and the services.

    Only editors and admins of the participating organisation may; for anyone else the answer
    stops there (callers answer 403, and the inventory's state is not looked at). For them it
    is closed while the registration is not approved, or once the demand deadline (with any
    extension) has passed: ``closed_reason`` is then the message every channel shows (a form
    error, or 409 in the API)."""
    if not can_edit_participation(user=user, participation=demand.participation):
        return DemandEditCheck(is_editor=False)
    frozen = frozen_reason(programme=demand.participation.programme)
    if frozen:
        return DemandEditCheck(is_editor=True, closed_reason=frozen)
    if demand.participation.status != Participation.Status.APPROVED:
        return DemandEditCheck(
            is_editor=True,
            closed_reason=_("Demand can be entered once the registration is approved."),
        )
    if not demand.is_open:
        return DemandEditCheck(
            is_editor=True,
            closed_reason=_(
                "The deadline for the demand inventory has passed. The form is read-only."
            ),
        )
    return DemandEditCheck(is_editor=True)


def can_edit_demand(*, user: Any, demand: Demand) -> bool:
    """Yes or no of ``demand_edit_check``: whether the page offers the inputs and the upload."""
    return demand_edit_check(user=user, demand=demand).allowed


def demand_versions(*, demand):
    return (
        DemandVersion.objects.filter(demand=demand)
        .select_related("submitted_by")
        .order_by("-number")
    )


def demand_scope(demand: Demand) -> tuple[list, list[Category], list[int]]:
    """The municipalities, categories and years this demand covers."""
    participation = demand.participation
    if participation.own_staff:
        # Buying for its own staff: one row, under the municipality where it is established.
        municipalities = [participation.seat_municipality]
    else:
        municipalities = [
            c.municipality
            for c in participation.covered.select_related("municipality").filter(is_active=True)
        ]
    categories = list(Category.objects.filter(is_active=True).exclude(kind=Category.Kind.SERVICE))
    return municipalities, categories, participation.programme.years


def service_slugs() -> list[str]:
    """The services a participant can choose per category (the active service categories)."""
    return list(
        Category.objects.filter(kind=Category.Kind.SERVICE, is_active=True).values_list(
            "slug", flat=True
        )
    )


def working_data(demand: Demand) -> DemandData:
    """The working copy as clean values: what the grid, the workbook and a submit start from."""
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


def demand_grid(*, demand, data=None) -> list[dict]:
    """The inventory as the page shows it: per municipality its profile, and per category a row
    with one cell per contract year (current values from ``data`` or the working copy)."""
    data = data if data is not None else working_data(demand)
    municipalities, categories, years = demand_scope(demand)
    services = list(Category.objects.filter(slug__in=service_slugs()).order_by("sort_order"))
    sections = []
    for municipality in municipalities:
        workplaces, employees = data.profiles.get(municipality.pk, (None, None))
        rows = []
        for category in categories:
            cells = []
            for year in years:
                quantity, minimum, maximum = data.lines.get(
                    (municipality.pk, category.pk, year), (0, None, None)
                )
                cells.append({"year": year, "quantity": quantity, "min": minimum, "max": maximum})
            chosen, remark = data.options.get((municipality.pk, category.pk), ([], ""))
            rows.append(
                {
                    "category": category,
                    "cells": cells,
                    "total": sum(cell["quantity"] for cell in cells),
                    "services": [{"service": s, "chosen": s.slug in chosen} for s in services],
                    "remark": remark,
                }
            )
        totals = [sum(row["cells"][i]["quantity"] for row in rows) for i in range(len(years))]
        sections.append(
            {
                "municipality": municipality,
                "workplaces": workplaces,
                "employees": employees,
                "rows": rows,
                "year_totals": totals,
                "total": sum(totals),
            }
        )
    return sections


def demand_diff(*, older, newer) -> list[dict]:
    """Lines that differ between two versions of the same demand (or a version and None)."""

    def lines(version):
        if version is None:
            return {}
        return {
            (line.municipality_id, line.category_id, line.year): line.quantity
            for line in version.lines.all()
        }

    old, new = lines(older), lines(newer)
    keys = sorted(set(old) | set(new))
    municipality_names = {
        m.pk: str(m) for m in Municipality.objects.filter(pk__in={k[0] for k in keys})
    }
    category_names = {c.pk: c.name for c in Category.objects.filter(pk__in={k[1] for k in keys})}
    rows = []
    for key in keys:
        before, after = old.get(key, 0), new.get(key, 0)
        if before != after:
            rows.append(
                {
                    "municipality": municipality_names.get(key[0], key[0]),
                    "category": category_names.get(key[1], key[1]),
                    "year": key[2],
                    "old": before,
                    "new": after,
                    "delta": after - before,
                }
            )
    return rows


# --- Plausibility warnings (not errors) -----------------------------------------------------

WORKPLACE_CATEGORIES = ("laptop", "desktop")


def plausibility_warnings(
    *, demand: Demand, data: DemandData, previous: DemandVersion | None
) -> list[str]:
    """What looks unlikely in ``data`` (shown before submitting, never refused): more devices
    than employees can use, a year of 0 after years with hundreds, a tenfold rise."""
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
        for cat in categories:
            series = [data.lines.get((m, cat.pk, y), (0, None, None))[0] for y in years]
            for i in range(1, len(series)):
                if series[i] == 0 and max(series[:i]) >= 100:
                    warnings.append(
                        _(
                            "%(municipality)s, %(category)s: %(year)s is 0 after years with "
                            "hundreds."
                        )
                        % {"municipality": names[m], "category": cat.name, "year": years[i]}
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
