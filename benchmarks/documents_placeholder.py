"""A stand-in for the document benchmark when ``python -m benchmarks --skip documents`` runs:
each queued document of the benchmark tender is finished by the worker's task
(``document_render``) as usual, but with the bare layout (``pdf/base.html``) as the content of
every PDF, so that the tender can be published and its pages measured without spending
minutes in WeasyPrint. No numbers come out of it.

``python -m benchmarks.documents_placeholder``"""

from __future__ import annotations

import os
from unittest import mock

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from benchmarks.generate_tender import TENDER_REFERENCE  # noqa: E402
from portal.pdf import render_pdf  # noqa: E402
from tenders.documents.render import render_version  # noqa: E402
from tenders.models import DocumentVersion, TenderDocument  # noqa: E402
from tenders.services.documents import document_render  # noqa: E402


def finish_queued() -> int:
    bare = render_pdf("pdf/base.html", {})

    def placeholder(version: DocumentVersion) -> bytes:
        if version.document.kind == TenderDocument.Kind.PRICE_SHEET:
            return render_version(version)
        return bare

    queued = list(
        DocumentVersion.objects.filter(
            document__tender__reference=TENDER_REFERENCE, status=DocumentVersion.Status.QUEUED
        ).values_list("pk", flat=True)
    )
    with mock.patch("tenders.services.documents.render_version", placeholder):
        for pk in queued:
            document_render(version_id=pk)
    return len(queued)


if __name__ == "__main__":
    print(f"{finish_queued()} documents finished with the bare layout")
