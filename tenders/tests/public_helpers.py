"""A published tender on the frozen figures of the small ``setup`` (3 participants, 2 lots),
for the tests of the public tender page and its subscriptions."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

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


def published_tender(setup, personas, *, status: str = Tender.Status.PUBLISHED) -> Tender:
    """The tender of ``setup``'s programme, published (straight into the database: publishing
    itself is another part's to test)."""
    frozen(setup, personas)
    actor = personas["project_team"].user
    tender = tender_create(actor=actor, programme=setup["programme"], reference="VNG-GT-AGG")
    award_criteria_set(
        actor=actor,
        tender=tender,
        criteria=[
            CriterionData(kind="price", name="Prijs", weight=40),
            CriterionData(kind="quality", name="Plan van aanpak", weight=35),
            CriterionData(kind="sustainability", name="Circulariteit", weight=25),
        ],
    )
    requirements_set(
        actor=actor,
        tender=tender,
        requirements=[
            RequirementData(kind="tco_certified", level="generatie 10", text="TCO Certified."),
            RequirementData(kind="sroi", amount=Decimal("5"), text="5% SROI.", lots=(1,)),
        ],
    )
    tender_timeline_set(
        actor=actor,
        tender=tender,
        publication_at=datetime(2027, 3, 1, 9, 0, tzinfo=AMSTERDAM),
        question_deadline_at=datetime(2027, 3, 22, 17, 0, tzinfo=AMSTERDAM),
        answers_at=datetime(2027, 3, 29, 17, 0, tzinfo=AMSTERDAM),  # Tweede paasdag
        bid_deadline_at=datetime(2027, 4, 12, 17, 0, tzinfo=AMSTERDAM),
        contract_start=None,
    )
    Tender.objects.filter(pk=tender.pk).update(
        status=status, published_at=timezone.now(), published_by=actor
    )
    tender.refresh_from_db()
    return tender


def lot_row_cells(html: str, number: int) -> list[str]:
    """The texts of the cells of lot ``number``'s row in the lots table."""
    row = re.search(rf'<tr[^>]*data-lot="{number}">(.*?)</tr>', html, re.S)
    assert row, f"no row for lot {number}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells]
