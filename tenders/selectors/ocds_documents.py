"""The tender's documents in its OCDS releases: every published version with its public
download URL and its SHA-256, and the nota van inlichtingen of each published round, listed by
the round's own release although the worker may still be rendering it (its URL is its version's
and does not change; the SHA-256 follows in the next release)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from tenders.models import DocumentVersion, EnquiryRound, Tender, TenderDocument

K = TenderDocument.Kind
# The tender's documents as OCDS documentType (the openContracting documentType codelist).
DOCUMENT_TYPES: dict[str, str] = {
    K.LEIDRAAD: "biddingDocuments",
    K.AUTHORITIES: "eligibilityCriteria",
    K.VOLUMES: "billOfQuantity",
    K.REQUIREMENTS: "technicalSpecifications",
    K.AGREEMENT: "contractDraft",
    K.PRICE_SHEET: "billOfQuantity",
    K.NVI: "clarifications",
}


def _notices_on_their_way(tender: Tender) -> list[DocumentVersion]:
    return list(
        DocumentVersion.objects.filter(
            enquiry_round__tender=tender, enquiry_round__status=EnquiryRound.Status.PUBLISHED
        )
        .exclude(status=DocumentVersion.Status.DONE)
        .select_related("document", "enquiry_round")
        .defer("inputs")
        .order_by("number")
    )


def ocds_documents(*, tender: Tender) -> list[dict[str, Any]]:
    """The tender's published document versions as OCDS ``Document`` objects, each with its
    public download URL and its SHA-256 in the description."""
    from tenders.documents.render import content_type
    from tenders.selectors.documents import published_documents

    base = settings.PORTAL_BASE_URL.rstrip("/")
    documents = []
    for version in [*published_documents(tender=tender), *_notices_on_their_way(tender)]:
        kind = version.document.kind
        url = reverse(
            "tenders:public-document-download", args=[tender.reference, version.public_id]
        )
        title = (
            f"Nota van inlichtingen {version.number}"
            if kind == K.NVI
            else f"{version.document.get_kind_display()} (versie {version.number})"
        )
        document = {
            "id": f"{kind}-v{version.number}",
            "documentType": DOCUMENT_TYPES[kind],
            "title": title,
            "description": f"SHA-256 {version.sha256}" if version.sha256 else "",
            "url": f"{base}{url}",
            "format": content_type(kind),
            "language": "nl",
        }
        published = version.generated_at or (
            version.enquiry_round.published_at if kind == K.NVI else None
        )
        if published:
            document["datePublished"] = published.isoformat()
        documents.append({k: v for k, v in document.items() if v})
    return documents
