"""The project team invites contacts from a spreadsheet and reads the report of each upload."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from municipalities.forms.onboarding import BulkInvitationForm
from municipalities.models import BulkInvitation
from municipalities.services import bulk_invite as services
from portal import attempts
from portal.forms import add_service_errors
from portal.selectors import is_project_team_editor
from portal.tenancy import require

RECENT = 20


def _require_team_editor(request: HttpRequest) -> None:
    """The project team's page: 404 for everyone else, 403 for the team's viewers."""
    if not request.user.is_project_team:
        raise Http404
    require(lambda: is_project_team_editor(user=request.user))


@login_required
def bulk_invitation(request: HttpRequest) -> HttpResponse:
    _require_team_editor(request)
    form = BulkInvitationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # One upload counts once: a bulk invitation of all 342 municipalities is one
            # action, bounded by its rows (services.max_rows()), not by the per-invitation limit.
            attempts.consume(
                counters=[("bulk_invitation", attempts.subject_of(request.user))], field="file"
            )
            services.scan(upload, actor=request.user)
            rows = services.read_rows(upload)
            bulk = services.bulk_invite(
                actor=request.user,
                rows=rows,
                file_name=upload.name or "",
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("municipalities:bulk-invitation-report", bulk=bulk.public_id)
    recent = BulkInvitation.objects.select_related("created_by").order_by("-created_at")[:RECENT]
    return render(
        request,
        "municipalities/bulk_invitation.html",
        {"form": form, "recent": recent, "max_rows": services.max_rows()},
        status=422 if form.errors else 200,
    )


@login_required
@require_GET
def bulk_invitation_report(request: HttpRequest, bulk) -> HttpResponse:
    _require_team_editor(request)
    bulk = BulkInvitation.objects.select_related("created_by").filter(public_id=bulk).first()
    if bulk is None:
        raise Http404
    refused = [entry for entry in bulk.report if not entry.get("sent")]
    sent = [entry for entry in bulk.report if entry.get("sent")]
    return render(
        request,
        "municipalities/bulk_invitation_report.html",
        {"bulk": bulk, "refused": refused, "sent": sent},
    )


@login_required
def authority_create(request: HttpRequest) -> HttpResponse:
    """The project team adds a joint body or another contracting authority."""
    import re

    from django.contrib import messages
    from django.utils.translation import gettext as _

    from municipalities.forms.onboarding import AuthorityCreateForm
    from municipalities.services.onboarding import authority_create as create

    _require_team_editor(request)
    form = AuthorityCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        codes = [
            f"GM{int(code):04d}"
            for code in re.findall(r"(?:GM)?\s*(\d{1,4})", data["cbs_codes"].upper())
        ][:400]
        try:
            organisation = create(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                cbs_codes=codes,
                kvk_number=data["kvk_number"],
                oin=data["oin"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s has been added. Invite its contacts now.") % {"name": organisation},
            )
            return redirect("portal:invitation-create", slug=organisation.slug)
    return render(
        request,
        "municipalities/authority_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )
