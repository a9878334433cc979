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
from consultations.models import ConsultationResponse
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
    response = ConsultationResponse.objects.filter(
        consultation=item, organisation=membership.organisation
    ).first()
    if membership.can_edit and item.is_open:
        response = services.response_get_or_create(actor=request.user, consultation=item)
    version = response.version if response else questionnaire_current(consultation=item)
    questions = services.version_questions(version) if version else []
    can_write = membership.can_edit and item.is_open
    form = ResponseForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        questions=questions,
        answers=response_selectors.response_answers(response=response),
        disabled=not can_write,
    )
    if request.method == "POST":
        try:
            if response is None:
                raise ValidationError(_("This market consultation is closed."))
            services.response_save(
                actor=request.user,
                response=response,
                answers=form.raw_answers(),
                files=form.raw_files(),
                remove_files=form.files_to_remove(),
            )
            if "submit" in request.POST:
                services.response_submit(actor=request.user, response=response)
                messages.success(request, _("Your answers have been submitted."))
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
        },
        status=422 if request.method == "POST" else 200,
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
    rows = [
        (q, answer_display(q, answers.get(q.key)), answers.get(q.key))
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
