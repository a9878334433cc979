"""The demand and aggregation workbooks are made by a worker (tenders.services.exports): asked
for with a button, followed on a page that shows the rows written, downloaded when ready, made
once, kept until a newer one is ready, tried again after a failure. The task sent to a real
worker is in tests/integration/test_programme_export_worker.py."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tenders.models import Programme, ProgrammeExport
from tenders.services import exports as export_services
from tenders.services.exports import (
    EXPORT_JOB,
    export_make,
    export_mark_failed,
    export_request,
)
from tenders.tests.export_jobs import export_asked, export_downloaded
from tenders.tests.test_aggregation import run_now, setup, submit  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
BASE = "/programmas/gt-agg"
DEMAND = f"{BASE}/inventarisatie/export"


@pytest.fixture
def data(setup):  # noqa: F811 - the fixture imported above
    submit(setup, "a", [("GM9101", "laptop", 2028, 100), ("GM9101", "monitor", 2029, 20)])
    submit(setup, "b", [("GM9102", "laptop", 2028, 10)])
    setup["snapshot"] = run_now(setup["programme"])
    return setup


def status_url(export: ProgrammeExport) -> str:
    return f"{BASE}/exports/{export.public_id}"


def test_asking_queues_one_export_and_sends_its_task_after_the_commit(
    personas, data, django_capture_on_commit_callbacks
):
    client = personas["project_team"].client()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = export_asked(client, DEMAND)
    assert (export.status, export.kind, export.snapshot) == ("queued", "demand", None)
    assert export.requested_by == personas["project_team"].user
    assert len(callbacks) == 1
    # Asked again while it waits: the same export, no second task.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert export_asked(client, DEMAND) == export
    assert callbacks == []
    assert ProgrammeExport.objects.count() == 1
    # A GET makes nothing.
    assert client.get(DEMAND).status_code == 405
    assert ProgrammeExport.objects.count() == 1


def test_the_status_page_shows_the_wait_the_progress_and_then_the_download(personas, data):
    client = personas["project_team"].client()
    export = export_asked(client, DEMAND)
    page = client.get(status_url(export)).content.decode()
    assert "In de wachtrij" in page and 'hx-trigger="every 2s"' in page
    assert re.search(r'<div role="status"><p id="export-sentence"', page)
    assert "/download" not in page
    assert client.get(f"{status_url(export)}/download").status_code == 404

    ProgrammeExport.objects.filter(pk=export.pk).update(
        status="running", rows_done=5000, rows_total=20000
    )
    part = client.get(f"{status_url(export)}?gezien=queued", headers={"HX-Request": "true"})
    html = part.content.decode()
    assert html.lstrip().startswith('<div id="export-status"')  # the part only
    assert '<progress max="20000" value="5000"' in html
    assert "5.000 van 20.000 rijen geschreven (25%)" in html
    # The status changed since the page looked: its sentence goes to the live region.
    assert '<p id="export-sentence" class="utrecht-paragraph" hx-swap-oob="true">' in html
    assert "De export wordt gemaakt." in html
    assert 'hx-get="' + status_url(export) + '?gezien=running"' in html
    # Unchanged since: only the part, nothing for the live region to announce again.
    again = client.get(f"{status_url(export)}?gezien=running", headers={"HX-Request": "true"})
    assert "export-sentence" not in again.content.decode()

    ProgrammeExport.objects.filter(pk=export.pk).update(status="queued")
    export_make(export_id=export.pk)
    page = client.get(status_url(export)).content.decode()
    assert "Klaar" in page and "every 2s" not in page
    assert "3 rijen" in page
    download = client.get(f"{status_url(export)}/download")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith(
        'attachment; filename="inventarisatie-gt-agg-'
    )
    assert "no-store" in download["Cache-Control"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sorted((row[3], row[6]) for row in lines) == [
        ("laptop", 10),
        ("laptop", 100),
        ("monitor", 20),
    ]


def test_progress_is_written_while_the_workbook_is_made(personas, data, monkeypatch):
    """Every PROGRESS_EVERY rows the worker commits how far it is; here after every row."""
    monkeypatch.setattr("tenders.exports.PROGRESS_EVERY", 1)
    export = export_asked(personas["project_team"].client(), DEMAND)
    with CaptureQueriesContext(connection) as queries:
        export_make(export_id=export.pk)
    updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "tenders_programmeexport" SET "rows_done"')
    ]
    assert len(updates) == 3
    export.refresh_from_db()
    assert (export.status, export.rows_done, export.rows_total) == ("done", 3, 3)
    assert export.percent_done == 100


def test_the_workbook_speaks_the_language_of_who_asked(personas, data):
    client = personas["project_team"].client()
    dutch = export_downloaded(client, DEMAND)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = export_downloaded(client, DEMAND)
    headers = [
        next(load_workbook(io.BytesIO(r.content_bytes)).worksheets[0].iter_rows(values_only=True))[
            0
        ]
        for r in (dutch, english)
    ]
    assert headers == ["Deelnemende organisatie", "Participating organisation"]


def test_an_aggregation_export_that_is_ready_is_not_made_again(personas, data):
    """A snapshot never changes, so neither does its workbook: asking again shows the one
    that is ready, and a message delivered twice does not write it twice."""
    client = personas["project_team"].client()
    url = f"{BASE}/aggregatie/{data['snapshot'].public_id}/export.xlsx"
    first = export_downloaded(client, url)
    export = ProgrammeExport.objects.get()
    assert (export.kind, export.snapshot) == ("aggregation", data["snapshot"])
    with CaptureQueriesContext(connection) as queries:
        assert export_asked(client, url) == export
    assert not [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    name, sha256 = export.file.name, export.sha256
    export_make(export_id=export.pk)  # the task's message, delivered again
    export.refresh_from_db()
    assert (export.file.name, export.sha256) == (name, sha256)
    assert ProgrammeExport.objects.count() == 1
    assert first.content_bytes == export.file.open("rb").read()


def test_a_newer_demand_export_replaces_the_older_one(
    personas, data, django_capture_on_commit_callbacks
):
    client = personas["project_team"].client()
    older = export_asked(client, DEMAND)
    export_make(export_id=older.pk)
    older.refresh_from_db()
    assert default_storage.exists(older.file.name)
    submit(data, "jb", [("GM9103", "monitor", 2029, 30)])
    newer = export_asked(client, DEMAND)
    assert newer != older  # the demand changes: a new export, not the ready one
    with django_capture_on_commit_callbacks(execute=True):
        export_make(export_id=newer.pk)
    assert list(ProgrammeExport.objects.all()) == [newer]
    assert not default_storage.exists(older.file.name)
    assert client.get(status_url(older)).status_code == 404
    newer.refresh_from_db()
    assert newer.rows_total == 4


def test_a_failed_export_says_why_and_can_be_tried_again(
    personas, data, django_capture_on_commit_callbacks
):
    client = personas["project_team"].client()
    export = export_asked(client, DEMAND)
    export_mark_failed(export_id=export.pk, error="OperationalError: the database went away")
    page = client.get(status_url(export)).content.decode()
    assert "Mislukt" in page and "the database went away" in page
    assert "every 2s" not in page
    assert f'action="{status_url(export)}/opnieuw"' in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"{status_url(export)}/opnieuw")
    assert response.status_code == 302 and response["Location"] == status_url(export)
    assert len(callbacks) == 1
    export.refresh_from_db()
    assert (export.status, export.error) == ("queued", "")
    # Retrying a queued export sends nothing more.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"{status_url(export)}/opnieuw")
    assert callbacks == []


def test_a_failure_while_writing_leaves_no_file_and_the_task_fails_it(personas, data, monkeypatch):
    export = export_asked(personas["project_team"].client(), DEMAND)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_services, "demand_overview_xlsx", broken)
    with pytest.raises(RuntimeError):
        export_make(export_id=export.pk)
    export.refresh_from_db()
    assert (export.status, export.file.name) == ("running", "")  # the task retries or fails it
    export_mark_failed(export_id=export.pk, error="RuntimeError: disk full")
    export.refresh_from_db()
    assert (export.status, export.error) == ("failed", "RuntimeError: disk full")


def test_an_export_of_another_programme_is_not_found(personas, data):
    client = personas["project_team"].client()
    export = export_asked(client, DEMAND)
    Programme.objects.create(slug="gt-other", name="GT Other", contract_start_year=2028)
    assert client.get(f"/programmas/gt-other/exports/{export.public_id}").status_code == 404


def test_the_task_and_its_sweep(personas, data):
    from tenders.tasks import programme_export_make_task

    assert programme_export_make_task.name == EXPORT_JOB.task_name
    assert EXPORT_JOB.lost_after is not None
    longest = programme_export_make_task.time_limit + programme_export_make_task.retry_backoff_max
    assert EXPORT_JOB.lost_after.total_seconds() >= longest + 60
    # Not a render: the workbooks do not wait behind the PDFs on their queue.
    assert not re.fullmatch(r".*_render_task", programme_export_make_task.name)


def test_only_for_the_project_team(personas, data):
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        export_request(actor=personas["editor_a"].user, programme=data["programme"], kind="demand")
    assert not ProgrammeExport.objects.exists()


def test_the_database_holds_one_unfinished_export_of_a_kind(data):
    from django.db import IntegrityError, transaction

    programme, snapshot = data["programme"], data["snapshot"]
    ProgrammeExport.objects.create(programme=programme, kind="demand")
    ProgrammeExport.objects.create(programme=programme, kind="aggregation", snapshot=snapshot)
    for values in ({"kind": "demand"}, {"kind": "aggregation", "snapshot": snapshot}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProgrammeExport.objects.create(programme=programme, status="running", **values)
    # A demand export names no snapshot; an aggregation export names one.
    for values in ({"kind": "demand", "snapshot": snapshot}, {"kind": "aggregation"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProgrammeExport.objects.create(programme=programme, status="done", **values)
    ProgrammeExport.objects.create(programme=programme, kind="demand", status="done")


def test_the_page_of_an_aggregation_export_does_not_read_the_frozen_authorities(personas, data):
    """The snapshot's list of every authority (6,840 entries at ten times the Netherlands) is
    not decoded for a page that names the snapshot by its time."""
    client = personas["project_team"].client()
    export = export_asked(client, f"{BASE}/aggregatie/{data['snapshot'].public_id}/export.xlsx")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(status_url(export))
    assert page.status_code == 200 and "Berekening van" in page.content.decode()
    assert not [
        q
        for q in queries.captured_queries
        if '"tenders_aggregationsnapshot"."authorities"' in q["sql"]
    ]


def test_a_failure_after_the_file_was_stored_leaves_no_file(personas, data, monkeypatch):
    """The file is stored before the row is marked ready; when that fails, the transaction
    rolls back and the stored file, which no export names, is deleted again."""
    from django.db import DatabaseError

    from portal import jobs

    export = export_asked(personas["project_team"].client(), DEMAND)
    stored = []
    original = type(export.file).save

    def recording_save(field_file, name, content, save=True):
        original(field_file, name, content, save=save)
        stored.append(field_file.name)

    def refusing(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(type(export.file), "save", recording_save)
    monkeypatch.setattr(jobs, "mark_done", refusing)
    with pytest.raises(DatabaseError):
        export_make(export_id=export.pk)
    assert stored and not default_storage.exists(stored[0])
    export.refresh_from_db()
    assert (export.status, export.file.name) == ("running", "")
