from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import attempts
from portal.active import set_active_organisation
from portal.forms import add_service_errors, post_data
from suppliers import selectors, services
from suppliers.forms import SupplierRegistrationForm
from suppliers.models import JoinRequest

JOIN_REQUEST_SESSION_KEY = "suppliers:join_request"


@login_required
def supplier_register(request: HttpRequest) -> HttpResponse:
    membership = selectors.user_supplier_membership(user=request.user)
    if membership is not None:
        messages.info(
            request,
            _("You are already a member of %(organisation)s.")
            % {"organisation": membership.organisation},
        )
        return redirect("portal:organisation-detail", slug=membership.organisation.slug)
    if selectors.user_has_buyer_or_team_membership(user=request.user):
        # Competition rules: the page says why, instead of a bare "no access".
        return render(request, "suppliers/register_refused.html", status=403)
    form = SupplierRegistrationForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            # A registration of a known company asks to join it: mail to its admins.
            attempts.consume(counters=[("mail_user", attempts.subject_of(request.user))])
            result = services.supplier_register(
                actor=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if isinstance(result, JoinRequest):
                request.session[JOIN_REQUEST_SESSION_KEY] = str(result.public_id)
                return redirect("suppliers:join-request-sent")
            set_active_organisation(request, result.memberships.get(user=request.user))
            messages.success(
                request,
                _(
                    "%(organisation)s is registered. You are its administrator. Next, show "
                    "that the registration is your company's."
                )
                % {"organisation": result},
            )
            return redirect("suppliers:identity", supplier=result.slug)
    return render(
        request,
        "suppliers/register.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def join_request_sent(request: HttpRequest) -> HttpResponse:
    public_id = request.session.get(JOIN_REQUEST_SESSION_KEY)
    join_request = (
        selectors.join_request_get_own(user=request.user, public_id=public_id)
        if public_id
        else None
    )
    return render(request, "suppliers/join_request_sent.html", {"join_request": join_request})


@login_required
@require_GET
def join_request_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.supplier_get_for_management(user=request.user, slug=slug)
    return render(
        request,
        "suppliers/join_request_list.html",
        {
            "organisation": organisation,
            "join_requests": selectors.join_request_list(organisation=organisation),
        },
    )


def _decide(request: HttpRequest, slug: str, public_id: str, *, approve: bool) -> HttpResponse:
    organisation = selectors.supplier_get_for_management(user=request.user, slug=slug)
    join_request = selectors.join_request_get_pending(
        organisation=organisation, public_id=public_id
    )
    try:
        services.join_request_decide(actor=request.user, join_request=join_request, approve=approve)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if approve:
            message = _("%(name)s is now a member of %(organisation)s.")
        else:
            message = _("The request of %(name)s was declined.")
        messages.success(
            request, message % {"name": join_request.user, "organisation": organisation}
        )
    return redirect("suppliers:join-request-list", slug=organisation.slug)


@login_required
@require_POST
def join_request_approve(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    return _decide(request, slug, public_id, approve=True)


@login_required
@require_POST
def join_request_decline(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    return _decide(request, slug, public_id, approve=False)
