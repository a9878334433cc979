"""The demand workbook is made by a real worker, from the message the request sends after its
commit; and when the broker is down at that moment, the request still succeeds, the export
waits, and the sweep (sent as beat sends it) has it made once the broker is back."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db.models import F
from openpyxl import load_workbook

from catalog.models import Category
from municipalities.models import Demand, DemandVersion, DemandVersionLine, Participation
from tenders.models import ProgrammeExport
from tests.integration.test_lost_work import (
    WAIT,
    approve,
    send_sweeps,
    worker_on_own_broker,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.celery


def submitted_line(participation: Participation, municipality) -> None:
    """Version 1 of the approved participant's demand, with one line of 120 laptops."""
    demand = approve(participation)
    Demand.objects.filter(pk=demand.pk).update(status=Demand.Status.SUBMITTED)
    version = DemandVersion.objects.create(demand=demand, number=1, snapshot={}, sha256="0" * 64)
    DemandVersionLine.objects.create(
        version=version,
        municipality=municipality,
        category=Category.objects.get(slug="laptop"),
        year=participation.programme.contract_start_year,
        quantity=120,
    )


def asked(client, programme) -> ProgrammeExport:
    response = client.post(f"/programmas/{programme.slug}/inventarisatie/export")
    assert response.status_code == 302
    return ProgrammeExport.objects.get(public_id=response["Location"].rsplit("/", 1)[-1])


def downloaded_quantities(client, export: ProgrammeExport) -> list[int]:
    url = f"/programmas/{export.programme.slug}/exports/{export.public_id}"
    assert "De export is klaar." in client.get(url).content.decode()
    response = client.get(f"{url}/download")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_worker_makes_the_export_also_after_the_broker_was_down(
    personas,
    participation_a,
    municipalities,
    own_broker,
    worker_on_own_broker,  # noqa: F811 - the fixture imported above
    settings,
):
    worker = worker_on_own_broker
    settings.MEDIA_ROOT = str(worker.media_root)  # the worker's files, for the download
    submitted_line(participation_a, municipalities["a"])
    programme = participation_a.programme
    client = personas["project_team"].client()

    # The message sent at the commit reaches the worker, which makes the workbook.
    first = asked(client, programme)
    worker.wait_for(
        lambda: ProgrammeExport.objects.filter(pk=first.pk, status="done").exists(),
        timeout=WAIT,
        what="the export to be made",
    )
    assert downloaded_quantities(client, first) == [120]

    # The broker is down when the next one is asked for: the request succeeds, the export
    # waits, and the page says so.
    own_broker.stop()
    second = asked(client, programme)
    assert second != first and second.status == "queued"
    page = client.get(f"/programmas/{programme.slug}/exports/{second.public_id}")
    assert "De export wacht op zijn beurt." in page.content.decode()

    own_broker.start()
    from config.celery import app as celery_app

    worker.wait_for(
        lambda: celery_app.control.ping(destination=[worker.hostname], timeout=2.0),
        timeout=WAIT,
        what="the worker to reconnect to the broker",
    )
    send_sweeps(worker)  # too early: the message may still be on its way
    assert ProgrammeExport.objects.get(pk=second.pk).status == "queued"
    age = timedelta(minutes=settings.REQUEUE_LOST_AFTER_MINUTES, seconds=1)
    ProgrammeExport.objects.filter(pk=second.pk).update(requested_at=F("requested_at") - age)
    send_sweeps(worker)
    worker.wait_for(
        lambda: ProgrammeExport.objects.filter(pk=second.pk, status="done").exists(),
        timeout=WAIT,
        what="the export to be made after the broker came back",
    )
    assert downloaded_quantities(client, ProgrammeExport.objects.get(pk=second.pk)) == [120]
    # The newer export replaced the older one, file and all.
    assert list(ProgrammeExport.objects.all()) == [ProgrammeExport.objects.get(pk=second.pk)]
    assert len(list((worker.media_root / "tenders").rglob("*.xlsx"))) == 1
