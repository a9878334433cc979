"""The project team's page of the tender's documents: every document with its versions, a
button to generate what changed, the download of a version and the retry of a failed one.
404 for everyone outside the project team; the team's viewers may look and download (403 on
the actions)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.forms import add_service_errors, post_data
from portal.tenancy import require
from portal.text import SingleLineField
from tenders.documents.render import content_type, file_name
from tenders.models import DocumentVersion, Programme
from tenders.models.documents import DOCUMENT_CHANGE_NOTE_MAX_LENGTH
from tenders.selectors import documents as selectors
from tenders.selectors.tender import tender_for_programme
from tenders.services import documents as services
from tenders.views.aggregation import _can_change, project_team_page

STATUS_BADGES: dict[str, str] = {
    DocumentVersion.Status.QUEUED: "neutral",
    DocumentVersion.Status.RENDERING: "active",
    DocumentVersion.Status.DONE: "success",
    DocumentVersion.Status.FAILED: "danger",
}


class DocumentsRequestForm(forms.Form):
    change_note = SingleLineField(
        label=gettext_lazy("What has changed"),
        help_text=gettext_lazy(
            "Shown with every new version. Needed once the documents have a version."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": DOCUMENT_CHANGE_NOTE_MAX_LENGTH}),
    )


def _report(request: HttpRequest, versions: list[DocumentVersion]) -> None:
    if not versions:
        messages.info(
            request, _("Nothing has changed since the last versions: no document was made again.")
        )
        return
    text = ngettext(
        "%(count)s document is being generated. This page shows its status.",
        "%(count)s documents are being generated. This page shows their status.",
        len(versions),
    )
    messages.success(request, text % {"count": len(versions)})


@project_team_page("GET", "POST")
def documents_manage(request: HttpRequest, programme: Programme) -> HttpResponse:
    tender = tender_for_programme(programme=programme, parts=())
    form = DocumentsRequestForm(post_data(request))
    if request.method == "POST":
        require(lambda: _can_change(request))
        if tender is None:
            form.add_error(None, _("Create the tender first: the documents are made from it."))
        elif form.is_valid():
            try:
                versions = services.documents_request(
                    actor=request.user, tender=tender, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _report(request, versions)
                return redirect("tenders:documents", programme_slug=programme.slug)
    rows = selectors.documents_for_tender(tender=tender)
    for row in rows:
        for version in row.versions:
            version.badge = STATUS_BADGES[version.status]
    context = {
        "programme": programme,
        "tender": tender,
        "rows": rows,
        "is_active": selectors.documents_active(rows),
        "can_change": _can_change(request),
        "form": form,
    }
    if request.htmx:
        return render(request, "tenders/documents.html#documents-table", context)
    return render(request, "tenders/documents.html", context, status=422 if form.errors else 200)


@project_team_page("GET")
def document_download(
    request: HttpRequest, programme: Programme, version: uuid.UUID
) -> FileResponse:
    found = selectors.document_version_get(programme=programme, public_id=version)
    if found.status != DocumentVersion.Status.DONE:
        raise Http404
    kind = found.document.kind
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=file_name(
            kind=kind, reference=found.document.tender.reference, number=found.number
        ),
        content_type=content_type(kind),
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@project_team_page("POST")
def document_retry(request: HttpRequest, programme: Programme, version: uuid.UUID):
    found = selectors.document_version_get(programme=programme, public_id=version)
    require(lambda: _can_change(request))
    try:
        services.document_retry(actor=request.user, version=found)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Version %(number)s of %(document)s is being generated again.")
            % {"number": found.number, "document": found.document.get_kind_display()},
        )
    return redirect("tenders:documents", programme_slug=programme.slug)
