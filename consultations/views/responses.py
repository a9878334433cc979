"""A supplier's answers to a market consultation (its own page only), and the project team's
reading of one response. Answers are confidential: a supplier never sees another's response,
and every read by the project team is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from consultations.display import answer_display
from consultations.forms.responses import ResponseForm
from consultations.selectors import response_upgrade as upgrade_selectors
from consultations.selectors import responses as response_selectors
from consultations.selectors.consultation import consultation_get, questionnaire_current
from consultations.services import responses as services
from portal.tenancy import require
from suppliers import selectors

# --- Views ------------------------------------------------------------------------------------


@login_required
def response_edit(request: HttpRequest, consultation: str) -> HttpResponse:
    """The supplier's own response: editors and admins save a draft or submit; viewers read."""
    membership = selectors.user_supplier_membership(user=request.user)
    if membership is None:
        raise Http404
    item = consultation_get(user=request.user, slug=consultation)
    if request.method == "POST":
        require(membership.can_edit)
    # A GET writes nothing: the response is made on the first save, and moved to a newer
    # questionnaire version only when the supplier confirms that (response_upgrade).
    response = response_selectors.response_own(
        organisation=membership.organisation, consultation=item
    )
    current = questionnaire_current(consultation=item)
    outdated = response is not None and current is not None and response.version_id != current.pk
    version = response.version if response else current
    questions = services.version_questions(version) if version else []
    can_write = membership.can_edit and item.is_open and not outdated
    form = ResponseForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        questions=questions,
        answers=response_selectors.response_answers(response=response),
        disabled=not can_write,
    )
    if request.method == "POST":
        try:
            if outdated:
                raise ValidationError(OUTDATED)
            if not item.is_open:
                raise ValidationError(_("This market consultation is closed."))
            response = services.response_get_or_create(actor=request.user, consultation=item)
            services.response_save(
                actor=request.user,
                response=response,
                answers=form.raw_answers(),
                files=form.raw_files(),
                remove_files=form.files_to_remove(),
            )
            if "submit" in request.POST:
                services.response_submit(actor=request.user, response=response)
                # The receipt says it was received (no message repeating its heading).
                number = response.submissions.count()
                return redirect(
                    "consultations:response-receipt", consultation=item.slug, submission=number
                )
            else:
                messages.success(request, _("Your answers have been saved as a draft."))
        except ValidationError as exc:
            form.add_answer_errors(exc)
        else:
            return redirect("consultations:response-edit", consultation=item.slug)
    return render(
        request,
        "consultations/response_form.html",
        {
            "consultation": item,
            "response": response,
            "form": form,
            "questions": questions,
            "can_write": can_write,
            "outdated": outdated and item.is_open,
            "supplier_verified": selectors.supplier_is_verified(
                organisation=membership.organisation
            ),
            "supplier_slug": membership.organisation.slug,
            "last_submission": response_selectors.submission_last(response=response),
        },
        status=422 if request.method == "POST" else 200,
    )


OUTDATED = _(
    "The project team published a new version of the questionnaire. First look at what "
    "changes and move your answers to the new version."
)


@login_required
def response_upgrade(request: HttpRequest, consultation: str) -> HttpResponse:
    """What moving the supplier's response to the newest questionnaire version changes; the
    move itself is a POST by an editor or administrator of the supplier."""
    membership = selectors.user_supplier_membership(user=request.user)
    if membership is None:
        raise Http404
    item = consultation_get(user=request.user, slug=consultation)
    if request.method == "POST":
        require(membership.can_edit)
    response = response_selectors.response_own(
        organisation=membership.organisation, consultation=item
    )
    current = questionnaire_current(consultation=item)
    if response is None or current is None or response.version_id == current.pk:
        if request.method == "POST":
            messages.error(request, _("Your answers already belong to the newest version."))
        context = {"consultation": item, "summary": None}
        status = 422 if request.method == "POST" else 200
        return render(request, "consultations/response_upgrade.html", context, status=status)
    if request.method == "POST":
        try:
            services.response_upgrade(actor=request.user, response=response, version=current)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Your answers now belong to version %(number)s. Check them and submit again.")
                % {"number": current.number},
            )
            return redirect("consultations:response-edit", consultation=item.slug)
    summary = upgrade_selectors.response_upgrade_summary(response=response, version=current)
    context = {
        "consultation": item,
        "summary": summary,
        "can_write": membership.can_edit and item.is_open,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "consultations/response_upgrade.html", context, status=status)


@login_required
@require_GET
def response_receipt(request: HttpRequest, consultation: str, submission: int) -> HttpResponse:
    """The receipt of one of the supplier's own submissions: its reference and time, for
    every member of the supplier (the confirmation mail goes to the submitter)."""
    membership = selectors.user_supplier_membership(user=request.user)
    if membership is None:
        raise Http404
    item = consultation_get(user=request.user, slug=consultation)
    sent = response_selectors.submission_own_get(
        organisation=membership.organisation, consultation=item, number=submission
    )
    latest = sent.response.submissions.order_by("-number").values_list("number", flat=True)
    return render(
        request,
        "consultations/response_receipt.html",
        {
            "consultation": item,
            "organisation": membership.organisation,
            "submission": sent,
            "reference": response_selectors.submission_reference(sent),
            "answered": len(sent.answers),
            "is_latest": latest.first() == sent.number,
            "mailed_to": sent.submitted_by.email if sent.submitted_by else "",
        },
    )


@login_required
@require_GET
def response_detail(request: HttpRequest, consultation: str, response: str) -> HttpResponse:
    """The project team reads one supplier's response; every read is recorded."""
    item = consultation_get(user=request.user, slug=consultation)
    answer = response_selectors.response_get_for_project_team(
        user=request.user, consultation=item, public_id=response
    )
    services.response_read_by_project_team(actor=request.user, response=answer)
    answers = response_selectors.response_answers(response=answer)
    files = response_selectors.response_files(response=answer)
    rows = [
        (q, answer_display(q, answers.get(q.key)), answers.get(q.key), files.get(q.key))
        for q in services.version_questions(answer.version)
    ]
    return render(
        request,
        "consultations/response_detail.html",
        {
            "consultation": item,
            "response": answer,
            "rows": rows,
            "submissions": response_selectors.response_submissions(response=answer),
        },
    )


@login_required
@require_GET
def response_submission(
    request: HttpRequest, consultation: str, response: str, submission: int
) -> HttpResponse:
    """The project team reads what a supplier submitted earlier, against the questionnaire
    version it answered; every read is recorded."""
    item = consultation_get(user=request.user, slug=consultation)
    found = response_selectors.response_get_for_project_team(
        user=request.user, consultation=item, public_id=response
    )
    sent = response_selectors.submission_get_for_project_team(
        user=request.user, response=found, number=submission
    )
    services.response_read_by_project_team(
        actor=request.user, response=found, submission=sent.number
    )
    rows = [
        (q, answer_display(q, sent.answers.get(q.key)), sent.answers.get(q.key))
        for q in services.version_questions(sent.version)
    ]
    return render(
        request,
        "consultations/response_submission.html",
        {"consultation": item, "response": found, "submission": sent, "rows": rows},
    )


@login_required
@require_GET
def answer_file_download(
    request: HttpRequest, consultation: str, response: str, file_question: str
) -> FileResponse:
    """A file answering a question, as a download: for the supplier's own members and the
    project team (whose every download is recorded)."""
    item = consultation_get(user=request.user, slug=consultation)
    answer = response_selectors.answer_file_get(
        user=request.user, consultation=item, response_id=response, question_key=file_question
    )
    try:
        file = answer.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if request.user.is_project_team:
        services.answer_file_read_by_project_team(actor=request.user, answer=answer)
    return FileResponse(
        file,
        as_attachment=True,
        filename=response_selectors.answer_file_download_name(answer),
        content_type="application/pdf",
    )
