"""A programme's dossier as a ZIP: the tender documents with every version, the frozen
aggregation, the programme's audit trail (CSV to read, JSON Lines with the chained fields so
that every event's hash can be recomputed), ``manifest.json`` and ``SHA256SUMS`` with the
SHA-256 of every file.

Written into a file object a member at a time, each streamed in blocks: memory stays bounded
however many versions and events there are (the view writes into a temporary file).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils import timezone

from portal import audit_chain
from portal.models import AuditEvent, User
from portal.spreadsheets import csv_chunks
from tenders.documents.render import file_name
from tenders.exports import aggregation_snapshot_csv
from tenders.models import Programme
from tenders.selectors import dossier as selectors

BLOCK = 1024 * 1024
AUDIT_COLUMNS = [
    "id",
    "created_at",
    "action",
    "actor_ref",
    "actor",
    "organisation",
    "target_type",
    "target_id",
    "data",
    "prev_hash",
    "hash",
]


class _Member:
    """One file of the ZIP, written in pieces while its SHA-256 and size are taken."""

    def __init__(self, archive: zipfile.ZipFile, path: str):
        self.path = path
        self._handle = archive.open(path, "w", force_zip64=True)
        self._sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._handle.write(data)
        self._sha256.update(data)
        self.size += len(data)

    def close(self) -> dict[str, Any]:
        self._handle.close()
        return {"path": self.path, "sha256": self._sha256.hexdigest(), "size": self.size}


def _write(archive: zipfile.ZipFile, path: str, chunks: Iterable[bytes]) -> dict[str, Any]:
    member = _Member(archive, path)
    for chunk in chunks:
        member.write(chunk)
    return member.close()


def _blocks(handle: IO[bytes]) -> Iterator[bytes]:
    with handle:
        while block := handle.read(BLOCK):
            yield block


def _actor(user: User | None) -> str:
    """Who the pseudonym is, while the user exists (a removed user stays ``actor_ref``)."""
    if user is None:
        return ""
    return f"{user.name} <{user.email}>" if user.name else user.email


def _audit_csv(events: Iterable[AuditEvent]) -> Iterator[bytes]:
    rows = (
        [
            event.pk,
            event.created_at.isoformat(),
            event.action,
            event.actor_ref or "",
            _actor(event.actor),
            event.organisation.name if event.organisation else "",
            event.target_type,
            event.target_id,
            json.dumps(event.data, ensure_ascii=False, sort_keys=True),
            event.prev_hash,
            event.hash,
        ]
        for event in events
    )
    return csv_chunks(itertools.chain([AUDIT_COLUMNS], rows))


def _audit_jsonl(events: Iterable[AuditEvent]) -> Iterator[bytes]:
    for event in events:
        fields = {name: getattr(event, name) for name in audit_chain.CHAINED_FIELDS}
        line = {
            "id": event.pk,
            **fields,
            "created_at": event.created_at.isoformat(),
            "actor_ref": str(event.actor_ref) if event.actor_ref else None,
            "hash": event.hash,
        }
        yield (json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode()


def dossier_name(programme: Programme) -> str:
    return f"dossier-{programme.slug}-{timezone.localdate():%Y-%m-%d}.zip"


def dossier_write(*, programme: Programme, actor: User, target: IO[bytes]) -> None:
    """Write the programme's dossier as a ZIP into ``target``."""
    files: list[dict[str, Any]] = []
    documents = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for version in selectors.dossier_document_versions(programme=programme):
            name = file_name(
                kind=version.document.kind,
                reference=version.document.tender.reference,
                number=version.number,
            )
            entry = _write(archive, f"documenten/{name}", _blocks(version.file.open("rb")))
            files.append(entry)
            documents.append(
                {
                    "path": entry["path"],
                    "kind": version.document.kind,
                    "version": version.number,
                    "generated_at": version.generated_at.isoformat()
                    if version.generated_at
                    else None,
                    "change_note": version.change_note,
                    "recorded_sha256": version.sha256,
                    "matches_recorded_sha256": entry["sha256"] == version.sha256,
                }
            )
        snapshot = selectors.dossier_frozen_snapshot(programme=programme)
        if snapshot is not None:
            files.append(
                _write(
                    archive,
                    "aggregatie/bevroren-aggregatie.csv",
                    [aggregation_snapshot_csv(snapshot=snapshot)],
                )
            )
        # Two passes over the events, each a chunk at a time.
        files.append(
            _write(
                archive,
                "audittrail/audittrail.csv",
                _audit_csv(selectors.dossier_audit_events(programme=programme)),
            )
        )
        counter = _Counter(selectors.dossier_audit_events(programme=programme))
        files.append(_write(archive, "audittrail/audittrail.jsonl", _audit_jsonl(counter)))
        manifest = {
            "programme": {
                "public_id": str(programme.public_id),
                "slug": programme.slug,
                "name": programme.name,
            },
            "generated_at": timezone.now().isoformat(),
            "generated_by": str(actor.public_id),
            "documents": documents,
            "frozen_aggregation": str(snapshot.public_id) if snapshot is not None else None,
            "audit_events": counter.count,
            "audit_chain_head": selectors.audit_chain_head(),
            "files": files,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        files.append(_write(archive, "manifest.json", [manifest_bytes]))
        sums = "".join(f"{f['sha256']}  {f['path']}\n" for f in files)
        archive.writestr("SHA256SUMS", sums.encode())


class _Counter:
    def __init__(self, events: Iterator[AuditEvent]):
        self._events = events
        self.count = 0

    def __iter__(self) -> Iterator[AuditEvent]:
        for event in self._events:
            self.count += 1
            yield event
