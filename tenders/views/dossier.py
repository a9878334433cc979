"""The programme's dossier for the project team: a ZIP with the tender documents and their
versions, the frozen aggregation and the programme's audit trail, with SHA-256 sums. 404 for
everyone outside the project team; the team's viewers may download it too."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, HttpRequest
from django.utils.cache import patch_cache_control

from tenders.dossier import dossier_name, dossier_write
from tenders.models import Programme
from tenders.services.dossier import dossier_record_download
from tenders.views.aggregation import project_team_page


@project_team_page("GET")
def programme_dossier(request: HttpRequest, programme: Programme) -> FileResponse:
    dossier_record_download(actor=request.user, programme=programme)
    # Built in a temporary file (on disk past a few megabytes), then streamed from it.
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    dossier_write(programme=programme, actor=request.user, target=target)
    target.seek(0)
    response = FileResponse(
        target, as_attachment=True, filename=dossier_name(programme), content_type="application/zip"
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
