"""Points from the 1-on-1 talks for the anonymised report: the project team writes them in
neutral words and a second team member approves them (see
``consultations.services.talk_findings``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consultations.forms.talk_findings import TalkFindingForm
from consultations.selectors import talk_findings as selectors
from consultations.selectors.consultation import Audience, consultation_get
from consultations.services import talk_findings as services
from portal.forms import add_service_errors, post_data
from portal.selectors import is_project_team_editor
from portal.tenancy import require


@login_required
@require_http_methods(["GET", "POST"])
def talk_findings(request: HttpRequest, consultation: str) -> HttpResponse:
    """The points from the talks, and (for editors) a form to write one."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    form = TalkFindingForm(post_data(request))
    if request.method == "POST":
        require(is_project_team_editor(user=request.user))
        if form.is_valid():
            try:
                services.talk_finding_add(
                    actor=request.user, consultation=item, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The point has been saved. Another member of the project team approves it."),
                )
                return redirect("consultations:talk-findings", consultation=item.slug)
    return render(
        request,
        "consultations/talks/findings.html",
        {
            "consultation": item,
            "programme": item.programme,
            "findings": selectors.talk_findings_for_project_team(
                user=request.user, consultation=item
            ),
            "can_change": is_project_team_editor(user=request.user),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


def _act(request: HttpRequest, consultation: str, finding, action) -> HttpResponse:
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    found = selectors.talk_finding_get(user=request.user, consultation=item, public_id=finding)
    require(is_project_team_editor(user=request.user))
    try:
        message = action(found)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect("consultations:talk-findings", consultation=item.slug)


@login_required
@require_POST
def talk_finding_approve(request: HttpRequest, consultation: str, finding) -> HttpResponse:
    def approve(found):
        services.talk_finding_approve(actor=request.user, finding=found)
        return _("The point has been approved; the next version of the report shows it.")

    return _act(request, consultation, finding, approve)


@login_required
@require_POST
def talk_finding_remove(request: HttpRequest, consultation: str, finding) -> HttpResponse:
    def remove(found):
        services.talk_finding_remove(actor=request.user, finding=found)
        return _("The point has been removed.")

    return _act(request, consultation, finding, remove)
