"""The project team's pages of the draft tender: create it from the frozen figures, its lots,
award criteria and requirements. 404 for everyone outside the project team."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.forms import add_service_errors, post_data
from portal.tenancy import require
from tenders.forms_tender import CriteriaForm, RequirementsForm
from tenders.models import Programme
from tenders.selectors.enquiry_pages import open_enquiry_count
from tenders.selectors.periods import tender_period_problems
from tenders.selectors.publication import publication_pending, publication_problems
from tenders.selectors.tender import TENDER_PARTS, tender_for_programme
from tenders.services.publication import publication_decide, publication_request
from tenders.services.tender import award_criteria_set, requirements_set, tender_create
from tenders.views.aggregation import _can_change, project_team_page


def _tender_or_404(programme: Programme, parts: tuple[str, ...] = TENDER_PARTS):
    tender = tender_for_programme(programme=programme, parts=parts)
    if tender is None:
        raise Http404
    return tender


@project_team_page("GET")
def tender_detail(request: HttpRequest, programme: Programme) -> HttpResponse:
    tender = tender_for_programme(programme=programme)
    weights = sum(c.weight for c in tender.criteria.all()) if tender else 0
    return render(
        request,
        "tenders/tender_detail.html",
        {
            "programme": programme,
            "tender": tender,
            "can_change": _can_change(request),
            "weights": weights,
            "period_problems": tender_period_problems(tender) if tender else [],
            "publication_problems": publication_problems(tender=tender) if tender else [],
            "publication_pending": publication_pending(tender=tender) if tender else None,
            "open_questions": open_enquiry_count(tender=tender)
            if tender and not tender.is_draft
            else 0,
        },
    )


@project_team_page("POST")
def tender_create_view(request: HttpRequest, programme: Programme) -> HttpResponse:
    require(lambda: _can_change(request))
    try:
        tender_create(actor=request.user, programme=programme)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The draft tender has been made from the frozen figures."))
    return redirect("tenders:tender", programme_slug=programme.slug)


def _edit(request, programme, form_class, save, template, success, parts):
    tender = _tender_or_404(programme, parts)
    form = form_class(post_data(request), initial=form_class.initial_for(tender))
    if request.method == "POST":
        require(lambda: _can_change(request))
        if form.is_valid():
            try:
                save(tender, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect("tenders:tender", programme_slug=programme.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        template,
        {
            "programme": programme,
            "tender": tender,
            "form": form,
            "can_change": _can_change(request),
        },
        status=status,
    )


@project_team_page("GET", "POST")
def tender_criteria(request: HttpRequest, programme: Programme) -> HttpResponse:
    return _edit(
        request,
        programme,
        CriteriaForm,
        lambda tender, form: award_criteria_set(
            actor=request.user, tender=tender, criteria=form.criteria()
        ),
        "tenders/tender_criteria.html",
        _("The award criteria have been saved."),
        parts=("criteria",),
    )


@project_team_page("GET", "POST")
def tender_requirements(request: HttpRequest, programme: Programme) -> HttpResponse:
    return _edit(
        request,
        programme,
        RequirementsForm,
        lambda tender, form: requirements_set(
            actor=request.user, tender=tender, requirements=form.requirements()
        ),
        "tenders/tender_requirements.html",
        _("The requirements have been saved."),
        parts=("requirements",),
    )


@project_team_page("POST")
def tender_publish(request: HttpRequest, programme: Programme) -> HttpResponse:
    """Ask to publish (first member) or decide on the asked publication (second member)."""
    require(lambda: _can_change(request))
    tender = _tender_or_404(programme)
    decision = request.POST.get("decision", "")
    try:
        if decision in ("confirm", "cancel"):
            pending = publication_pending(tender=tender)
            if pending is None:
                raise Http404
            publication_decide(actor=request.user, request=pending, confirm=decision == "confirm")
            messages.success(
                request,
                _("The tender has been published.")
                if decision == "confirm"
                else _("The publication has been cancelled."),
            )
        else:
            publication_request(actor=request.user, tender=tender)
            messages.success(
                request,
                _("Publication has been asked. A second member of the project team confirms it."),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tenders:tender", programme_slug=programme.slug)
