"""Exports a worker makes for the project team (tenders.services.exports): asked for with a
button on the demand overview and the aggregation pages, followed on a status page that updates
itself, downloaded when ready. 404 for everyone outside the project team."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from portal.spreadsheets import XLSX
from tenders.models import Programme, ProgrammeExport
from tenders.selectors import aggregation as aggregation_selectors
from tenders.selectors.exports import programme_export_get, programme_export_stuck
from tenders.services.exports import export_request, export_retry
from tenders.views.aggregation import RUN_BADGES, project_team_page


def _to_status(programme: Programme, export: ProgrammeExport) -> HttpResponse:
    return redirect(
        "tenders:programme-export", programme_slug=programme.slug, export=export.public_id
    )


@project_team_page("POST")
def demand_export(request: HttpRequest, programme: Programme) -> HttpResponse:
    export = export_request(
        actor=request.user,
        programme=programme,
        kind=ProgrammeExport.Kind.DEMAND,
        language=request.LANGUAGE_CODE,
    )
    return _to_status(programme, export)


@project_team_page("POST")
def aggregation_export_xlsx(
    request: HttpRequest, programme: Programme, snapshot: uuid.UUID
) -> HttpResponse:
    found = aggregation_selectors.aggregation_snapshot_get(programme=programme, public_id=snapshot)
    export = export_request(
        actor=request.user,
        programme=programme,
        kind=ProgrammeExport.Kind.AGGREGATION,
        snapshot=found,
        language=request.LANGUAGE_CODE,
    )
    return _to_status(programme, export)


@project_team_page("GET")
def programme_export(request: HttpRequest, programme: Programme, export: uuid.UUID):
    found = programme_export_get(user=request.user, programme=programme, public_id=export)
    context = {
        "programme": programme,
        "export": found,
        "badge": RUN_BADGES.get(found.status, "neutral"),
        "stuck": programme_export_stuck(export=found),
    }
    if request.htmx:
        # The status sentence sits in a live region outside the part that is polled: it is
        # sent along (out of band) only when the status changed since the page last looked,
        # so that a screen reader announces each change once, not every poll.
        context["oob"] = request.GET.get("gezien") != found.status
        return render(request, "tenders/programme_export.html#export-status", context)
    return render(request, "tenders/programme_export.html", context)


@project_team_page("POST")
def programme_export_retry(request: HttpRequest, programme: Programme, export: uuid.UUID):
    found = programme_export_get(user=request.user, programme=programme, public_id=export)
    if export_retry(actor=request.user, export=found):
        messages.success(request, _("The export is being made again."))
    else:
        messages.info(request, _("The export is ready or being made: there is nothing to redo."))
    return _to_status(programme, found)


@project_team_page("GET")
def programme_export_download(request: HttpRequest, programme: Programme, export: uuid.UUID):
    found = programme_export_get(user=request.user, programme=programme, public_id=export)
    if found.status != ProgrammeExport.Status.DONE or not found.file:
        raise Http404
    response = FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.filename, content_type=XLSX
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
