"""The person's own data: download it (a ZIP) and remove the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.forms import AccountRemoveForm, add_service_errors, post_data
from portal.privacy import removal_blockers, user_remove
from portal.privacy_export import export_zip


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
            form.is_valid()
            form.add_error(None, blockers)
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
