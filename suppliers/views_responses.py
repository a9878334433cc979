"""A supplier's answers to a market consultation (its own page only), and the project team's
reading of one response. Answers are confidential: a supplier never sees another's response,
and every read by the project team is audited."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.tenancy import get_visible_or_404, require

from . import services_responses as services
from .forms_responses import ResponseForm
from .models import Answer, ConsultationResponse

# --- Reads (scoped to the viewer) -------------------------------------------------------------


def _consultation(*, user: Any, slug: str):
    # By name: this app does not import tenders.
    consultation_model = apps.get_model("tenders", "Consultation")
    return get_visible_or_404(consultation_model.objects.all(), user, slug=slug)


def response_answers(*, response: ConsultationResponse | None) -> dict[str, Any]:
    if response is None:
        return {}
    return {a.question_key: a.value for a in response.answers.all()}


def response_get_for_project_team(*, user: Any, consultation, public_id) -> ConsultationResponse:
    """One response for the project team; 404 for everyone else, the supplier included (it
    reads its answers on its own page)."""
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404
    return get_visible_or_404(
        ConsultationResponse.objects.select_related("organisation", "version", "updated_by"),
        user,
        consultation=consultation,
        public_id=public_id,
    )


def answer_file_get(*, user: Any, consultation, response_id, question_key: str) -> Answer:
    """The stored file answering one question of a response: for the supplier's own members
    (any role) and the project team; 404 for everyone else and for an answer without a
    file."""
    response = get_visible_or_404(
        ConsultationResponse.objects.select_related("organisation", "consultation"),
        user,
        consultation=consultation,
        public_id=response_id,
    )
    answer = response.answers.filter(question_key=question_key).exclude(file="").first()
    if answer is None:
        raise Http404
    answer.response = response
    return answer


def answer_file_download_name(answer: Answer) -> str:
    """A file name safe for any browser and file system, recognisable by the question key
    and the supplier's own name for the file."""
    name = (answer.value or {}).get("name", "") if isinstance(answer.value, dict) else ""
    stem = slugify(name.removesuffix(".pdf"))[:80]
    return f"{answer.question_key}-{stem}.pdf" if stem else f"{answer.question_key}.pdf"


def answer_display(question, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if question.type == "yes_no":
        return _("Yes") if value else _("No")
    if question.type == "multiple_choice":
        return ", ".join(value)
    if question.type == "number":
        return f"{str(value).replace('.', ',')} {question.unit}".strip()
    if question.type == "date":
        year, month, day = str(value).split("-")
        return f"{day}-{month}-{year}"
    if question.type == "file":
        return str(value.get("name", "")) if isinstance(value, dict) else ""
    if question.type == "price_per_item":
        names = {str(c.pk): c.name_nl for c in question.categories.all()}
        return "; ".join(
            f"{names.get(pk, pk)}: € {price.replace('.', ',')}" for pk, price in value.items()
        )
    return str(value)


# --- Views ------------------------------------------------------------------------------------


@login_required
def response_edit(request: HttpRequest, consultation: str) -> HttpResponse:
    """The supplier's own response: editors and admins save a draft or submit; viewers read."""
    membership = services.supplier_membership(actor=request.user)
    if membership is None:
        raise Http404
    item = _consultation(user=request.user, slug=consultation)
    if request.method == "POST":
        require(membership.can_edit)
    response = ConsultationResponse.objects.filter(
        consultation=item, organisation=membership.organisation
    ).first()
    if membership.can_edit and item.is_open:
        response = services.response_get_or_create(actor=request.user, consultation=item)
    version = response.version if response else services.newest_published_version(item)
    questions = services.version_questions(version) if version else []
    can_write = membership.can_edit and item.is_open
    form = ResponseForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        questions=questions,
        answers=response_answers(response=response),
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
            return redirect("suppliers:response-edit", consultation=item.slug)
    return render(
        request,
        "suppliers/response_form.html",
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
    item = _consultation(user=request.user, slug=consultation)
    answer = response_get_for_project_team(user=request.user, consultation=item, public_id=response)
    services.response_read_by_project_team(actor=request.user, response=answer)
    answers = response_answers(response=answer)
    rows = [
        (q, answer_display(q, answers.get(q.key)), answers.get(q.key))
        for q in services.version_questions(answer.version)
    ]
    return render(
        request,
        "suppliers/response_detail.html",
        {"consultation": item, "response": answer, "rows": rows},
    )


@login_required
@require_GET
def answer_file_download(
    request: HttpRequest, consultation: str, response: str, file_question: str
) -> FileResponse:
    """A file answering a question, as a download: for the supplier's own members and the
    project team (whose every download is recorded)."""
    item = _consultation(user=request.user, slug=consultation)
    answer = answer_file_get(
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
        filename=answer_file_download_name(answer),
        content_type="application/pdf",
    )
