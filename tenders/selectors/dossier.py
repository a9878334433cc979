"""Reads for a programme's dossier: its tender documents with every finished version, the
frozen aggregation, and the audit events of the programme and its objects."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from portal.models import AuditEvent
from tenders.models import AggregationSnapshot, DocumentVersion, Programme, Tender

AUDIT_CHUNK = 1000


def dossier_document_versions(*, programme: Programme) -> list[DocumentVersion]:
    """Every finished version of every document of the programme's tender, in the set's
    order, oldest version first (one query)."""
    return list(
        DocumentVersion.objects.select_related("document__tender")
        .defer("inputs")  # the rendering's inputs: bulky, and the dossier does not need them
        .filter(document__tender__programme=programme, status=DocumentVersion.Status.DONE)
        .order_by("document__tender_id", "document_id", "number")
    )


def dossier_frozen_snapshot(*, programme: Programme) -> AggregationSnapshot | None:
    # Without the frozen list of authorities (6,840 at ten times the Netherlands): the dossier
    # writes the snapshot's totals, not that list.
    return (
        AggregationSnapshot.objects.filter(programme=programme, is_frozen=True)
        .defer("authorities")
        .first()
    )


def _audit_targets(programme: Programme) -> Q:
    """The programme and its objects, as ``portal.audit`` names targets (label, public id).
    Most of the tender's services audit with the programme as the target."""
    targets = {
        "tenders.programme": [programme.public_id],
        "tenders.tender": Tender.objects.filter(programme=programme).values_list(
            "public_id", flat=True
        ),
        "tenders.aggregationsnapshot": AggregationSnapshot.objects.filter(
            programme=programme
        ).values_list("public_id", flat=True),
        "tenders.documentversion": DocumentVersion.objects.filter(
            document__tender__programme=programme
        ).values_list("public_id", flat=True),
    }
    query = Q()
    for label, ids in targets.items():
        query |= Q(target_type=label, target_id__in=[str(i) for i in ids])
    return query


def dossier_audit_events(*, programme: Programme) -> Iterator[AuditEvent]:
    """The programme's audit events in the chain's order, a chunk at a time (memory stays the
    size of one chunk), with their actor and organisation."""
    targets = _audit_targets(programme)
    last_id = 0
    while True:
        chunk = list(
            AuditEvent.objects.filter(targets, pk__gt=last_id)
            .select_related("actor", "organisation")
            .order_by("pk")[:AUDIT_CHUNK]
        )
        yield from chunk
        if len(chunk) < AUDIT_CHUNK:
            return
        last_id = chunk[-1].pk


def audit_chain_head() -> str | None:
    """The hash of the newest event of the whole trail: it anchors the dossier to the chain."""
    return AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
