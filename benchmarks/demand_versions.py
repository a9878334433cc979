"""Generated demand versions as a submit writes them: with the JSON copy of every line and its
hash (``municipalities.selectors.demand.snapshot_of``), so pages that read versions carry the
weight of real data. Used by benchmarks/generate.py and benchmarks/generate_tender.py."""

from __future__ import annotations

import hashlib
import json

from municipalities.models import DemandLine, DemandVersion, DemandVersionLine


def submitted_version(demand, participation, quantities_of, years) -> DemandVersion:
    """Version 1 of a demand with its JSON copy in the shape ``snapshot_of`` writes."""
    snapshot = {
        "participation": str(participation.public_id),
        "programme": participation.programme.slug,
        "organisation": participation.organisation.slug,
        "years": list(years),
        "lines": sorted(
            (
                {
                    "municipality": m.cbs_code,
                    "category": category.slug,
                    "year": year,
                    "quantity": quantity,
                    "min": None,
                    "max": None,
                }
                for (m, category, year), quantity in quantities_of.items()
            ),
            key=lambda row: (row["municipality"], row["category"], row["year"]),
        ),
        "options": [],
        "profiles": [],
    }
    encoded = json.dumps(snapshot, sort_keys=True, separators=(",", ":")).encode()
    return DemandVersion(
        demand=demand, number=1, snapshot=snapshot, sha256=hashlib.sha256(encoded).hexdigest()
    )


def write_submitted_demand(demands, participations, quantities, years) -> None:
    """For each demand (of the participation in the same place), version 1 with its JSON copy
    and the lines of both the working copy and the version: ``quantities`` holds per demand
    (municipality, category, year) → quantity."""
    versions = DemandVersion.objects.bulk_create(
        [
            submitted_version(demand, participation, quantities_of, years)
            for demand, participation, quantities_of in zip(
                demands, participations, quantities, strict=True
            )
        ],
        batch_size=500,
    )
    lines, version_lines = [], []
    for demand, version, quantities_of in zip(demands, versions, quantities, strict=True):
        for (m, category, year), quantity in quantities_of.items():
            lines.append(
                DemandLine(
                    demand=demand, municipality=m, category=category, year=year, quantity=quantity
                )
            )
            version_lines.append(
                DemandVersionLine(
                    version=version, municipality=m, category=category, year=year, quantity=quantity
                )
            )
    DemandLine.objects.bulk_create(lines, batch_size=5000)
    DemandVersionLine.objects.bulk_create(version_lines, batch_size=5000)
