"""Reads of the tender's documents for the project team's page: every kind with its versions,
and one version by its public id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from tenders.models import DocumentVersion, Programme, Tender, TenderDocument
from tenders.models.documents import DOCUMENT_SET_KINDS

V = DocumentVersion.Status
ACTIVE = (V.QUEUED, V.RENDERING)


@dataclass(frozen=True)
class DocumentRow:
    kind: str
    label: str
    versions: list[DocumentVersion]

    @property
    def newest_done(self) -> DocumentVersion | None:
        return next((v for v in self.versions if v.status == V.DONE), None)


def documents_for_tender(*, tender: Tender | None) -> list[DocumentRow]:
    """Every kind of document in the set's order, each with its versions (newest first), and
    the notas van inlichtingen once a round made one; two queries whatever the number of
    versions."""
    found: dict[str, TenderDocument] = {}
    if tender is not None:
        versions = (
            DocumentVersion.objects.select_related("requested_by")
            .defer("inputs")  # a document's data (every authority): only rendering reads it
            .order_by("-number")
        )
        found = {
            d.kind: d
            for d in TenderDocument.objects.filter(tender=tender).prefetch_related(
                Prefetch("versions", queryset=versions)
            )
        }
    return [
        DocumentRow(
            kind=kind,
            label=str(label),
            versions=list(found[kind].versions.all()) if kind in found else [],
        )
        for kind, label in TenderDocument.Kind.choices
        if kind in DOCUMENT_SET_KINDS or kind in found
    ]


def documents_active(rows: list[DocumentRow]) -> bool:
    """Whether a version is still on its way (the page then refreshes its table)."""
    return any(v.status in ACTIVE for row in rows for v in row.versions)


def document_version_get(*, programme: Programme, public_id: Any) -> DocumentVersion:
    """A version of the programme's tender; 404 for another programme's or an unknown one.
    The programme comes from ``programme_get_for_project_team`` (the access check)."""
    version = (
        DocumentVersion.objects.select_related("document__tender")
        .filter(public_id=public_id, document__tender__programme=programme)
        .first()
    )
    if version is None:
        raise Http404
    return version


def document_set_problems(*, tender: Tender) -> list[str]:
    """What keeps the document set from being publishable: a document without a finished
    version, or whose newest finished version was made from other data than the tender has now
    (it must be generated again)."""
    from tenders.documents.inputs import document_inputs, input_hash
    from tenders.documents.render import version_hash

    problems = []
    rows = {row.kind: row for row in documents_for_tender(tender=tender)}
    for kind, label in TenderDocument.Kind.choices:
        if kind not in DOCUMENT_SET_KINDS:
            continue
        done = rows[kind].newest_done
        if done is None:
            problems.append(
                _("Documents: %(document)s has not been generated yet.") % {"document": label}
            )
        elif done.input_hash != version_hash(kind, input_hash(document_inputs(tender, kind))):
            problems.append(
                _("Documents: %(document)s is out of date; generate the documents again.")
                % {"document": label}
            )
    return problems


def published_documents(*, tender: Tender) -> list[DocumentVersion]:
    """The documents anyone may read: of a published (or later) tender, the finished versions,
    newest first per document, in the set's order. One query."""
    if tender.is_draft:
        return []
    order = {kind: i for i, kind in enumerate(TenderDocument.Kind.values)}
    versions = list(
        DocumentVersion.objects.filter(document__tender=tender, status=V.DONE)
        .select_related("document")
        .defer("inputs")  # a document's data (every authority): only rendering reads it
        .order_by("-number")
    )
    return sorted(versions, key=lambda v: (order[v.document.kind], -v.number))


def published_document_get(*, tender: Tender, public_id: Any) -> DocumentVersion:
    """One finished version of a published tender's documents, else 404."""
    for version in published_documents(tender=tender):
        if str(version.public_id) == str(public_id):
            return version
    raise Http404
