"""The person's own data: download it (a ZIP) and remove the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.forms import AccountRemoveForm, add_service_errors, post_data
from portal.models import User
from portal.privacy import is_removed, removal_blockers, user_remove
from portal.privacy_export import export_zip
from portal.selectors import is_project_team_editor


@login_required
@require_GET
def privacy_data(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy_data.html")


@login_required
@require_POST
def privacy_data_download(request: HttpRequest) -> HttpResponse:
    """POST, so that a link elsewhere cannot make a browser record a download."""
    body = export_zip(actor=request.user, language=get_language() or "")  # type: ignore[arg-type]
    response = HttpResponse(body, content_type="application/zip")
    name = f"mijn-gegevens-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_remove(request: HttpRequest) -> HttpResponse:
    user = request.user
    blockers = removal_blockers(user)  # type: ignore[arg-type]
    form = AccountRemoveForm(post_data(request))
    status = 200
    if request.method == "POST":
        if blockers:
            # Nothing to correct in the form: the page explains what must happen first.
            status = 422
        elif form.is_valid():
            try:
                user_remove(actor=user, user=user)  # type: ignore[arg-type]
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 422
            else:
                logout(request)
                messages.success(request, _("Your account and your personal data were removed."))
                return redirect("portal:home")
        else:
            status = 422
    return render(
        request, "portal/account_remove.html", {"form": form, "blockers": blockers}, status=status
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_remove(request: HttpRequest, user_id: str) -> HttpResponse:
    """The project team removes a person (a request under art. 17 AVG that reached them)."""
    if not is_project_team_editor(user=request.user):
        raise Http404
    person = get_object_or_404(User, public_id=user_id)
    if is_removed(person):
        raise Http404
    blockers = removal_blockers(person)
    form = AccountRemoveForm(post_data(request), person=person)
    status = 200
    if request.method == "POST":
        status = 422
        if not blockers and form.is_valid():
            try:
                user_remove(actor=request.user, user=person)  # type: ignore[arg-type]
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The person was removed; their pseudonym remains."))
                return redirect("portal:organisation-list")
    context = {"form": form, "blockers": blockers, "person": person}
    return render(request, "portal/person_remove.html", context, status=status)
