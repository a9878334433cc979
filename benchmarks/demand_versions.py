"""A generated demand version as a submit writes it: with the JSON copy of every line and its
hash (``municipalities.selectors.demand.snapshot_of``), so pages that read versions carry the
weight of real data. Used by benchmarks/generate.py and benchmarks/generate_tender.py."""

from __future__ import annotations

import hashlib
import json

from municipalities.models import DemandVersion


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
