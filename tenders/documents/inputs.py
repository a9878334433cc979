"""The data each tender document is built from, as plain JSON (strings, numbers, lists).

One builder per kind reads only what that document shows, so that its hash changes only when
the document would change: the timeline is in the aanbestedingsleidraad, not in the annex of
authorities. The data is stored with the version (``DocumentVersion.inputs``) and the version
is rendered from it, so a version is the same whenever it is rendered. Texts that depend on
the language (choice labels, dates) are made in Dutch here, as the documents are Dutch.
Amounts are strings with two decimals ("1234.50"), quantities whole numbers.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import formats, timezone, translation

from tenders.models import (
    LotAuthority,
    Requirement,
    SnapshotLotTotal,
    SnapshotTotal,
    Tender,
    TenderDocument,
    TenderLot,
)

K = TenderDocument.Kind
# Raised when a builder's output changes shape: every document is then made again.
FORMAT = 1
LANGUAGE = "nl"

TIMELINE = (
    ("publication_at", "Verzending van de aankondiging"),
    ("question_deadline_at", "Uiterste datum voor vragen"),
    ("answers_at", "Publicatie van de nota van inlichtingen"),
    ("bid_deadline_at", "Uiterste datum en tijd voor inschrijvingen"),
    ("opening_at", "Opening van de inschrijvingen"),
    ("award_decision_at", "Voorgenomen gunningsbeslissing"),
    ("standstill_end_at", "Einde van de opschortende termijn"),
)


def input_hash(inputs: dict[str, Any]) -> str:
    """SHA-256 of the inputs as stable JSON (sorted keys, no spaces)."""
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def money(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)):.2f}"


def moment(value: datetime | None) -> str:
    """Dutch wall-clock time, e.g. "woensdag 25 november 2026, 17:00 uur (Nederlandse tijd)"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'l j F Y, H:i')} uur (Nederlandse tijd)"


def day(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _header(tender: Tender) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "reference": tender.reference,
        "title": tender.title,
        "programme": tender.programme.name,
    }


def _lots(tender: Tender) -> list[TenderLot]:
    return list(
        tender.lots.select_related("lot")
        .prefetch_related("lot__cpv_codes", "lot__categories")
        .order_by("number")
    )


def _requirement(requirement: Requirement) -> dict[str, Any]:
    return {
        "kind": str(requirement.get_kind_display()),
        "level": requirement.level,
        "amount": None if requirement.amount is None else str(requirement.amount.normalize()),
        "mandatory": requirement.mandatory,
        "text": requirement.text,
        # Lot numbers; empty means every lot.
        "lots": sorted(lot.number for lot in requirement.lots.all()),
    }


def _requirements(tender: Tender) -> list[dict[str, Any]]:
    return [
        _requirement(r)
        for r in tender.requirements.prefetch_related("lots").order_by("order", "pk")
    ]


def leidraad_inputs(tender: Tender) -> dict[str, Any]:
    """Procedure, lots with CPV codes, timeline, award criteria and requirements."""
    programme = tender.programme
    return {
        **_header(tender),
        "procedure": str(tender.get_procedure_display()),
        "summary": tender.summary,
        "electronic_submission": tender.electronic_submission,
        "prior_information_notice": day(tender.prior_information_notice_at),
        "timeline": [
            {"label": label, "at": moment(getattr(tender, field))} for field, label in TIMELINE
        ],
        "contract_start": day(tender.contract_start),
        "contract_years": programme.contract_years,
        "extension_years": programme.extension_years,
        "lots": [
            {
                "number": lot.number,
                "title": lot.title,
                "description": lot.description,
                "cpv": [
                    {"code": c.code, "label": c.label_nl or c.label_en}
                    for c in sorted(lot.lot.cpv_codes.all(), key=lambda c: c.code)
                ],
                "estimated_value": money(lot.estimated_value),
                "maximum_value": money(lot.maximum_value),
            }
            for lot in _lots(tender)
        ],
        "criteria": [
            {
                "kind": str(c.get_kind_display()),
                "name": c.name,
                "description": c.description,
                "weight": c.weight,
            }
            for c in tender.criteria.order_by("order", "pk")
        ],
        "requirements": _requirements(tender),
    }


def _authority(row: LotAuthority) -> dict[str, Any]:
    return {
        "name": row.name,
        "kind": str(row.get_kind_display()),
        "scheme": str(row.get_scheme_display()) if row.scheme else "",
        "identifier": row.identifier,
        "on_behalf_of": list(row.on_behalf_of),
    }


def _authorities_by_lot(tender: Tender) -> dict[int, list[LotAuthority]]:
    by_lot: dict[int, list[LotAuthority]] = defaultdict(list)
    rows = LotAuthority.objects.filter(snapshot=tender.snapshot).order_by("lot__number", "name")
    for row in rows:
        by_lot[row.lot_id].append(row)
    return by_lot


def authorities_inputs(tender: Tender) -> dict[str, Any]:
    """Per lot every contracting authority that may call off (the frozen snapshot's rows)."""
    by_lot = _authorities_by_lot(tender)
    return {
        **_header(tender),
        "lots": [
            {
                "number": lot.number,
                "title": lot.title,
                "authorities": [_authority(row) for row in by_lot.get(lot.lot_id, [])],
            }
            for lot in _lots(tender)
        ],
    }


def volumes_inputs(tender: Tender) -> dict[str, Any]:
    """Per lot and contract year (0 = the whole term) the estimated and maximum quantities and
    values of the frozen snapshot."""
    totals: dict[int, list[SnapshotLotTotal]] = defaultdict(list)
    for row in SnapshotLotTotal.objects.filter(snapshot=tender.snapshot).order_by("year"):
        totals[row.lot_id].append(row)
    return {
        **_header(tender),
        "lots": [
            {
                "number": lot.number,
                "title": lot.title,
                "rows": [
                    {
                        "year": row.year,
                        "quantity": row.quantity,
                        "maximum_quantity": row.maximum_quantity,
                        "estimated_value": money(row.estimated_value),
                        "maximum_value": money(row.maximum_value),
                    }
                    for row in totals.get(lot.lot_id, [])
                ],
            }
            for lot in _lots(tender)
        ],
    }


def requirements_inputs(tender: Tender) -> dict[str, Any]:
    """The programma van eisen: per lot its categories and the requirements that apply."""
    requirements = _requirements(tender)
    return {
        **_header(tender),
        "lots": [
            {
                "number": lot.number,
                "title": lot.title,
                "description": lot.description,
                "categories": sorted(c.name_nl for c in lot.lot.categories.all()),
                "requirements": [
                    r for r in requirements if not r["lots"] or lot.number in r["lots"]
                ],
            }
            for lot in _lots(tender)
        ],
    }


def agreement_inputs(tender: Tender) -> dict[str, Any]:
    """The draft framework agreement: the parties (every authority of every lot), the term and
    its extension options, and the maximum per lot at which call-offs end."""
    by_lot = _authorities_by_lot(tender)
    parties: dict[tuple[str, str, str], dict[str, Any]] = {}
    for rows in by_lot.values():
        for row in rows:
            key = (row.name, row.scheme, row.identifier)
            parties.setdefault(key, _authority(row))
    programme = tender.programme
    return {
        **_header(tender),
        "parties": [parties[key] for key in sorted(parties)],
        "contract_start": day(tender.contract_start),
        "contract_years": programme.contract_years,
        "extension_years": programme.extension_years,
        "lots": [
            {
                "number": lot.number,
                "title": lot.title,
                "maximum_quantity": lot.maximum_quantity,
                "maximum_value": money(lot.maximum_value),
                "option_value": money(lot.option_value),
            }
            for lot in _lots(tender)
        ],
    }


def price_sheet_inputs(tender: Tender) -> dict[str, Any]:
    """One item per category of each lot, with its estimated quantity over the whole term."""
    quantities = {
        (row["lot_id"], row["category_id"]): row["total"]
        for row in SnapshotTotal.objects.filter(snapshot=tender.snapshot, lot__isnull=False)
        .values("lot_id", "category_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    }
    return {
        **_header(tender),
        "lots": [
            {
                "number": lot.number,
                "title": lot.title,
                "items": [
                    {
                        "category": category.name_nl,
                        "unit": category.unit_nl,
                        "quantity": quantities.get((lot.lot_id, category.pk), 0),
                    }
                    for category in sorted(lot.lot.categories.all(), key=lambda c: c.name_nl)
                ],
            }
            for lot in _lots(tender)
        ],
    }


BUILDERS: dict[str, Callable[[Tender], dict[str, Any]]] = {
    K.LEIDRAAD: leidraad_inputs,
    K.AUTHORITIES: authorities_inputs,
    K.VOLUMES: volumes_inputs,
    K.REQUIREMENTS: requirements_inputs,
    K.AGREEMENT: agreement_inputs,
    K.PRICE_SHEET: price_sheet_inputs,
}


def document_inputs(tender: Tender, kind: str) -> dict[str, Any]:
    """The inputs of one document of ``tender``, made in Dutch."""
    with translation.override(LANGUAGE):
        return BUILDERS[kind](tender)
