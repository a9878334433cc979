"""The tender's documents: requested by a project-team editor, each version rendered by a
Celery task (``tenders.document_render_task``) from the data it was requested with.

A document gets a new version only when its data changed since its newest version (the input
hash): changing the timeline makes a new aanbestedingsleidraad and leaves the annexes as they
are. Versions are immutable; a failed one may be generated again (the same version)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import jobs
from portal.audit import audit
from portal.models import User
from portal.selectors import require_project_team_editor
from tenders.documents.inputs import document_inputs, input_hash
from tenders.documents.render import file_name, render_version, version_hash
from tenders.models import DocumentVersion, Tender, TenderDocument
from tenders.models.documents import DOCUMENT_CHANGE_NOTE_MAX_LENGTH, DOCUMENT_SET_KINDS

V = DocumentVersion.Status
DOCUMENT_JOB = jobs.JobKind(
    DocumentVersion,
    task_name="tenders.document_render_task",
    requested_at_field="requested_at",
    claimed_at_field="claimed_at",
    # The task's hard limit (600 s), its longest retry countdown (120 s) and a minute
    # (tenders.tasks.document_render_task).
    lost_after=timedelta(minutes=13),
    running=V.RENDERING,
)


def _clean_change_note(change_note: str, *, required: bool) -> str:
    """What is different: required once a document has a version (versions are immutable, so
    the note is how readers tell them apart)."""
    note = (change_note or "").strip()
    if required and not note:
        raise ValidationError({"change_note": _("Describe what is different in the new versions.")})
    if len(note) > DOCUMENT_CHANGE_NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "change_note": _("Use at most %(max)s characters (you used %(count)s).")
                % {"max": DOCUMENT_CHANGE_NOTE_MAX_LENGTH, "count": len(note)}
            }
        )
    return note


def _newest_hash(document: TenderDocument) -> str | None:
    """The input hash of the newest version that is done or on its way (a failed version is
    retried, or superseded by a new request)."""
    newest = document.versions.exclude(status=V.FAILED).order_by("-number").first()
    return newest.input_hash if newest is not None else None


@transaction.atomic
def documents_request(
    *, actor: User, tender: Tender, change_note: str = ""
) -> list[DocumentVersion]:
    """Queue a new version of every document of ``tender`` whose data changed since its newest
    version (all of them the first time). Returns the new versions; an empty list when nothing
    changed. A worker renders each after the commit."""
    require_project_team_editor(actor)
    tender = (
        Tender.objects.select_for_update().select_related("programme", "snapshot").get(pk=tender.pk)
    )
    changed = []
    for kind in DOCUMENT_SET_KINDS:
        document, _created = TenderDocument.objects.get_or_create(tender=tender, kind=kind)
        inputs = document_inputs(tender, kind)
        digest = version_hash(kind, input_hash(inputs))
        if digest != _newest_hash(document):
            changed.append((document, inputs, digest))
    if not changed:
        return []
    tender.documents_ready_at = None
    tender.save(update_fields=["documents_ready_at"])
    has_versions = DocumentVersion.objects.filter(document__tender=tender).exists()
    note = _clean_change_note(change_note, required=has_versions)
    versions = []
    for document, inputs, digest in changed:
        number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        versions.append(
            DocumentVersion.objects.create(
                document=document,
                number=number,
                inputs=inputs,
                input_hash=digest,
                change_note=note,
                requested_by=actor,
            )
        )
    audit(
        actor=actor,
        action="tender_documents.requested",
        target=tender.programme,
        tender=str(tender.public_id),
        versions={v.document.kind: v.number for v in versions},
        change_note=note,
    )
    for version in versions:
        jobs.enqueue_on_commit(DOCUMENT_JOB.task_name, version.pk)
    return versions


def document_version_add(
    *, actor: User, tender: Tender, kind: str, inputs: dict[str, Any], change_note: str = ""
) -> DocumentVersion:
    """Queue the next version of one document of ``tender`` from ``inputs`` made by the caller
    (the nota van inlichtingen of a round: its data is the round's, not the tender's). Called
    inside the caller's transaction, which has checked who may act; a worker renders it after
    the commit."""
    document, _created = TenderDocument.objects.get_or_create(tender=tender, kind=kind)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        inputs=inputs,
        input_hash=version_hash(kind, input_hash(inputs)),
        change_note=_clean_change_note(change_note, required=False),
        requested_by=actor,
    )
    audit(
        actor=actor,
        action="tender_documents.requested",
        target=tender.programme,
        tender=str(tender.public_id),
        versions={kind: number},
        change_note=version.change_note,
    )
    jobs.enqueue_on_commit(DOCUMENT_JOB.task_name, version.pk)
    return version


RENDERED = "rendered"
SKIPPED = "skipped"


def document_render(*, version_id: int) -> DocumentVersion:
    """Render one version from its stored inputs. Idempotent: a finished version is never
    rendered again."""
    return document_render_outcome(version_id=version_id)[0]


def document_render_outcome(*, version_id: int) -> tuple[DocumentVersion, str]:
    """``document_render``, with whether this call rendered the version (``RENDERED``) or
    found it made already (``SKIPPED``: a task delivered twice, a retry after the file was
    stored). The one to finish the last document of the set records the set as ready."""
    version, claimed = jobs.claim(DOCUMENT_JOB, pk=version_id)
    if not claimed:
        return version, SKIPPED
    version = DocumentVersion.objects.select_related("document__tender").get(pk=version_id)
    # A failure raises to the task, which retries with backoff and marks the version failed
    # after the last attempt.
    content = render_version(version)
    tender = version.document.tender
    with transaction.atomic():
        version, finished = jobs.finish_with_file(
            DOCUMENT_JOB,
            pk=version_id,
            name=lambda job: file_name(
                kind=job.document.kind, reference=tender.reference, number=job.number
            ),
            content=content,
            generated_at=timezone.now(),
        )
        if not finished:  # another run finished first
            return version, SKIPPED
        audit(
            actor=None,
            action="tender_document.generated",
            target=tender.programme,
            kind=version.document.kind,
            number=version.number,
            sha256=version.sha256,
        )
        _record_set_ready(tender_id=tender.pk)
    return version, RENDERED


def _record_set_ready(*, tender_id: int) -> None:
    """Inside the transaction that finished a document: when the newest version of every
    document of the set is done, record the set as ready, once. The tender's row lock orders
    the documents that finish at the same moment on different worker processes, so exactly
    one of them sees the set complete."""
    tender = Tender.objects.select_for_update().select_related("programme").get(pk=tender_id)
    newest: dict[str, str] = {}
    rows = (
        DocumentVersion.objects.filter(
            document__tender=tender, document__kind__in=DOCUMENT_SET_KINDS
        )
        .order_by("document__kind", "-number")
        .values_list("document__kind", "status")
    )
    for kind, status in rows:
        newest.setdefault(kind, status)
    if tender.documents_ready_at is not None or set(newest) != set(DOCUMENT_SET_KINDS):
        return
    if any(status != V.DONE for status in newest.values()):
        return
    tender.documents_ready_at = timezone.now()
    tender.save(update_fields=["documents_ready_at"])
    audit(
        actor=None,
        action="tender_documents.ready",
        target=tender.programme,
        tender=str(tender.public_id),
    )


def document_mark_failed(*, version_id: int, error: str) -> None:
    jobs.mark_failed(DOCUMENT_JOB, pk=version_id, error=error)


def document_stuck(*, version: DocumentVersion) -> bool:
    """Whether the version is stuck (its task was lost): the team may retry it before the
    sweep sends it again."""
    return jobs.is_lost(DOCUMENT_JOB, version)


@transaction.atomic
def document_retry(*, actor: User, version: DocumentVersion) -> DocumentVersion:
    """Generate a failed or stuck version again: the same version from the same inputs."""
    require_project_team_editor(actor)
    version = jobs.lock(DOCUMENT_JOB, pk=version.pk)
    if version.status != V.FAILED and not document_stuck(version=version):
        raise ValidationError(_("Only a version that failed can be generated again."))
    previous_error = version.error
    version, _retried = jobs.retry(DOCUMENT_JOB, pk=version.pk)
    audit(
        actor=actor,
        action="tender_document.retried",
        target=version.document.tender.programme,
        kind=version.document.kind,
        number=version.number,
        error=previous_error[:500],
    )
    return version


def documents_requeue_lost(*, older_than: timedelta) -> list[int]:
    """Versions still queued or being generated after ``older_than`` lost their task: queue
    them again (the task is idempotent)."""
    return jobs.requeue_lost(DOCUMENT_JOB, older_than=older_than)
