"""The data of a nota van inlichtingen (one per published round): the round's questions as
published, numbered through the tender, with their answers and the new versions of the
documents they change. Never the asker, its organisation or the question as it was asked: the
inputs are built from the public wording only (tenders.selectors.enquiries)."""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone, translation

from tenders.documents.inputs import FORMAT, LANGUAGE
from tenders.models import DocumentVersion, EnquiryRound, Tender
from tenders.selectors.enquiries import enquiry_rounds_published


def _version(version: DocumentVersion) -> dict[str, Any]:
    return {
        "document": str(version.document.get_kind_display()),
        "version": version.number,
        "sha256": version.sha256,
    }


def nvi_inputs(
    *, tender: Tender, round_: EnquiryRound, changed: list[DocumentVersion]
) -> dict[str, Any]:
    """The inputs of nota van inlichtingen ``round_.number`` (a published round): its own
    questions only, numbered as the public page numbers them."""
    with translation.override(LANGUAGE):
        [public] = [r for r in enquiry_rounds_published(tender=tender) if r.round.pk == round_.pk]
        lots = {lot.number: lot.title for lot in tender.lots.all()}
        by_document = {v.document_id: v for v in changed}
        published = timezone.localtime(round_.published_at or timezone.now())
        return {
            "format": FORMAT,
            "reference": tender.reference,
            "title": tender.title,
            "programme": tender.programme.name,
            "number": round_.number,
            "date": formats.date_format(published, "j F Y"),
            "questions": [
                {
                    "number": enquiry.number,
                    "lot": enquiry.lot_number,
                    "lot_title": lots.get(enquiry.lot_number, "")
                    if enquiry.lot_number is not None
                    else "",
                    "section": enquiry.section,
                    "question": enquiry.question,
                    "answer": enquiry.answer,
                    "changes": _version(by_document[enquiry.changes_document_id])
                    if enquiry.changes_document_id in by_document
                    else None,
                }
                for enquiry in public.enquiries
            ],
            "changed": [_version(v) for v in sorted(changed, key=lambda v: v.document_id)],
        }
