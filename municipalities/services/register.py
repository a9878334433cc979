"""Writes of the municipality register: every municipality of the register is an organisation
in the portal from the start, kept in step with the register (mergers included)."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from municipalities.models import Municipality, Participation, Province
from portal.audit import audit
from portal.models import Membership, Organisation

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
POPULATION_DATE = date(2024, 1, 1)  # CBS inhabitants on 1 January 2024 (see the CSV header)
_CBS_NAME = re.compile(r"CBS name: (.+)")


def _validate(rows: list[dict[str, str]]) -> None:
    provinces = set(Province.values)
    codes = {row["cbs_code"] for row in rows}
    for row in rows:
        if not re.fullmatch(r"GM\d{4}", row["cbs_code"]):
            raise ValueError(f"Bad CBS code {row['cbs_code']!r}")
        if row["province"] not in provinces:
            raise ValueError(f"Unknown province {row['province']!r} for {row['cbs_code']}")
        successor = (row.get("successor") or "").strip()
        if successor and successor not in codes:
            raise ValueError(f"Unknown successor {successor!r} for {row['cbs_code']}")
        if successor and not (row.get("valid_until") or "").strip():
            raise ValueError(f"{row['cbs_code']} has a successor but no valid_until")


@transaction.atomic
def municipality_register_load(*, path: Path = DATA_DIR / "gemeenten.csv") -> int:
    """Load the CBS municipality register. Idempotent; validates every row before writing.

    Optional columns ``valid_until`` (ISO date) and ``successor`` (CBS code) record a merger:
    the ended municipality keeps its row and organisation (a framework may still refer to
    it), and its organisation is closed and merged into the successor's."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    _validate(rows)
    for row in rows:
        match = _CBS_NAME.search(row.get("note") or "")
        until = (row.get("valid_until") or "").strip()
        Municipality.objects.update_or_create(
            cbs_code=row["cbs_code"],
            defaults={
                "name": row["name"],
                "cbs_name": match.group(1) if match else "",
                "province": row["province"],
                "population": int(row["population"]) if row["population"] else None,
                "population_date": POPULATION_DATE if row["population"] else None,
                "valid_until": date.fromisoformat(until) if until else None,
            },
        )
    organisations_for_register()
    successors = {
        row["cbs_code"]: row["successor"].strip() for row in rows if (row.get("successor") or "")
    }
    for code, successor in successors.items():
        municipality_merge(
            ended=Municipality.objects.get(cbs_code=code),
            successor=Municipality.objects.get(cbs_code=successor),
        )
    return len(rows)


def organisation_slug(municipality: Municipality) -> str:
    """``gemeente-<name>``; a name the register has twice (Bergen) takes the CBS name."""
    base = f"gemeente-{slugify(municipality.name)}"
    holder = Organisation.objects.filter(slug=base).first()
    taken = (
        holder is not None
        and (
            holder.kind != Organisation.Kind.MUNICIPALITY
            or Municipality.objects.filter(organisation=holder)
            .exclude(cbs_code=municipality.cbs_code)
            .exists()
        )
    ) or (
        Municipality.objects.filter(name=municipality.name)
        .exclude(cbs_code=municipality.cbs_code)
        .exists()
    )
    if not taken:
        return base
    name = slugify(municipality.cbs_name or municipality.name)
    return f"gemeente-{name}-{municipality.cbs_code.lower()}"[:80]


def organisations_for_register() -> int:
    """Give every municipality of the register without one an organisation of its own.
    Idempotent; an organisation that already exists under the same slug is linked, not
    duplicated. Returns how many were created."""
    created = 0
    for municipality in Municipality.objects.filter(organisation__isnull=True).order_by("cbs_code"):
        slug = organisation_slug(municipality)
        organisation, made = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": f"Gemeente {municipality.name}",
                "kind": Organisation.Kind.MUNICIPALITY,
                "is_active": municipality.valid_until is None,
            },
        )
        if organisation.kind != Organisation.Kind.MUNICIPALITY or hasattr(
            organisation, "municipality"
        ):
            continue
        municipality.organisation = organisation
        municipality.save(update_fields=["organisation"])
        created += made
    if created:
        audit(actor=None, action="register.organisations_created", count=created)
    return created


def municipality_merge(*, ended: Municipality, successor: Municipality) -> None:
    """Record that ``ended`` merged into ``successor``: the ended municipality names its
    successor, its organisation is closed and merged into the successor's, and its people
    become members of the successor (same role; signing authority is not carried over, the
    new municipality's signatories are its own). The successor succeeds to the old
    authority's participations (Wet arhi): see ``participations_succeed``. Idempotent."""
    if (
        ended.successor_id == successor.pk
        and ended.organisation
        and not (ended.organisation.is_active)
    ):
        # Merged before: only what a merger recorded earlier did not do yet.
        if successor.organisation is not None:
            participations_succeed(
                old=ended.organisation, new=successor.organisation, report_kept=False
            )
        return
    ended.successor = successor
    ended.save(update_fields=["successor"])
    old, new = ended.organisation, successor.organisation
    if old is None or new is None:
        return
    old.is_active = False
    old.merged_into = new
    old.save(update_fields=["is_active", "merged_into"])
    carried = 0
    for membership in Membership.objects.filter(organisation=old).select_related("user"):
        _membership, made = Membership.objects.get_or_create(
            user=membership.user, organisation=new, defaults={"role": membership.role}
        )
        carried += made
    audit(
        actor=None,
        action="register.municipality_merged",
        target=old,
        organisation=new,
        ended=ended.cbs_code,
        successor=successor.cbs_code,
        members_carried_over=carried,
    )
    participations_succeed(old=old, new=new)


def participations_succeed(
    *, old: Organisation, new: Organisation, report_kept: bool = True
) -> int:
    """The successor of a merged municipality succeeds to its rights and duties (Wet arhi):
    each active participation of the old organisation (its registration, mandate and demand,
    with the municipalities it covers) moves to the new one, for every programme in which the
    new one has no active participation of its own. Where it has one, the old participation
    stays with the old authority, and the audit trail says so (once, ``report_kept``): the
    project team decides (withdraw one, or combine them through a change of coverage).
    Idempotent; runs in the merger's transaction. Returns how many moved."""
    own = set(
        Participation.objects.filter(organisation=new)
        .active()
        .values_list("programme_id", flat=True)
    )
    moved = 0
    for participation in (
        Participation.objects.filter(organisation=old)
        .active()
        .select_for_update()
        .select_related("programme")
        .order_by("created_at", "pk")
    ):
        if participation.programme_id in own:
            if report_kept:
                audit(
                    actor=None,
                    action="register.participation_kept",
                    target=participation,
                    organisation=old,
                    successor=new.slug,
                    programme=participation.programme.slug,
                )
            continue
        participation.organisation = new
        participation.save(update_fields=["organisation", "updated_at"])
        own.add(participation.programme_id)
        moved += 1
        audit(
            actor=None,
            action="register.participation_succeeded",
            target=participation,
            organisation=old,
            successor=new.slug,
            programme=participation.programme.slug,
        )
    return moved
