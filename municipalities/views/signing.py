"""The mandate's authority: recording the college's decision and the signer, the project
team's checks, and the decision and designation files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from municipalities import selectors
from municipalities.forms.participation import SigningAuthorityForm
from municipalities.services import signing
from municipalities.views.participation import _mandate_action, _participation
from portal.tenancy import require


@login_required
@require_POST
def authority_set(request: HttpRequest, public_id) -> HttpResponse:
    participation = _participation(request, public_id)
    require(selectors.can_edit_participation(user=request.user, participation=participation))
    form = SigningAuthorityForm(
        request.POST,
        request.FILES,
        prefix="authority",
        signers=selectors.signer_candidates(participation=participation),
    )
    return _mandate_action(
        request,
        participation,
        form=form,
        form_name="authority_form",
        action=lambda data: signing.signing_authority_set(
            actor=request.user, participation=participation, **data
        ),
        success=_("Who may sign has been recorded. The project team checks it."),
        next_url=reverse("municipalities:mandate", args=[public_id]),
    )


@login_required
@require_POST
def authority_check(request: HttpRequest, public_id) -> HttpResponse:
    participation = _participation(request, public_id)
    require(selectors.can_decide_participation(user=request.user))
    try:
        signing.signing_authority_check(actor=request.user, participation=participation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The college's decision and the signer have been checked."))
    return redirect("municipalities:mandate", public_id=public_id)


@login_required
@require_POST
def signature_check(request: HttpRequest, public_id, signature_id) -> HttpResponse:
    participation = _participation(request, public_id)
    require(selectors.can_decide_participation(user=request.user))
    signature = selectors.mandate_signature_or_404(
        participation=participation, public_id=signature_id
    )
    try:
        signing.mandate_signature_check(
            actor=request.user, participation=participation, signature=signature
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The signed mandate has been checked against the signer."))
    return redirect("municipalities:mandate", public_id=public_id)


@login_required
@require_GET
def authority_file(request: HttpRequest, public_id, which: str) -> FileResponse:
    """The college's decision or the designation, for the participant and the project team."""
    participation = _participation(request, public_id)
    authority = selectors.signing_authority_of(participation=participation)
    files = {"besluit": "decision_file", "aanwijzing": "designation_file"}
    if authority is None or which not in files or not getattr(authority, files[which]):
        raise Http404
    return FileResponse(
        getattr(authority, files[which]).open("rb"),
        as_attachment=True,
        filename=f"{which}-{participation.organisation.slug}.pdf",
        content_type="application/pdf",
    )
