"""Downloading a published tender's documents: anyone, no login; the file as generated, with
its version number in the name."""

from __future__ import annotations

import uuid

from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from tenders.documents.render import content_type, file_name
from tenders.selectors.documents import published_document_get
from tenders.selectors.tender import tender_public_get


@require_GET
def public_document_download(
    request: HttpRequest, reference: str, version: uuid.UUID
) -> FileResponse:
    tender = tender_public_get(reference=reference)
    found = published_document_get(tender=tender, public_id=version)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=file_name(
            kind=found.document.kind, reference=tender.reference, number=found.number
        ),
        content_type=content_type(found.document.kind),
    )
