"""Joining a programme: the participant's pages and the project team's decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from municipalities import selectors
from municipalities.forms.participation import (
    MandateRequestForm,
    MandateSignForm,
    MandateUploadForm,
    ParticipationForm,
    ReasonForm,
    SigningAuthorityForm,
)
from municipalities.models import MandateDocument, Participation
from municipalities.services import mandates, participations
from portal.active import active_membership
from portal.forms import add_service_errors, post_data
from portal.idempotency import AlreadyDone
from portal.paged_rows import LIST_PAGE_SIZE
from portal.selectors import membership_for
from portal.tenancy import require


def _participation(request: HttpRequest, public_id) -> Participation:
    return selectors.participation_get_for_user(user=request.user, public_id=public_id)


def _form_status(form) -> int:
    return 422 if form.errors else 200


@login_required
@require_GET
def participation_list(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request)
    organisation = membership.organisation if membership else None
    # The project team sees every participation: a page at a time.
    page = Paginator(selectors.participation_list(user=request.user), LIST_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "municipalities/participation_list.html",
        {
            "participations": page.object_list,
            "page": page,
            "organisation": organisation,
            "programmes": selectors.programmes_open_for_joining(),
            "can_join": organisation is not None
            and selectors.can_join_for(user=request.user, organisation=organisation),
        },
    )


def _participation_form(request, organisation, programme, participation=None):
    available = selectors.municipalities_available_to(organisation=organisation)
    fixed = available.first() if organisation.kind == organisation.Kind.MUNICIPALITY else None
    return ParticipationForm(
        post_data(request),
        municipalities=available,
        lots=programme.lots.all(),
        fixed_municipality=fixed,
        organisation_kind=organisation.kind,
        own_staff=participation.own_staff if participation else None,
        initial=ParticipationForm.initial_for(participation) if participation else None,
    )


@login_required
def participation_create(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = selectors.programme_open_for_joining_or_404(slug=programme_slug)
    membership = active_membership(request)
    if membership is None:
        raise Http404
    organisation = membership.organisation
    require(selectors.can_join_for(user=request.user, organisation=organisation))
    existing = selectors.participation_for_organisation(
        organisation=organisation, programme_id=programme.pk
    )
    if existing is not None:
        return redirect("municipalities:participation-detail", public_id=existing.public_id)
    form = _participation_form(request, organisation, programme)
    if request.method == "POST" and form.is_valid():
        try:
            participation = participations.participation_create(
                actor=request.user,
                programme=programme,
                organisation=organisation,
                municipalities=form.cleaned_data.get("municipalities") or [],
                contacts=form.contacts(),
                current_contract_end=form.cleaned_data.get("current_contract_end"),
                lots=form.cleaned_data.get("lots") or [],
                remarks=form.cleaned_data.get("remarks", ""),
                own_staff=form.own_staff,
                seat_municipality=form.cleaned_data.get("seat_municipality"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your registration has been saved as a draft."))
            return redirect(
                "municipalities:participation-detail", public_id=participation.public_id
            )
    return render(
        request,
        "municipalities/participation_form.html",
        {"form": form, "programme": programme, "organisation": organisation},
        status=_form_status(form),
    )


@login_required
@require_GET
def participation_detail(request: HttpRequest, public_id) -> HttpResponse:
    participation = _participation(request, public_id)
    return render(
        request,
        "municipalities/participation_detail.html",
        selectors.participation_page_context(user=request.user, participation=participation),
    )


@login_required
def participation_edit(request: HttpRequest, public_id) -> HttpResponse:
    participation = _participation(request, public_id)
    require(selectors.can_edit_participation(user=request.user, participation=participation))
    if not participation.is_editable:
        messages.error(request, _("This registration can no longer be changed."))
        return redirect("municipalities:participation-detail", public_id=public_id)
    form = _participation_form(
        request, participation.organisation, participation.programme, participation
    )
    if request.method == "POST" and form.is_valid():
        try:
            participations.participation_update(
                actor=request.user,
                participation=participation,
                municipalities=form.cleaned_data.get("municipalities") or [],
                contacts=form.contacts(),
                current_contract_end=form.cleaned_data.get("current_contract_end"),
                lots=form.cleaned_data.get("lots") or [],
                remarks=form.cleaned_data.get("remarks", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("municipalities:participation-detail", public_id=public_id)
    return render(
        request,
        "municipalities/participation_form.html",
        {
            "form": form,
            "programme": participation.programme,
            "organisation": participation.organisation,
            "participation": participation,
        },
        status=_form_status(form),
    )


def _mandate_context(request, participation, **forms) -> dict:
    context = selectors.participation_page_context(user=request.user, participation=participation)
    context.setdefault("request_form", MandateRequestForm())
    context.setdefault(
        "authority_form",
        SigningAuthorityForm(
            prefix="authority",
            signers=selectors.signer_candidates(participation=participation),
            initial=SigningAuthorityForm.initial_for(context["authority"]),
        ),
    )
    context.setdefault("upload_form", MandateUploadForm(prefix="upload"))
    context.setdefault("sign_form", MandateSignForm())
    context.update(forms)
    context["document_stuck"] = mandates.mandate_stuck(document=context.get("document"))
    return context


def _mandate_action(request, participation, *, form, form_name, action, success, next_url):
    """Run one mandate service with a bound form: on success a message and a redirect; on
    errors the mandate page again with the errors next to the fields (422)."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except AlreadyDone:
            # A double click or a resent form: the first submission did the work; show it.
            messages.info(
                request,
                _(
                    "This was already done: the new version of the mandate was requested once. "
                    "Its status is shown below."
                ),
            )
            return redirect(next_url)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(next_url)
    return render(
        request,
        "municipalities/mandate.html",
        _mandate_context(request, participation, **{form_name: form}, form=form),
        status=422,
    )


@login_required
def mandate(request: HttpRequest, public_id) -> HttpResponse:
    participation = _participation(request, public_id)
    if request.method == "POST":
        require(selectors.can_edit_participation(user=request.user, participation=participation))
        return _mandate_action(
            request,
            participation,
            form=MandateRequestForm(request.POST),
            form_name="request_form",
            action=lambda data: mandates.mandate_request(
                actor=request.user, participation=participation, **data
            ),
            success=_("The mandate is being generated."),
            next_url=reverse("municipalities:mandate", args=[public_id]),
        )
    return render(request, "municipalities/mandate.html", _mandate_context(request, participation))


@login_required
@require_GET
def mandate_status(request: HttpRequest, public_id) -> HttpResponse:
    """The status of the newest mandate version; polled by htmx while it is being generated."""
    participation = _participation(request, public_id)
    context = selectors.participation_page_context(user=request.user, participation=participation)
    context["document_stuck"] = mandates.mandate_stuck(document=context.get("document"))
    response = render(request, "municipalities/mandate.html#status", context)
    document = context.get("document")
    finished = (MandateDocument.Status.DONE, MandateDocument.Status.FAILED)
    if request.headers.get("HX-Request") and (document is None or document.status in finished):
        # Generating has ended: the whole page moves on to its next state (the signing
        # form), not only this box.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def mandate_retry(request: HttpRequest, public_id, document_id) -> HttpResponse:
    participation = _participation(request, public_id)
    document = selectors.mandate_document_or_404(participation=participation, public_id=document_id)
    require(selectors.can_edit_participation(user=request.user, participation=participation))
    mandates.mandate_retry(actor=request.user, document=document)
    return redirect("municipalities:mandate", public_id=public_id)


@login_required
@require_GET
def mandate_download(request: HttpRequest, public_id, document_id) -> FileResponse:
    participation = _participation(request, public_id)
    document = selectors.mandate_document_or_404(participation=participation, public_id=document_id)
    if document.status != MandateDocument.Status.DONE:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"mandaat-{participation.organisation.slug}-v{document.version}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_GET
def signed_mandate_download(request: HttpRequest, public_id, signature_id) -> FileResponse:
    participation = _participation(request, public_id)
    signature = selectors.mandate_signature_or_404(
        participation=participation, public_id=signature_id
    )
    file = selectors.signed_file_of(signature=signature)
    if not file:
        raise Http404
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"mandaat-getekend-{participation.organisation.slug}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def mandate_upload(request: HttpRequest, public_id) -> HttpResponse:
    participation = _participation(request, public_id)
    user = request.user
    require(
        selectors.can_edit_participation(user=user, participation=participation)
        or selectors.is_designated_signer(user=user, participation=participation)
    )
    return _mandate_action(
        request,
        participation,
        form=MandateUploadForm(request.POST, request.FILES, prefix="upload"),
        form_name="upload_form",
        action=lambda data: mandates.mandate_upload_signed(
            actor=request.user, participation=participation, **data
        ),
        success=_("The signed mandate has been uploaded."),
        next_url=reverse("municipalities:participation-detail", args=[public_id]),
    )


@login_required
@require_POST
def mandate_sign(request: HttpRequest, public_id) -> HttpResponse:
    # Members only; which member may sign is the service's rule: a member who is not the
    # designated signer is told who is.
    participation = _participation(request, public_id)
    require(membership_for(user=request.user, organisation=participation.organisation) is not None)
    document = selectors.latest_mandate_document(participation=participation)

    def sign(data):
        if document is None:
            raise ValidationError(_("Generate the mandate first."))
        mandates.mandate_sign(
            actor=request.user, participation=participation, document=document, **data
        )

    return _mandate_action(
        request,
        participation,
        form=MandateSignForm(request.POST),
        form_name="sign_form",
        action=sign,
        success=_("You have signed the mandate."),
        next_url=reverse("municipalities:participation-detail", args=[public_id]),
    )


@login_required
def participation_submit(request: HttpRequest, public_id) -> HttpResponse:
    """Check your answers, then submit."""
    participation = _participation(request, public_id)
    require(selectors.can_edit_participation(user=request.user, participation=participation))
    context = selectors.participation_page_context(user=request.user, participation=participation)
    if request.method == "POST":
        try:
            participations.participation_submit(actor=request.user, participation=participation)
        except ValidationError as exc:
            context["errors"] = exc.messages
            return render(request, "municipalities/participation_submit.html", context, status=422)
        return redirect("municipalities:participation-submitted", public_id=public_id)
    return render(request, "municipalities/participation_submit.html", context)


@login_required
@require_GET
def participation_submitted(request: HttpRequest, public_id) -> HttpResponse:
    participation = _participation(request, public_id)
    return render(
        request,
        "municipalities/participation_submitted.html",
        selectors.participation_page_context(user=request.user, participation=participation),
    )


def _reason_action(
    request, public_id, *, allowed, action, template, success, reason_required=lambda p: True
):
    participation = _participation(request, public_id)
    require(allowed(participation))
    form = ReasonForm(post_data(request), reason_required=reason_required(participation))
    if request.method == "POST" and form.is_valid():
        try:
            action(participation, form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("municipalities:participation-detail", public_id=public_id)
    context = selectors.participation_page_context(user=request.user, participation=participation)
    context["form"] = form
    return render(request, template, context, status=_form_status(form))


@login_required
def participation_withdraw(request: HttpRequest, public_id) -> HttpResponse:
    user = request.user
    return _reason_action(
        request,
        public_id,
        allowed=lambda p: selectors.can_withdraw_participation(user=user, participation=p),
        action=lambda p, reason: participations.participation_withdraw(
            actor=user, participation=p, reason=reason
        ),
        template="municipalities/participation_withdraw.html",
        success=_("The registration has been withdrawn."),
        # Free until the programme's freeze date; after it the project team gives a reason.
        reason_required=lambda p: p.programme.is_frozen,
    )


@login_required
def participation_return(request: HttpRequest, public_id) -> HttpResponse:
    user = request.user
    return _reason_action(
        request,
        public_id,
        allowed=lambda p: selectors.can_decide_participation(user=user),
        action=lambda p, reason: participations.participation_return(
            actor=user, participation=p, reason=reason
        ),
        template="municipalities/participation_return.html",
        success=_("The registration has been returned to the participant."),
    )


@login_required
@require_POST
def participation_approve(request: HttpRequest, public_id) -> HttpResponse:
    participation = _participation(request, public_id)
    require(selectors.can_decide_participation(user=request.user))
    try:
        participations.participation_approve(actor=request.user, participation=participation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The registration has been approved."))
    return redirect("municipalities:participation-detail", public_id=public_id)
