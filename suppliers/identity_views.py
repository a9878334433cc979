"""Pages about a supplier's identity: its verification page (members; the project team
reads), the confirmation link, a dispute about its registration, and the project team's
review page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.forms import add_service_errors, post_data
from portal.selectors import membership_for
from suppliers import selectors, verification
from suppliers.identity_forms import (
    DisputeForm,
    DisputeResolveForm,
    DomainConfirmationForm,
    ExtractDecisionForm,
    ExtractUploadForm,
)
from suppliers.models import KvkExtract


def _require_writer(request: HttpRequest, organisation) -> None:
    """Only the company's admins and editors show its registration (403 for the project team,
    which reads the page)."""
    membership = membership_for(user=request.user, organisation=organisation)
    if membership is None or not membership.can_edit:
        raise PermissionDenied


def _identity_page(request, organisation, *, extract_form=None, domain_form=None, status=200):
    membership = membership_for(user=request.user, organisation=organisation)
    failed = next((f for f in (extract_form, domain_form) if f is not None and f.errors), None)
    return render(
        request,
        "suppliers/identity.html",
        {
            "organisation": organisation,
            "identity": selectors.supplier_identity(organisation=organisation),
            "can_edit": membership is not None and membership.can_edit,
            "extract_form": extract_form or ExtractUploadForm(),
            "domain_form": domain_form or DomainConfirmationForm(),
            "form": failed,
        },
        status=status,
    )


@login_required
@require_GET
def identity(request: HttpRequest, supplier: str) -> HttpResponse:
    organisation = selectors.supplier_get_for_identity(user=request.user, slug=supplier)
    return _identity_page(request, organisation)


@login_required
@require_POST
def identity_extract(request: HttpRequest, supplier: str) -> HttpResponse:
    organisation = selectors.supplier_get_for_identity(user=request.user, slug=supplier)
    _require_writer(request, organisation)
    form = ExtractUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            verification.extract_upload(
                actor=request.user,
                organisation=organisation,
                file=form.cleaned_data["file"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                exc = ValidationError({"file": exc.messages})
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your extract has been sent to the project team for checking.")
            )
            return redirect("suppliers:identity", supplier=organisation.slug)
    return _identity_page(request, organisation, extract_form=form, status=422)


@login_required
@require_POST
def identity_domain(request: HttpRequest, supplier: str) -> HttpResponse:
    organisation = selectors.supplier_get_for_identity(user=request.user, slug=supplier)
    _require_writer(request, organisation)
    form = DomainConfirmationForm(request.POST)
    if form.is_valid():
        try:
            verification.domain_confirmation_send(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                website=form.cleaned_data["website"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("We have sent a confirmation link to %(email)s. It is valid for two days.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("suppliers:identity", supplier=organisation.slug)
    return _identity_page(request, organisation, domain_form=form, status=422)


@never_cache
def domain_confirm(request: HttpRequest, domain_token: str) -> HttpResponse:
    """The link from the confirmation mail: the GET shows what is confirmed, the POST (a
    button) confirms it. Whoever reads mail at the company's domain may confirm."""
    profile = verification.domain_token_profile(token=domain_token)
    if profile is None:
        return render(request, "suppliers/domain_confirm.html", {"invalid": True}, status=410)
    if request.method == "POST":
        try:
            verification.domain_confirm(token=domain_token, actor=request.user)
        except ValidationError:
            return render(request, "suppliers/domain_confirm.html", {"invalid": True}, status=410)
        return render(
            request, "suppliers/domain_confirm.html", {"profile": profile, "confirmed": True}
        )
    return render(request, "suppliers/domain_confirm.html", {"profile": profile})


@login_required
def dispute_create(request: HttpRequest, join_request: str) -> HttpResponse:
    own = selectors.join_request_get_own(user=request.user, public_id=join_request)
    form = DisputeForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            verification.dispute_create(
                actor=request.user,
                join_request=own,
                explanation=form.cleaned_data["explanation"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your dispute has been sent to the project team. The people who registered "
                    "the company do not see it. The project team contacts you."
                ),
            )
            return redirect("portal:home")
    return render(
        request,
        "suppliers/dispute_form.html",
        {"join_request": own, "form": form},
        status=422 if form.errors else 200,
    )


def _require_team(request: HttpRequest) -> None:
    if not request.user.is_project_team:
        raise Http404


REVIEW_BATCH = 20  # extracts and disputes shown at a time, each with its decision form


def _review_page(request, *, failed=None, failed_for=None, status=200):
    # The oldest ones first, a bounded batch with their forms; the count says how many wait.
    extracts, extracts_total = selectors.first_with_total(
        selectors.extracts_pending(), REVIEW_BATCH
    )
    disputes, disputes_total = selectors.first_with_total(selectors.disputes_open(), REVIEW_BATCH)
    for extract in extracts:
        extract.form = (
            failed
            if failed_for == extract.public_id
            else ExtractDecisionForm(prefix=str(extract.public_id))
        )
    for dispute in disputes:
        dispute.form = (
            failed
            if failed_for == dispute.public_id
            else DisputeResolveForm(prefix=str(dispute.public_id))
        )
    return render(
        request,
        "suppliers/identity_review.html",
        {
            "extracts": extracts,
            "extracts_total": extracts_total,
            "disputes": disputes,
            "disputes_total": disputes_total,
            "unverified": selectors.unverified_suppliers()[:200],
            "form": failed,
        },
        status=status,
    )


@login_required
@require_GET
def identity_review(request: HttpRequest) -> HttpResponse:
    _require_team(request)
    return _review_page(request)


@login_required
@require_GET
def extract_file(request: HttpRequest, extract: str) -> FileResponse:
    _require_team(request)
    item = KvkExtract.objects.select_related("organisation").filter(public_id=extract).first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"kvk-uittreksel-{item.organisation.slug}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def extract_decide(request: HttpRequest, extract: str) -> HttpResponse:
    _require_team(request)
    item = selectors.extracts_pending().filter(public_id=extract).first()
    if item is None:
        raise Http404
    form = ExtractDecisionForm(request.POST, prefix=str(item.public_id))
    if form.is_valid():
        try:
            verification.extract_decide(
                actor=request.user,
                extract=item,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The decision about %(name)s has been recorded.")
                % {"name": item.organisation.name},
            )
            return redirect("suppliers:identity-review")
    return _review_page(request, failed=form, failed_for=item.public_id, status=422)


@login_required
@require_POST
def dispute_resolve(request: HttpRequest, dispute: str) -> HttpResponse:
    _require_team(request)
    item = selectors.disputes_open().filter(public_id=dispute).first()
    if item is None:
        raise Http404
    form = DisputeResolveForm(request.POST, prefix=str(item.public_id))
    if form.is_valid():
        try:
            verification.dispute_resolve(
                actor=request.user,
                dispute=item,
                transfer=form.cleaned_data["decision"] == "transfer",
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The dispute about %(name)s has been resolved.")
                % {"name": item.organisation.name},
            )
            return redirect("suppliers:identity-review")
    return _review_page(request, failed=form, failed_for=item.public_id, status=422)
