"""For tests of the exports a worker makes: ask for one as the page does, make it as the task
does (in the test's own process and transaction; tests/integration sends it to a real worker),
and download it as the status page links it."""

from __future__ import annotations

from django.test import Client

from tenders.models import ProgrammeExport
from tenders.services.exports import export_make


def export_asked(client: Client, url: str) -> ProgrammeExport:
    """POST the export's button; the answer sends the browser to the export's status page."""
    response = client.post(url)
    assert response.status_code == 302, response.status_code
    public_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    export = ProgrammeExport.objects.get(public_id=public_id)
    assert response["Location"] == (
        f"/programmas/{export.programme.slug}/exports/{export.public_id}"
    )
    return export


def export_downloaded(client: Client, url: str):
    """Ask for the export at ``url``, make it, and return the download's response."""
    export = export_asked(client, url)
    export_make(export_id=export.pk)
    status = client.get(f"/programmas/{export.programme.slug}/exports/{export.public_id}")
    assert status.status_code == 200
    download = f"/programmas/{export.programme.slug}/exports/{export.public_id}/download"
    assert download in status.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    response.content_bytes = b"".join(response.streaming_content)
    return response
