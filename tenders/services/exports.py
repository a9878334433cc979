"""Exports of a programme made by a worker (docs/decisions/0034): the demand inventory with
every line and the aggregation with every participant's contribution. At ten times the
Netherlands each is a million cells and takes seconds; a web request would hold a web worker
that long, and a person would look at a browser that seems to hang. The project team asks for
one, sees it being made (rows written of rows to write) and downloads it when it is ready.

The lifecycle is ``portal.jobs``: asked for in a transaction, sent after the commit, claimed by
one worker, made once (a message delivered twice finds it done), failed with its reason after
the last attempt, sent again by the sweep when its message was lost."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import IO

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from portal import jobs
from portal.models import User
from portal.tenancy import require
from tenders.exports import aggregation_snapshot_xlsx, demand_overview_xlsx
from tenders.models import AggregationSnapshot, Programme, ProgrammeExport
from tenders.selectors import aggregation as aggregation_selectors
from tenders.selectors import demand_follow_up
from tenders.selectors import demand_overview as demand_overview_selectors

E = ProgrammeExport.Status
EXPORT_JOB = jobs.JobKind(
    ProgrammeExport,
    task_name="tenders.programme_export_make_task",
    requested_at_field="requested_at",
    claimed_at_field="claimed_at",
    # The task's hard limit (360 s), its longest retry countdown (120 s) and a minute.
    lost_after=timedelta(minutes=9),
)


def export_request(
    *,
    actor: User,
    programme: Programme,
    kind: str,
    snapshot: AggregationSnapshot | None = None,
    language: str = "",
) -> ProgrammeExport:
    """Ask for an export of ``programme``; a worker makes it after the commit. An export of the
    same kind (and snapshot) that is still being made is returned instead of a second one. An
    aggregation export that is ready is returned as it is: a snapshot never changes, so its
    workbook would come out the same. The demand changes, so its export is made anew."""
    require(bool(actor.is_authenticated and actor.is_project_team))
    if kind not in ProgrammeExport.Kind.values:
        raise ValueError(f"Unknown export {kind!r}")
    if (kind == ProgrammeExport.Kind.AGGREGATION) != (snapshot is not None):
        raise ValueError("An aggregation export is of a snapshot; a demand export is not")
    if snapshot is not None and snapshot.programme_id != programme.pk:
        raise ValueError("The snapshot is of another programme")
    with transaction.atomic():
        # The programme's row serialises two requests at the same moment: the second sees the
        # first's export instead of running into the one-unfinished constraint.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        same = ProgrammeExport.objects.filter(programme=programme, kind=kind, snapshot=snapshot)
        wanted = [E.QUEUED, E.RUNNING]
        if snapshot is not None:
            wanted.append(E.DONE)
        existing = same.filter(status__in=wanted).order_by("-requested_at", "-id").first()
        if existing is not None:
            return existing
        export = ProgrammeExport.objects.create(
            programme=programme,
            kind=kind,
            snapshot=snapshot,
            language=language or translation.get_language() or "nl",
            requested_by=actor,
        )
        jobs.enqueue_on_commit(EXPORT_JOB.task_name, export.pk)
    return export


@transaction.atomic
def export_retry(*, actor: User, export: ProgrammeExport) -> bool:
    """Make a failed export (or one whose worker was lost) again. Returns whether it was
    queued again: one that is ready or still being made is left as it is."""
    require(bool(actor.is_authenticated and actor.is_project_team))
    _job, queued = jobs.retry(EXPORT_JOB, pk=export.pk)
    return queued


def export_make(*, export_id: int) -> ProgrammeExport:
    """Make one export (the task's work). Idempotent: an export that is ready is returned as
    it is; one made twice at the same time is stored once (the first to finish wins)."""
    with transaction.atomic():
        export, claimed = jobs.claim(EXPORT_JOB, pk=export_id, error="", rows_done=0, rows_total=0)
    if not claimed:
        return export
    with translation.override(export.language):
        file, name = _write(export)
    stored = ""
    try:
        with file, transaction.atomic():
            locked = jobs.lock(EXPORT_JOB, pk=export_id)
            if locked.status == E.DONE:
                return locked
            digest, size = _sha256_and_size(file)
            locked.file.save("export.xlsx", File(file), save=False)
            stored = str(locked.file.name)
            locked.filename, locked.sha256, locked.size = name, digest, size
            jobs.mark_done(
                EXPORT_JOB,
                locked,
                update_fields=("file", "filename", "sha256", "size"),
                finished_at=timezone.now(),
                rows_done=locked.rows_total,
            )
            _forget_older(locked)
    except BaseException:
        # The row was not committed: the stored file belongs to no export.
        if stored:
            ProgrammeExport.file.field.storage.delete(stored)
        raise
    return locked


def export_mark_failed(*, export_id: int, error: str) -> None:
    jobs.mark_failed(EXPORT_JOB, pk=export_id, error=error, finished_at=timezone.now())


def exports_requeue_lost(*, older_than: timedelta) -> list[int]:
    return jobs.requeue_lost(EXPORT_JOB, older_than=older_than)


def _write(export: ProgrammeExport) -> tuple[IO[bytes], str]:
    """The workbook in a temporary file, and the name it is downloaded under."""
    programme = export.programme
    today = timezone.localdate()

    def progress(rows: int) -> None:
        # Committed at once (no transaction is open here): the status page shows it while the
        # workbook is written.
        ProgrammeExport.objects.filter(pk=export.pk, status=E.RUNNING).update(rows_done=rows)

    if export.kind == ProgrammeExport.Kind.DEMAND:
        lines = demand_follow_up.demand_export_lines(programme=programme)
        _set_total(export, lines.count())
        file = demand_overview_xlsx(
            programme=programme,
            overview=demand_overview_selectors.demand_overview(programme=programme),
            lines=lines,
            progress=progress,
        )
        return file, f"inventarisatie-{programme.slug}-{today:%Y-%m-%d}.xlsx"
    snapshot = export.snapshot
    assert snapshot is not None  # the check constraint
    _set_total(export, aggregation_selectors.aggregation_contribution_count(snapshot=snapshot))
    file = aggregation_snapshot_xlsx(programme=programme, snapshot=snapshot, progress=progress)
    created = timezone.localtime(snapshot.created_at)
    return file, f"aggregatie-{programme.slug}-{created:%Y-%m-%d-%H%M}.xlsx"


def _set_total(export: ProgrammeExport, total: int) -> None:
    ProgrammeExport.objects.filter(pk=export.pk).update(rows_total=total)
    export.rows_total = total


def _sha256_and_size(file: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    while chunk := file.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def _forget_older(export: ProgrammeExport) -> None:
    """Only the newest ready export of a kind (and snapshot) is kept: an older one shows an
    older state of the demand, and every export is a few megabytes at ten times the
    Netherlands. Their files are deleted after the commit."""
    older = list(
        ProgrammeExport.objects.filter(
            programme=export.programme_id, kind=export.kind, snapshot=export.snapshot_id
        )
        .exclude(pk=export.pk)
        .exclude(status__in=[E.QUEUED, E.RUNNING])
    )
    files = [str(old.file.name) for old in older if old.file]
    ProgrammeExport.objects.filter(pk__in=[old.pk for old in older]).delete()
    storage = export.file.storage

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    if files:
        transaction.on_commit(delete_files, robust=True)
