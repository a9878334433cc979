"""The anonymised report of a market consultation: the project team generates and publishes it
from the management page; the published report is a public download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from consultations.selectors import report as selectors
from consultations.selectors.consultation import Audience, consultation_get
from consultations.services import report as services
from portal.selectors import is_project_team_editor
from portal.tenancy import require


def _back_to_manage(consultation) -> HttpResponse:
    return redirect(
        reverse("consultations:consultation-manage", args=[consultation.slug])
        + "#consultation-report"
    )


def _errors_as_messages(request: HttpRequest, exc: ValidationError) -> None:
    """The management page is not re-rendered by these POST-only views: a service's errors
    become messages (the page also shows a missing change note next to its field)."""
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def report_generate(request: HttpRequest, consultation: str) -> HttpResponse:
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    require(is_project_team_editor(user=request.user))
    try:
        report = services.report_request(
            actor=request.user,
            consultation=item,
            change_note=request.POST.get("change_note", ""),
            include_prices=request.POST.get("include_prices") == "yes",
            include_prices_reason=request.POST.get("include_prices_reason", ""),
        )
    except ValidationError as exc:
        _errors_as_messages(request, exc)
    else:
        messages.success(
            request,
            _("Version %(number)s of the report is being generated.") % {"number": report.number},
        )
    return _back_to_manage(item)


@login_required
@require_GET
def report_status(request: HttpRequest, consultation: str, report) -> HttpResponse:
    """One report's row of the management page; polled by htmx while it is being generated."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    found = selectors.report_get_for_project_team(
        user=request.user, consultation=item, public_id=report
    )
    found.is_stuck = services.report_stuck(report=found)
    return render(
        request,
        "consultations/consultation_parts/manage_report.html#report_row",
        {
            "consultation": item,
            "report": found,
            "report_part": {"can_change": is_project_team_editor(user=request.user)},
        },
    )


@require_GET
def report_download(request: HttpRequest, consultation: str, report) -> FileResponse:
    """A finished report as PDF: the published one for everyone, the others for the project
    team only."""
    item = consultation_get(user=request.user, slug=consultation)
    found = selectors.report_get_for_download(
        user=request.user, consultation=item, public_id=report
    )
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"verslag-{item.slug}-v{found.number}.pdf",
        content_type="application/pdf",
    )
    if not found.is_published:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _version_action(request: HttpRequest, consultation: str, report, change, success: str):
    """Retry, publish or take off one version: the service decides, its refusal becomes a
    message on the management page. ``success`` may name the version as %(number)s."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    found = selectors.report_get_for_project_team(
        user=request.user, consultation=item, public_id=report
    )
    require(is_project_team_editor(user=request.user))
    try:
        change(actor=request.user, report=found)
    except ValidationError as exc:
        _errors_as_messages(request, exc)
    else:
        messages.success(request, success % {"number": found.number})
    return _back_to_manage(item)


@login_required
@require_POST
def report_retry(request: HttpRequest, consultation: str, report) -> HttpResponse:
    """Generate a failed version again (same version, same pseudonyms)."""
    return _version_action(
        request,
        consultation,
        report,
        services.report_retry,
        _("Version %(number)s of the report is being generated again."),
    )


@login_required
@require_POST
def report_publish(request: HttpRequest, consultation: str, report) -> HttpResponse:
    return _version_action(
        request,
        consultation,
        report,
        services.report_publish,
        _("Version %(number)s of the report has been published."),
    )


@login_required
@require_POST
def report_unpublish(request: HttpRequest, consultation: str, report) -> HttpResponse:
    return _version_action(
        request,
        consultation,
        report,
        services.report_unpublish,
        _("The report has been taken off the public page."),
    )
