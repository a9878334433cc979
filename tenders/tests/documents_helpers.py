"""Shared by the tests of the tender's documents: a draft tender on the frozen figures of
``tenders/tests/test_aggregation.py``'s small programme (3 participants, 2 lots), with a
timeline, award criteria, requirements and CPV codes."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import formats, translation

from catalog.models import CpvCode
from tenders.models import Tender
from tenders.services.tender import (
    CriterionData,
    RequirementData,
    award_criteria_set,
    requirements_set,
    tender_create,
    tender_timeline_set,
)
from tenders.tests.test_freeze import frozen

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CONTRACT_START = date(2028, 1, 3)
TIMELINE = {
    "publication_at": datetime(2027, 3, 1, 12, tzinfo=AMSTERDAM),
    "question_deadline_at": datetime(2027, 3, 15, 17, tzinfo=AMSTERDAM),
    "answers_at": datetime(2027, 3, 22, 17, tzinfo=AMSTERDAM),
    "bid_deadline_at": datetime(2027, 4, 12, 12, tzinfo=AMSTERDAM),
    "opening_at": datetime(2027, 4, 12, 13, tzinfo=AMSTERDAM),
    "award_decision_at": datetime(2027, 5, 10, 12, tzinfo=AMSTERDAM),
    "standstill_end_at": datetime(2027, 5, 31, 23, 59, tzinfo=AMSTERDAM),
}


def make_tender(setup, personas) -> Tender:
    frozen(setup, personas)
    actor = personas["project_team"].user
    lot1, lot2 = setup["lots"]
    lot1.cpv_codes.set(CpvCode.objects.order_by("code")[:2])
    lot2.cpv_codes.set(CpvCode.objects.order_by("-code")[:1])
    tender = tender_create(actor=actor, programme=setup["programme"])
    tender_timeline_set(actor=actor, tender=tender, contract_start=CONTRACT_START, **TIMELINE)
    award_criteria_set(
        actor=actor,
        tender=tender,
        criteria=[
            CriterionData(kind="price", name="Prijs", weight=40),
            CriterionData(kind="quality", name="Plan van aanpak levering", weight=35),
            CriterionData(kind="sustainability", name="Circulariteit", weight=25),
        ],
    )
    requirements_set(
        actor=actor,
        tender=tender,
        requirements=[
            RequirementData(
                kind="tco_certified",
                level="generatie 10",
                text="Alle apparaten zijn TCO Certified.",
            ),
            RequirementData(
                kind="sroi",
                amount=Decimal("5"),
                text="5% van de omzet als social return.",
                lots=(1,),
            ),
        ],
    )
    tender.refresh_from_db()
    return tender


def pdf_text(path: str | Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    assert out.returncode == 0, out.stderr.decode()
    # Lines wrap differently from the source; compare words, not line breaks.
    return " ".join(out.stdout.decode("utf-8").split())


def pdf_info(path: str | Path) -> str:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True)
    assert out.returncode == 0, out.stderr.decode()
    return out.stdout.decode("utf-8")


def euro(value: Decimal) -> str:
    """An amount as the documents show it: "€ 1.234,50"."""
    with translation.override("nl"):
        return "€ " + formats.number_format(value, 2, force_grouping=True)


def whole(value: int) -> str:
    with translation.override("nl"):
        return formats.number_format(value, 0, force_grouping=True)


def pdf_objects(content: bytes) -> bytes:
    """The PDF's objects with its compressed streams unpacked (the catalog, with its language,
    sits in a compressed object stream)."""
    import re
    import zlib

    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
