"""Pages of onboarding: a person without an organisation finds theirs and asks to join; the
administrators (or the project team) decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from municipalities.forms.onboarding import (
    JoinDecisionForm,
    JoinRequestForm,
    OrganisationSearchForm,
)
from municipalities.selectors import onboarding as selectors
from municipalities.services import onboarding as services
from portal.forms import add_service_errors, post_data
from portal.models import Organisation


@login_required
@require_GET
def organisation_search(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET if "q" in request.GET else None)
    results: list[Organisation] = []
    if form.is_bound and form.is_valid():
        results = selectors.organisation_search(query=form.cleaned_data["q"])
    return render(
        request,
        "municipalities/join_search.html",
        {
            "form": form,
            "results": results[: selectors.SEARCH_LIMIT],
            "more": len(results) > selectors.SEARCH_LIMIT,
            "searched": form.is_bound and form.is_valid(),
            "own_requests": selectors.own_join_requests(user=request.user)[:10],
        },
        status=422 if form.errors else 200,
    )


@login_required
def join_request_create(request: HttpRequest, join_organisation) -> HttpResponse:
    organisation = (
        Organisation.objects.filter(
            public_id=join_organisation, is_active=True, kind__in=services.BUYER_KINDS
        )
        .select_related("municipality")
        .first()
    )
    if organisation is None:
        raise Http404
    form = JoinRequestForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your request to join %(organisation)s has been sent. You will receive an "
                    "e-mail as soon as it has been decided."
                )
                % {"organisation": organisation.name},
            )
            return redirect("portal:home")
    return render(
        request,
        "municipalities/join_request_form.html",
        {
            "organisation": organisation,
            "form": form,
            "decided_by_team": not services.has_admin(organisation),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def join_request_list(request: HttpRequest) -> HttpResponse:
    join_requests = list(selectors.decidable_join_requests(user=request.user)[:100])
    return render(
        request,
        "municipalities/join_request_list.html",
        {"join_requests": join_requests, "form": JoinDecisionForm()},
    )


@login_required
@require_POST
def join_request_decide(request: HttpRequest, access_request) -> HttpResponse:
    join_request = selectors.decidable_join_request_get(user=request.user, public_id=access_request)
    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or decline the request."))
        return redirect("municipalities:join-request-list")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.join_request_decide(
            actor=request.user,
            join_request=join_request,
            approve=approve,
            role=form.cleaned_data["role"] or "editor",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if approve:
            message = _("%(name)s is now a member of %(organisation)s.")
        else:
            message = _("The request of %(name)s was declined.")
        messages.success(
            request,
            message % {"name": join_request.user, "organisation": join_request.organisation},
        )
    return redirect("municipalities:join-request-list")
