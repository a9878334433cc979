"""The benchmark's generated demand versions look like submitted ones: the same JSON copy of
every line, with the hash a submit writes, so pages that read versions are measured with the
weight real data gives them (benchmarks/generate.py)."""

from __future__ import annotations

import hashlib
import json

import pytest

from benchmarks.demand_versions import submitted_version
from catalog.models import Category
from municipalities.models import DemandLine
from municipalities.selectors.demand import snapshot_of, working_data
from municipalities.tests.test_demand import demand  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_generated_version_holds_what_a_submit_would_write(demand, municipalities):  # noqa: F811
    participation = demand.participation
    years = participation.programme.years
    covered = [
        m for m in municipalities.values() if m.organisation_id == participation.organisation_id
    ]
    categories = list(Category.objects.exclude(kind=Category.Kind.SERVICE)[:3])
    quantities = {
        (m, category, year): 10 * i + year % 7
        for i, (m, category, year) in enumerate(
            (m, c, y) for m in covered for c in categories for y in years
        )
    }
    DemandLine.objects.bulk_create(
        DemandLine(demand=demand, municipality=m, category=c, year=y, quantity=q)
        for (m, c, y), q in quantities.items()
    )
    version = submitted_version(demand, participation, quantities, years)
    expected = snapshot_of(demand, working_data(demand))
    assert len(expected["lines"]) == len(quantities) > 0
    assert version.snapshot == expected
    encoded = json.dumps(expected, sort_keys=True, separators=(",", ":")).encode()
    assert version.sha256 == hashlib.sha256(encoded).hexdigest()
