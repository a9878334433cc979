"""The project team's actions on one participant's demand: return it, or give more time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities import selectors
from municipalities.forms.demand_team import DemandExtendForm, DemandReturnForm
from municipalities.models import Demand
from municipalities.selectors.deadline import demand_extension_refusal
from municipalities.services.demand import demand_extend_deadline, demand_return
from portal.forms import add_service_errors, post_data
from portal.selectors import is_project_team_editor
from portal.tenancy import require


def _team_demand(request: HttpRequest, public_id) -> Demand:
    """404 for outsiders; 403 for the participant's own members and project-team viewers."""
    demand = selectors.demand_get_for_user(user=request.user, public_id=public_id)
    require(is_project_team_editor(user=request.user))
    return demand


def _render(request, template, demand, form, **extra) -> HttpResponse:
    participation = demand.participation
    status = 422 if form.errors or (extra.get("refusal") and request.method == "POST") else 200
    return render(
        request,
        template,
        {
            "demand": demand,
            "participation": participation,
            "programme": participation.programme,
            "organisation": participation.organisation,
            "form": form,
            **extra,
        },
        status=status,
    )


@login_required
def demand_return_view(request: HttpRequest, public_id) -> HttpResponse:
    demand = _team_demand(request, public_id)
    form = DemandReturnForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            demand_return(actor=request.user, demand=demand, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The demand has been returned to the participant."))
            return redirect("municipalities:demand-edit", public_id=demand.public_id)
    return _render(request, "municipalities/demand_return.html", demand, form)


@login_required
def demand_extend_view(request: HttpRequest, public_id) -> HttpResponse:
    demand = _team_demand(request, public_id)
    # While no extension is possible the page says why instead of offering the form.
    refusal = demand_extension_refusal(programme=demand.participation.programme)
    initial = {}
    if demand.deadline is not None:
        current = timezone.localtime(demand.deadline)
        initial = {"date": f"{current:%d-%m-%Y}", "time": f"{current:%H:%M}"}
    form = DemandExtendForm(None if refusal else post_data(request), initial=initial)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            demand_extend_deadline(
                actor=request.user,
                demand=demand,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The participant has more time. Its members are informed by e-mail."),
            )
            return redirect("municipalities:demand-edit", public_id=demand.public_id)
    return _render(request, "municipalities/demand_extend.html", demand, form, refusal=refusal)
