"""The whole document set for a programme of all 342 municipalities, made by a real Celery
worker: the annex names every authority with its CBS code, and the volume annex has the frozen
snapshot's totals."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from catalog.models import Category, ReferencePrice
from catalog.services import catalog_load_reference
from municipalities.models import (
    CoveredMunicipality,
    Demand,
    DemandVersion,
    DemandVersionLine,
    Municipality,
    Participation,
)
from municipalities.services import municipality_register_load
from portal.models import Organisation
from tenders.models import (
    DocumentVersion,
    EuThreshold,
    Lot,
    LotAuthority,
    Milestone,
    Programme,
    SnapshotLotTotal,
    TenderDocument,
)
from tenders.services.aggregation import aggregation_request, aggregation_run
from tenders.services.documents import documents_request
from tenders.services.freeze import snapshot_freeze
from tenders.services.tender import (
    CriterionData,
    award_criteria_set,
    tender_create,
    tender_timeline_set,
)
from tenders.tests.documents_helpers import CONTRACT_START, TIMELINE, euro, pdf_text, whole

K = TenderDocument.Kind
V = DocumentVersion.Status


@pytest.fixture
def national(transactional_db, personas):
    """Every municipality of the register joins for itself with demand for laptops and
    smartphones; the snapshot is frozen and the tender made before the worker listens."""
    municipality_register_load()
    catalog_load_reference()
    laptop, phone = Category.objects.get(slug="laptop"), Category.objects.get(slug="smartphone")
    for category, price in ((laptop, "900"), (phone, "450")):
        ReferencePrice.objects.create(
            category=category, unit_price=Decimal(price), valid_from="2020-01-01", source="test"
        )
    EuThreshold.objects.create(amount=Decimal("216000"), valid_from="2026-01-01")
    programme = Programme.objects.create(
        slug="gt-nl",
        name="GT Nederland",
        status="joining",
        contract_start_year=2028,
        contract_years=2,
    )
    Milestone.objects.create(
        programme=programme,
        kind=Milestone.Kind.DEMAND_DEADLINE,
        due_at=timezone.now() - timedelta(days=1),
    )
    Lot.objects.create(programme=programme, number=1, name="Werkplek").categories.set([laptop])
    Lot.objects.create(programme=programme, number=2, name="Mobiel").categories.set([phone])
    municipalities = list(Municipality.objects.current().order_by("cbs_code"))
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                slug=f"org-{m.cbs_code.lower()}", name=f"Gemeente {m}", kind="municipality"
            )
            for m in municipalities
        ]
    )
    participations = Participation.objects.bulk_create(
        [
            Participation(programme=programme, organisation=o, status="approved")
            for o in organisations
        ]
    )
    CoveredMunicipality.objects.bulk_create(
        [
            CoveredMunicipality(participation=p, municipality=m, programme=programme)
            for p, m in zip(participations, municipalities, strict=True)
        ]
    )
    demands = Demand.objects.bulk_create(
        [Demand(participation=p, status="submitted") for p in participations]
    )
    versions = DemandVersion.objects.bulk_create(
        [DemandVersion(demand=d, number=1, snapshot={}, sha256="0" * 64) for d in demands]
    )
    DemandVersionLine.objects.bulk_create(
        [
            DemandVersionLine(
                version=v, municipality=m, category=c, year=year, quantity=10 + i % 50
            )
            for i, (v, m) in enumerate(zip(versions, municipalities, strict=True))
            for c in (laptop, phone)
            for year in (2028, 2029)
        ]
    )
    actor = personas["project_team"].user
    with transaction.atomic():
        run = aggregation_request(programme=programme, reason="test")
    snapshot = aggregation_run(run_id=run.pk)
    snapshot_freeze(actor=actor, snapshot=snapshot)
    tender = tender_create(actor=actor, programme=programme)
    tender_timeline_set(actor=actor, tender=tender, contract_start=CONTRACT_START, **TIMELINE)
    award_criteria_set(
        actor=actor,
        tender=tender,
        criteria=[CriterionData("price", "Prijs", 60), CriterionData("quality", "Kwaliteit", 40)],
    )
    return tender, len(municipalities)


@pytest.mark.celery
def test_the_worker_makes_the_set_for_all_342_municipalities(national, celery_worker, personas):
    tender, count = national
    assert count == 342
    with transaction.atomic():
        versions = documents_request(actor=personas["project_team"].user, tender=tender)

    def done():
        rows = list(DocumentVersion.objects.filter(pk__in=[v.pk for v in versions]))
        failed = [v for v in rows if v.status == V.FAILED]
        if failed:
            pytest.fail(f"Rendering failed: {failed[0].error}")
        return all(v.status == V.DONE for v in rows)

    celery_worker.wait_for(done, timeout=300, what="the document set for 342 authorities")
    made = {
        v.document.kind: v
        for v in DocumentVersion.objects.filter(document__tender=tender).select_related("document")
    }
    annex = pdf_text(made[K.AUTHORITIES].file.path)
    flat = re.sub(r"\s+", " ", annex)
    authorities = LotAuthority.objects.filter(snapshot=tender.snapshot)
    assert authorities.count() == 2 * 342  # every municipality under both lots
    for authority in authorities:
        assert authority.identifier in annex, authority.name
        assert authority.name in flat, authority.name
    volumes = pdf_text(made[K.VOLUMES].file.path)
    for total in SnapshotLotTotal.objects.filter(snapshot=tender.snapshot):
        year = str(total.year) if total.year else "Hele looptijd"
        row = " ".join(
            [
                year,
                whole(total.quantity),
                whole(total.maximum_quantity),
                euro(total.estimated_value),
                euro(total.maximum_value),
            ]
        )
        assert row in volumes
