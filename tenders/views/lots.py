"""The project team's lots (percelen) of a programme."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.forms import add_service_errors, post_data
from portal.tenancy import require
from tenders.forms import LotForm
from tenders.selectors import programme as programme_selectors
from tenders.services import programme as services


def _lots(programme):
    return programme.lots.prefetch_related("categories", "cpv_codes").order_by("number")


@login_required
def lot_list(request: HttpRequest, programme_slug: str) -> HttpResponse:
    """The lots, and a form to add one (project-team editors)."""
    programme = programme_selectors.programme_get_for_project_team(
        user=request.user, slug=programme_slug
    )
    can_change = programme_selectors.can_change_programme(user=request.user)
    lots = list(_lots(programme))
    form = LotForm(
        post_data(request),
        initial={"number": max((lot.number for lot in lots), default=0) + 1},
    )
    if request.method == "POST":
        require(can_change)
        if form.is_valid():
            try:
                services.lot_save(actor=request.user, programme=programme, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The lot has been saved."))
                return redirect("tenders:lot-list", programme_slug=programme.slug)
    return render(
        request,
        "tenders/lots.html",
        {"programme": programme, "lots": lots, "form": form, "can_change": can_change},
        status=422 if form.errors else 200,
    )


@login_required
def lot_edit(request: HttpRequest, programme_slug: str, number: int) -> HttpResponse:
    programme = programme_selectors.programme_get_for_project_team(
        user=request.user, slug=programme_slug
    )
    lot = next((lot for lot in _lots(programme) if lot.number == number), None)
    if lot is None:
        raise Http404
    require(programme_selectors.can_change_programme(user=request.user))
    form = LotForm(
        post_data(request),
        initial={
            "number": lot.number,
            "name": lot.name,
            "description": lot.description,
            "categories": list(lot.categories.all()),
            "cpv_codes": list(lot.cpv_codes.all()),
            "headroom_percent": lot.headroom_percent,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.lot_save(actor=request.user, programme=programme, lot=lot, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The lot has been saved."))
            return redirect("tenders:lot-list", programme_slug=programme.slug)
    return render(
        request,
        "tenders/lot_form.html",
        {"programme": programme, "lot": lot, "form": form},
        status=422 if form.errors else 200,
    )
