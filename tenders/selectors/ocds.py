"""Reads of the tender's open data: one OCDS 1.1 release built from the tender as it stands,
and the release package of everything published so far. See docs/ocds.md for the mapping.

A release is built once, when an event happens (``tenders.services.ocds.ocds_release_add``),
and stored as it was published; the package only lists the stored releases."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Sum
from django.http import Http404
from django.utils import translation
from django.utils.formats import number_format
from django.utils.text import slugify

from tenders.models import (
    AwardCriterion,
    LotAuthority,
    OcdsRelease,
    Procedure,
    Requirement,
    SnapshotTotal,
    Tender,
    TenderAward,
)
from tenders.ocds import OCDS_VERSION
from tenders.selectors.change import ocds_amendments
from tenders.selectors.enquiries import enquiries_ocds
from tenders.selectors.ocds_documents import ocds_documents

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CURRENCY = "EUR"

# The extensions whose fields the releases use (declared in the package).
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json",
]

# Organisation identifier schemes: NL-KVK is on org-id.guide; OIN and the CBS municipality
# code are not, so their codes follow org-id.guide's rule (country, "-", the register's short
# name) and are explained in the publication policy (docs/ocds.md).
SCHEMES = {
    LotAuthority.Scheme.CBS: "NL-CBS",
    LotAuthority.Scheme.OIN: "NL-OIN",
    LotAuthority.Scheme.KVK: "NL-KVK",
}

TENDER_STATUS = {
    Tender.Status.DRAFT: "planning",
    Tender.Status.PUBLISHED: "active",
    Tender.Status.CLOSED: "active",
    Tender.Status.AWARD_DECISION: "active",
    Tender.Status.AWARDED: "complete",
    Tender.Status.CANCELLED: "cancelled",
}

METHOD = {
    Procedure.OPEN: "open",
    Procedure.NATIONAL_OPEN: "open",
    Procedure.RESTRICTED: "selective",
    Procedure.COMPETITIVE_DIALOGUE: "selective",
}

# Requirements that say who may bid (the UEA): OCDS's eligibility criteria.
ELIGIBILITY = (
    Requirement.Kind.EXCLUSION,
    Requirement.Kind.TURNOVER,
    Requirement.Kind.REFERENCES,
    Requirement.Kind.CERTIFICATION,
)


def ocds_ocid(*, tender: Tender) -> str:
    """The tender's Open Contracting ID: fixed by its first release, so a later change of the
    prefix setting never changes the id of published data."""
    first = OcdsRelease.objects.filter(tender=tender).order_by("number").first()
    if first is not None:
        return first.ocid
    return f"{settings.OCDS_OCID_PREFIX}-{tender.reference}"


def _instant(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


def _amount(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _money(value: Decimal) -> dict[str, Any]:
    return {"amount": _amount(value), "currency": CURRENCY}


def _period(start: datetime | None, end: datetime | None) -> dict[str, str] | None:
    period = {
        key: value
        for key, value in (("startDate", _instant(start)), ("endDate", _instant(end)))
        if value
    }
    return period or None


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """OCDS leaves out what is unknown rather than writing null or an empty list."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def central_purchasing_body() -> dict[str, Any]:
    kvk = settings.OCDS_CENTRAL_PURCHASING_BODY_KVK
    name = settings.OCDS_PUBLISHER_NAME
    return {
        "id": f"NL-KVK-{kvk}",
        "name": name,
        "identifier": {"scheme": "NL-KVK", "id": kvk, "legalName": name},
        "address": {"countryName": "Nederland"},
        # procuringEntity is OCDS 1.1's code; centralPurchasingBody is the open codelist's
        # code from OCDS for eForms, for readers that know it.
        "roles": ["procuringEntity", "centralPurchasingBody"],
    }


def _party_id(row: LotAuthority) -> str:
    if row.scheme and row.identifier:
        return f"{SCHEMES[LotAuthority.Scheme(row.scheme)]}-{row.identifier}"
    # No identifier known: a local id (the "X-" prefix marks a local list).
    return f"X-GT-{slugify(row.name)[:60] or row.pk}"


def _parties(tender: Tender) -> list[dict[str, Any]]:
    """The central purchasing body, then every authority that may call off under a lot (CJEU
    C-216/17): each once, with role buyer and the lots it may use."""
    parties: dict[str, dict[str, Any]] = {}
    lot_numbers: dict[str, set[int]] = defaultdict(set)
    rows = LotAuthority.objects.filter(snapshot=tender.snapshot).select_related("lot")
    for row in rows.order_by("name", "kind", "lot__number"):
        party_id = _party_id(row)
        lot_numbers[party_id].add(row.lot.number)
        if party_id in parties:
            continue
        party: dict[str, Any] = {
            "id": party_id,
            "name": row.name,
            "address": {"countryName": "Nederland"},
            "roles": ["buyer"],
            "details": {"kind": row.kind},
        }
        if row.scheme and row.identifier:
            party["identifier"] = {
                "scheme": SCHEMES[LotAuthority.Scheme(row.scheme)],
                "id": row.identifier,
                "legalName": row.name,
            }
        if row.on_behalf_of:
            party["details"]["onBehalfOf"] = list(row.on_behalf_of)
        parties[party_id] = party
    for party_id, party in parties.items():
        party["details"]["lots"] = [str(number) for number in sorted(lot_numbers[party_id])]
    return [central_purchasing_body(), *parties.values()]


# The award decision's suppliers per lot: pending during the standstill, active once awarded.
AWARD_STATUS = {
    Tender.Status.AWARD_DECISION: "pending",
    Tender.Status.AWARDED: "active",
    Tender.Status.CANCELLED: "cancelled",
}


def _awards(tender: Tender) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The suppliers as parties (role supplier, by KvK number where known) and one award per
    lot naming them in rank order. Empty before the award decision."""
    from suppliers.models import SupplierProfile

    rows = list(
        TenderAward.objects.filter(tender=tender)
        .select_related("lot", "supplier")
        .order_by("lot__number", "rank")
    )
    if not rows:
        return [], []
    kvk = dict(
        SupplierProfile.objects.filter(
            organisation_id__in={r.supplier_id for r in rows}
        ).values_list("organisation_id", "kvk_number")
    )
    parties: dict[str, dict[str, Any]] = {}
    awards: dict[int, dict[str, Any]] = {}
    status = AWARD_STATUS.get(Tender.Status(tender.status), "pending")
    for row in rows:
        number = kvk.get(row.supplier_id)
        party_id = f"NL-KVK-{number}" if number else f"X-GT-{row.supplier.slug}"
        if party_id not in parties:
            party: dict[str, Any] = {
                "id": party_id,
                "name": row.supplier.name,
                "roles": ["supplier"],
            }
            if number:
                party["identifier"] = {
                    "scheme": "NL-KVK",
                    "id": number,
                    "legalName": row.supplier.name,
                }
            parties[party_id] = party
        award = awards.setdefault(
            row.lot.number,
            {
                "id": f"{tender.reference}-{row.lot.number}",
                "title": str(row.lot),
                "status": status,
                "date": _instant(row.decided_at),
                "relatedLots": [str(row.lot.number)],
                "suppliers": [],
            },
        )
        award["suppliers"].append({"id": party_id, "name": row.supplier.name})
    return list(parties.values()), list(awards.values())


def _items(tender: Tender) -> list[dict[str, Any]]:
    """One item per category of each lot: its CPV code (without the check digit, as OCDS and
    TED write it), the estimated quantity over the whole term and its unit."""
    quantities = {
        (row["lot_id"], row["category_id"]): row["quantity"]
        for row in SnapshotTotal.objects.filter(snapshot=tender.snapshot, year__gt=0)
        .values("lot_id", "category_id")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    }
    items = []
    for lot in tender.lots.all():
        cpv_codes = list(lot.lot.cpv_codes.all())
        for category in lot.lot.categories.all():
            cpv = category.cpv_code
            item: dict[str, Any] = {
                "id": f"{lot.number}-{category.slug}",
                "description": category.name_nl,
                "classification": {
                    "scheme": "CPV",
                    "id": cpv.code.split("-")[0],
                    "description": cpv.label_nl or cpv.label_en,
                },
                "quantity": quantities.get((lot.lot_id, category.pk), 0),
                "unit": {"name": category.unit_nl},
                "relatedLot": str(lot.number),
            }
            others = [c for c in cpv_codes if c.pk != cpv.pk]
            if others:
                item["additionalClassifications"] = [
                    {"scheme": "CPV", "id": c.code.split("-")[0], "description": c.label_nl}
                    for c in others
                ]
            items.append(item)
    return items


def _lots(tender: Tender, status: str) -> list[dict[str, Any]]:
    """Each lot with its estimated value; the framework's maximum value (eForms BT-271) in
    ``techniques.frameworkAgreement.value`` as OCDS for the EU maps it."""
    lots = []
    for lot in tender.lots.all():
        maximum = (
            f"Maximale hoeveelheid {number_format(lot.maximum_quantity, 0, force_grouping=True)}."
        )
        if lot.option_value:
            maximum += (
                " Maximale waarde van de verlengingsopties: "
                f"€ {number_format(lot.option_value, 2, force_grouping=True)}."
            )
        lots.append(
            _compact(
                {
                    "id": str(lot.number),
                    "title": lot.title,
                    "description": lot.description,
                    "status": status,
                    "value": _money(lot.estimated_value),
                    "techniques": {
                        "hasFrameworkAgreement": True,
                        "frameworkAgreement": {
                            "method": "withReopeningCompetition",
                            "value": _money(lot.maximum_value),
                            "description": maximum,
                        },
                    },
                }
            )
        )
    return lots


def _award_criteria_details(tender: Tender) -> str:
    parts = []
    for criterion in tender.criteria.all():
        kind = str(AwardCriterion.Kind(criterion.kind).label).lower()
        name = criterion.name if criterion.name.lower() == kind else f"{criterion.name} ({kind})"
        parts.append(f"{name}: {criterion.weight} punten")
    return "; ".join(parts)


def _contract_period(tender: Tender) -> dict[str, Any] | None:
    if tender.contract_start is None:
        return None
    programme = tender.programme
    start = tender.contract_start
    end = start.replace(year=start.year + programme.contract_years)
    extent = start.replace(year=start.year + programme.contract_years + programme.extension_years)
    return {
        "startDate": _instant(_day(start)),
        "endDate": _instant(_day(end)),
        "maxExtentDate": _instant(_day(extent)),
    }


def ocds_enquiries(*, tender: Tender) -> list[dict[str, Any]]:
    """Hook for the nota van inlichtingen slice: the published questions and answers as OCDS
    ``Enquiry`` objects (id, date, title, description, answer, dateAnswered, relatedLot),
    the asker never named."""
    return enquiries_ocds(tender=tender)


def ocds_release_build(
    *, tender: Tender, ocid: str, release_id: str, moment: datetime, tags: list[str]
) -> dict[str, Any]:
    """The release for ``tender`` as it stands now: parties, lots, items, values, periods,
    award criteria, documents and enquiries. Always in Dutch, whoever triggers it."""
    with translation.override("nl"):
        status = TENDER_STATUS[Tender.Status(tender.status)]
        enquiries = ocds_enquiries(tender=tender)
        estimate = sum((lot.estimated_value for lot in tender.lots.all()), Decimal(0))
        maximum = sum((lot.maximum_value for lot in tender.lots.all()), Decimal(0))
        eligibility = [r.text for r in tender.requirements.all() if r.kind in ELIGIBILITY]
        services = any(
            category.kind == "service"
            for lot in tender.lots.all()
            for category in lot.lot.categories.all()
        )
        tender_section = _compact(
            {
                "id": tender.reference,
                "title": tender.title,
                "description": tender.summary,
                "status": status,
                "procuringEntity": {
                    "id": central_purchasing_body()["id"],
                    "name": settings.OCDS_PUBLISHER_NAME,
                },
                "items": _items(tender),
                "value": _money(estimate),
                "procurementMethod": METHOD[Procedure(tender.procedure)],
                "procurementMethodDetails": str(Procedure(tender.procedure).label),
                "mainProcurementCategory": "goods",
                "additionalProcurementCategories": ["services"] if services else [],
                "awardCriteria": "ratedCriteria",
                "awardCriteriaDetails": _award_criteria_details(tender),
                "submissionMethod": (
                    ["electronicSubmission"] if tender.electronic_submission else ["written"]
                ),
                "eligibilityCriteria": "\n\n".join(eligibility),
                "tenderPeriod": _period(tender.publication_at, tender.bid_deadline_at),
                "enquiryPeriod": _period(tender.publication_at, tender.question_deadline_at),
                "hasEnquiries": bool(enquiries),
                "awardPeriod": _period(tender.opening_at, tender.award_decision_at),
                "contractPeriod": _contract_period(tender),
                "documents": ocds_documents(tender=tender),
                "lots": _lots(tender, status),
                "enquiries": enquiries,
                "amendments": ocds_amendments(tender=tender, release_id=release_id),
                "techniques": {
                    "hasFrameworkAgreement": True,
                    "frameworkAgreement": {
                        "method": "withReopeningCompetition",
                        "value": _money(maximum),
                        "buyerCategories": (
                            "De gemeenten, samenwerkingsverbanden en andere aanbestedende "
                            "diensten die als buyer zijn genoemd."
                        ),
                    },
                },
            }
        )
        suppliers, awards = _awards(tender)
        release = {
            "ocid": ocid,
            "id": release_id,
            "date": _instant(moment),
            "tag": tags,
            "initiationType": "tender",
            "language": "nl",
            "parties": [*_parties(tender), *suppliers],
            "tender": tender_section,
        }
        if awards:
            release["awards"] = awards
        return release


def ocds_release_id(*, ocid: str, number: int, tags: list[str]) -> str:
    return re.sub(r"[#\s]", "-", f"{ocid}-{number:03d}-{tags[0]}")


def ocds_package(*, tender: Tender, uri: str) -> dict[str, Any] | None:
    """The release package of every release published for ``tender`` (oldest first), exactly
    as stored; None before the first release."""
    releases = list(OcdsRelease.objects.filter(tender=tender).order_by("number"))
    if not releases:
        return None
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": _instant(releases[-1].date),
        "publisher": {
            "name": settings.OCDS_PUBLISHER_NAME,
            "scheme": "NL-KVK",
            "uid": settings.OCDS_CENTRAL_PURCHASING_BODY_KVK,
        },
        "license": settings.OCDS_LICENSE,
        "publicationPolicy": settings.OCDS_PUBLICATION_POLICY,
        "releases": [release.data for release in releases],
    }
    return _compact(package)


def ocds_package_public(*, reference: str, uri: str) -> dict[str, Any] | None:
    """The package of a published tender, for anyone; 404 for a draft or an unknown reference,
    None when nothing has been released yet."""
    # The package is the stored releases: no need for the tender's lots and criteria here.
    tender = Tender.objects.public().filter(reference=reference).only("pk").first()
    if tender is None:
        raise Http404
    return ocds_package(tender=tender, uri=uri)
