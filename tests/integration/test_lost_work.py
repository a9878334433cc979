"""Work is never lost, shown with a real worker on a Redis broker of the test's own:

- the broker is down while a demand is submitted and a mandate requested: both requests
  succeed and store their data; once the broker is back, the periodic sweeps (sent as beat
  sends them, through ``apply_async``) make the aggregation run and the mandate PDF, once;
- the whole worker is killed (SIGKILL) while it renders a mandate: after a restart, the sweep
  sends the job again once it has run past its time limit, and the PDF exists once.

Time is not waited for: where the operations guide says "after five minutes", the job's
timestamp is moved back by that much, and the sweep before that is shown to leave it alone.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F
from django.urls import reverse

from catalog.services import catalog_load_reference
from config.celery import app as celery_app
from municipalities.models import DemandVersion, MandateDocument, Participation
from municipalities.services.demand import demand_for_participation
from municipalities.services.mandates import MANDATE_JOB
from portal import jobs
from tenders.models import AggregationRun, AggregationSnapshot
from tests.integration.fixtures import CeleryWorker, publishing_to, spawn_worker, stop_worker

pytestmark = pytest.mark.celery

# The version names the signer recorded for the registration; the form carries nothing else.
SIGNATORY: dict[str, str] = {}
SWEEPS = (
    "municipalities.requeue_lost_work_task",
    "tenders.requeue_lost_work_task",
    "portal.outbox_sweep_task",
)
# Generous for a loaded two-core machine; the tests poll and never assert a duration.
WAIT = 120.0


def approve(participation: Participation):
    """The project team approves the registration (which ends changes to the mandate)."""
    catalog_load_reference()
    Participation.objects.filter(pk=participation.pk).update(status="approved")
    participation.refresh_from_db()
    return demand_for_participation(participation=participation)


@pytest.fixture
def worker_on_own_broker(own_broker, transactional_db, tmp_path) -> Iterator[CeleryWorker]:
    worker = spawn_worker(broker_url=own_broker.url, workdir=tmp_path)
    try:
        with publishing_to(worker):
            yield worker
    finally:
        stop_worker(worker.process)


def send_sweeps(worker: CeleryWorker) -> None:
    """Send every requeue sweep as beat does, and wait until the worker has run each."""
    celery_app.loader.import_default_modules()
    ids = []
    for name in SWEEPS:
        entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == name)
        ids.append(celery_app.tasks[name].apply_async(**entry.get("options", {})).id)

    def all_ran():
        log = worker.log()
        return all(re.search(rf"\[{task_id}\] succeeded", log) for task_id in ids)

    worker.wait_for(all_ran, timeout=WAIT, what="the sweeps to run")


def pdfs(worker: CeleryWorker) -> list[Path]:
    """Every mandate PDF the worker wrote (the media directory is this test's own)."""
    return sorted((worker.media_root / "mandates").rglob("*.pdf"))


def test_broker_down_while_demand_is_submitted_and_mandate_requested(
    personas,
    participation_a,
    own_broker,
    worker_on_own_broker,
):
    worker = worker_on_own_broker
    client = personas["editor_a"].client()
    mandate_url = reverse("municipalities:mandate", args=[participation_a.public_id])
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', client.get(mandate_url).text)
    assert key

    own_broker.stop()
    requested = client.post(mandate_url, {**SIGNATORY, "idempotency_key": key.group(1)})
    demand = approve(participation_a)
    submitted = client.post(
        reverse("municipalities:demand-check", args=[demand.public_id]),
        {"revision": demand.revision},
    )

    assert (submitted.status_code, requested.status_code) == (302, 302)
    assert client.get(submitted["Location"]).status_code == 200
    page = client.get(requested["Location"])
    assert page.status_code == 200
    assert "We maken het document zodra het kan." in page.text
    assert DemandVersion.objects.filter(demand=demand).count() == 1
    document = MandateDocument.objects.get(participation=participation_a)
    run = AggregationRun.objects.get(programme=participation_a.programme)
    assert (document.status, run.status) == ("queued", "queued")

    # The broker returns, empty: the messages sent at the commits never reached it.
    own_broker.start()
    worker.wait_for(
        lambda: celery_app.control.ping(destination=[worker.hostname], timeout=2.0),
        timeout=WAIT,
        what="the worker to reconnect to the broker",
    )
    # A sweep right away leaves jobs that may still be on their way alone.
    send_sweeps(worker)
    assert MandateDocument.objects.get(pk=document.pk).status == "queued"
    assert AggregationRun.objects.get(pk=run.pk).status == "queued"

    # REQUEUE_LOST_AFTER_MINUTES later, the next sweep sends both again.
    age = timedelta(minutes=settings.REQUEUE_LOST_AFTER_MINUTES, seconds=1)
    MandateDocument.objects.filter(pk=document.pk).update(created_at=F("created_at") - age)
    AggregationRun.objects.filter(pk=run.pk).update(requested_at=F("requested_at") - age)
    send_sweeps(worker)
    worker.wait_for(
        lambda: (
            MandateDocument.objects.filter(pk=document.pk, status="done").exists()
            and AggregationRun.objects.filter(pk=run.pk, status="done").exists()
        ),
        timeout=WAIT,
        what="the mandate and the aggregation run",
    )

    # Later sweeps find nothing to do: the work was done once.
    send_sweeps(worker)
    document.refresh_from_db()
    assert pdfs(worker) == [worker.media_root / document.file.name]
    assert MandateDocument.objects.filter(participation=participation_a).count() == 1
    assert AggregationRun.objects.filter(programme=participation_a.programme).count() == 1
    assert AggregationSnapshot.objects.filter(run=run).count() == 1


def test_worker_killed_mid_render_then_restarted(
    personas,
    participation_a,
    own_broker,
    transactional_db,
    tmp_path,
):
    started = tmp_path / "render-started"
    media_root = tmp_path / "media"
    media_root.mkdir()
    # This worker blocks inside the render until it is killed (tests.integration.slow_render).
    slow = spawn_worker(
        broker_url=own_broker.url,
        workdir=tmp_path,
        media_root=media_root,
        app="tests.integration.slow_render",
        extra_env={"SLOW_RENDER_STARTED": str(started)},
    )
    try:
        with publishing_to(slow):
            client = personas["editor_a"].client()
            url = reverse("municipalities:mandate", args=[participation_a.public_id])
            assert client.post(url, SIGNATORY).status_code == 302
            slow.wait_for(started.exists, timeout=WAIT, what="the render to start")
            document = MandateDocument.objects.get(participation=participation_a)
            assert document.status == "running"
            os.kill(slow.process.pid, signal.SIGKILL)
            slow.process.wait(timeout=30)
    finally:
        stop_worker(slow.process)

    worker = spawn_worker(broker_url=own_broker.url, workdir=tmp_path, media_root=media_root)
    try:
        with publishing_to(worker):
            # The page shows the job as still being made, and the sweep leaves it alone until
            # it has run longer than its task may (MANDATE_JOB.lost_after).
            lost = jobs.lost_filter(
                MANDATE_JOB, older_than=timedelta(minutes=settings.REQUEUE_LOST_AFTER_MINUTES)
            )
            assert not MandateDocument.objects.filter(lost, pk=document.pk).exists()
            send_sweeps(worker)
            assert MandateDocument.objects.get(pk=document.pk).status == "running"

            assert MANDATE_JOB.lost_after is not None
            MandateDocument.objects.filter(pk=document.pk).update(
                claimed_at=F("claimed_at") - MANDATE_JOB.lost_after - timedelta(seconds=1)
            )
            send_sweeps(worker)
            worker.wait_for(
                lambda: MandateDocument.objects.filter(pk=document.pk, status="done").exists(),
                timeout=WAIT,
                what="the mandate to be rendered after the restart",
            )
            send_sweeps(worker)
            document.refresh_from_db()
            assert pdfs(worker) == [worker.media_root / document.file.name]
            assert MandateDocument.objects.filter(participation=participation_a).count() == 1
    finally:
        stop_worker(worker.process)
