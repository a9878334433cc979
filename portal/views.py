from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal import attempts, selectors, services
from portal.active import set_active_organisation
from portal.adapters import INVITATION_SESSION_KEY
from portal.forms import InvitationForm, OrganisationSwitchForm, add_service_errors, post_data
from portal.health import broker_status, cache_status, database_status
from portal.paged_rows import LIST_PAGE_SIZE

PAGE_SIZE = LIST_PAGE_SIZE


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("User-agent: *\nDisallow: /\nAllow: /$\n", content_type="text/plain")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": database_status(connection),
        "broker": broker_status(),
        "cache": cache_status(),
    }
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )


@login_required
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    organisations = selectors.organisation_list(user=request.user, kind=kind)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "portal/organisation_list.html",
        {
            "organisations": page.object_list,
            "page": page,
            "kind": kind,
            "page_query": urlencode({"kind": kind}) if kind else "",
        },
    )


@login_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, slug=slug)
    can_manage = selectors.can_manage_members(user=request.user, organisation=organisation)
    return render(
        request,
        "portal/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.member_list(organisation=organisation),
            "invitations": selectors.invitation_list(organisation=organisation)
            if can_manage
            else [],
            "can_manage": can_manage,
            "can_remove_people": selectors.is_project_team_editor(user=request.user),
        },
    )


@login_required
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_management(user=request.user, slug=slug)
    form = InvitationForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            # A limit on invitation mail, per inviting user and per organisation.
            attempts.consume(
                counters=[
                    ("invitation_user", attempts.subject_of(request.user)),
                    ("invitation_organisation", f"org-{organisation.pk}"),
                ]
            )
            invitation, _token = services.invitation_create(
                actor=request.user,
                organisation=organisation,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("portal:organisation-detail", slug=organisation.slug)
    status = 422 if form.errors else 200
    return render(
        request,
        "portal/invitation_form.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_management(user=request.user, slug=slug)
    invitation = (
        selectors.invitation_list(organisation=organisation).filter(public_id=public_id).first()
    )
    if invitation is None:
        raise Http404
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(
        request, _("The invitation for %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("portal:organisation-detail", slug=organisation.slug)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_management(user=request.user, slug=slug)
    membership = (
        selectors.member_list(organisation=organisation).filter(public_id=public_id).first()
    )
    if membership is None:
        raise Http404
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(name)s was removed from the organisation.") % {"name": membership.user}
        )
    return redirect("portal:organisation-detail", slug=organisation.slug)


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    # Tokens are not guessed: unknown ones are limited per client address.
    if (refused := attempts.link_refused(request)) is not None:
        return refused
    invitation = services.invitation_get_by_token(token=token)
    if invitation is None:
        attempts.link_unknown(request)
        raise Http404
    context = {"invitation": invitation, "token": token}
    if not invitation.is_open:
        request.session.pop(INVITATION_SESSION_KEY, None)
        return render(request, "portal/invitation_invalid.html", context, status=410)
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        return render(request, "portal/invitation_accept.html", context)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(actor=request.user, invitation=invitation)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, "portal/invitation_accept.html", context, status=422)
        request.session.pop(INVITATION_SESSION_KEY, None)
        set_active_organisation(request, membership)
        messages.success(
            request,
            _("Welcome! You are now a member of %(organisation)s.")
            % {"organisation": membership.organisation},
        )
        return redirect("portal:home")
    return render(request, "portal/invitation_accept.html", context)


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    form = OrganisationSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404
    membership = selectors.membership_get_own(
        user=request.user, organisation_public_id=form.cleaned_data["organisation"]
    )
    set_active_organisation(request, membership)
    messages.success(
        request,
        _("You are now working for %(organisation)s.") % {"organisation": membership.organisation},
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("portal:home")
    return redirect(next_url)


# The error pages must render while the database or the cache is down (that may be why they
# are shown): the 500 page never touches the request (no session, no user, no query), and the
# 403 and 404 pages fall back to the same static rendering when the full one fails.
logger = logging.getLogger(__name__)


def _static_error_page(template: str, status: int) -> HttpResponse:
    # No request: no context processors, so no session, user, messages or membership lookup.
    return HttpResponse(loader.render_to_string(template, {"static_page": True}), status=status)


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    try:
        return render(request, template, status=status)
    except Exception:  # noqa: BLE001 - the database or the cache is down; say it plainly
        logger.exception("The %s page fell back to its static form", status)
        return _static_error_page(template, status)


def error_403(request, exception=None):
    return _error_page(request, "403.html", 403)


def error_404(request, exception=None):
    return _error_page(request, "404.html", 404)


def error_500(request):
    return _static_error_page("500.html", 500)
