"""The market consultation: the project team's pages (consultations, documents, the
questionnaire builder) and the public announcement with its documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from consultations.forms.consultation import (
    ConsultationForm,
    DocumentForm,
    QuestionForm,
    SectionForm,
)
from consultations.models import Question
from consultations.selectors import consultation as consultation_selectors
from consultations.selectors import parts as consultation_parts
from consultations.selectors import responses as response_selectors
from consultations.selectors.consultation import (
    Audience,
    consultation_get,
    questionnaire_public,
    questionnaire_published_versions,
)
from consultations.services import consultation as services
from consultations.services import reads
from consultations.services import report as report_services
from portal.competition import may_join
from portal.forms import add_service_errors, post_data
from portal.models import Organisation
from portal.paged_rows import LIST_PAGE_SIZE
from portal.tenancy import require
from suppliers.selectors import user_supplier_membership
from tenders.selectors import programme as programme_selectors

RESPONSES_PAGE_SIZE = LIST_PAGE_SIZE  # a list the team works through, paged like the others

# --- Project team -----------------------------------------------------------------------------


@login_required
def consultation_list(request: HttpRequest, programme_slug: str) -> HttpResponse:
    """A programme's consultations, and a form to create one (project-team editors)."""
    programme = programme_selectors.programme_get_for_project_team(
        user=request.user, slug=programme_slug
    )
    can_change = programme_selectors.can_change_programme(user=request.user)
    form = ConsultationForm(post_data(request))
    if request.method == "POST":
        require(can_change)
        if form.is_valid():
            data = form.cleaned_data
            try:
                consultation = services.consultation_create(
                    actor=request.user,
                    programme=programme,
                    title=data["title"],
                    slug=data["slug"],
                    introduction=data["introduction"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The market consultation has been created."))
                return redirect("consultations:consultation-manage", consultation=consultation.slug)
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "programme": programme,
            "consultations": programme.consultations.order_by("-opens_at", "title"),
            "form": form,
            "can_change": can_change,
        },
        status=422 if form.errors else 200,
    )


@login_required
def consultation_manage(request: HttpRequest, consultation: str) -> HttpResponse:
    """Change the consultation and upload its documents."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    can_change = programme_selectors.can_change_programme(user=request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    local_open, local_close = timezone.localtime(item.opens_at), timezone.localtime(item.closes_at)
    form = ConsultationForm(
        post_data(request) if action == "details" else None,
        with_slug=False,
        initial={
            "title": item.title,
            "introduction": item.introduction,
            "opens_date": f"{local_open:%d-%m-%Y}",
            "opens_time": f"{local_open:%H:%M}",
            "closes_date": f"{local_close:%d-%m-%Y}",
            "closes_time": f"{local_close:%H:%M}",
        },
        prefix="details",
    )
    document_form = DocumentForm(
        request.POST if action == "document" else None,
        request.FILES if action == "document" else None,
        prefix="document",
    )
    if request.method == "POST":
        require(can_change)
        try:
            if action == "details" and form.is_valid():
                data = form.cleaned_data
                services.consultation_update(
                    actor=request.user,
                    consultation=item,
                    title=data["title"],
                    introduction=data["introduction"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    base_url=request.build_absolute_uri("/"),
                )
                messages.success(request, _("The market consultation has been saved."))
                return redirect("consultations:consultation-manage", consultation=item.slug)
            if action == "document" and document_form.is_valid():
                services.document_upload(
                    actor=request.user,
                    consultation=item,
                    title=document_form.cleaned_data["title"],
                    file=document_form.cleaned_data["file"],
                )
                messages.success(request, _("The document has been added."))
                return redirect("consultations:consultation-manage", consultation=item.slug)
        except ValidationError as exc:
            add_service_errors(form if action == "details" else document_form, exc)
    failed = document_form if document_form.errors else form
    parts = consultation_parts.manage_context(user=request.user, consultation=item)
    for report in parts.get("report_part", {}).get("reports", []):
        # A stuck version offers "try again"; the check needs the job kind, a service's.
        report.is_stuck = report_services.report_stuck(report=report)
    return render(
        request,
        "consultations/consultation_manage.html",
        {
            "consultation": item,
            "programme": item.programme,
            "documents": item.documents.all(),
            "has_published_version": questionnaire_published_versions(consultation=item).exists(),
            "form": failed,
            "details_form": form,
            "document_form": document_form,
            "can_change": can_change,
            **parts,
        },
        status=422 if failed.errors else 200,
    )


def _status_change(request: HttpRequest, slug: str, change, success: str) -> HttpResponse:
    """Publish or close: the service decides; its refusal is shown on the management page."""
    item = consultation_get(user=request.user, slug=slug, audience=Audience.PROJECT_TEAM)
    require(programme_selectors.can_change_programme(user=request.user))
    try:
        change(actor=request.user, consultation=item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("consultations:consultation-manage", consultation=item.slug)


@login_required
@require_POST
def consultation_publish(request: HttpRequest, consultation: str) -> HttpResponse:
    return _status_change(
        request,
        consultation,
        services.consultation_publish,
        _("The market consultation has been published."),
    )


@login_required
@require_POST
def consultation_close(request: HttpRequest, consultation: str) -> HttpResponse:
    return _status_change(
        request,
        consultation,
        services.consultation_close,
        _("The market consultation has been closed."),
    )


@login_required
@require_GET
def consultation_responses(request: HttpRequest, consultation: str) -> HttpResponse:
    """The project team's list of the suppliers' responses (who, status, version); reading
    the answers themselves is audited on the response's own page."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    page = Paginator(
        response_selectors.consultation_responses(consultation=item), RESPONSES_PAGE_SIZE
    )
    counts = response_selectors.consultation_response_counts(consultation=item)
    reads.participants_read(
        actor=request.user, consultation=item, subject=reads.RESPONDENTS, view="responses"
    )
    return render(
        request,
        "consultations/consultation_responses.html",
        {
            "consultation": item,
            "programme": item.programme,
            "page": page.get_page(request.GET.get("pagina")),
            "started": counts["started"],
            "submitted": counts["submitted"],
        },
    )


BUILDER_ACTIONS = ("section", "question", "publish", "new_version")


@login_required
def questionnaire_builder(request: HttpRequest, consultation: str) -> HttpResponse:
    """The current draft version (add sections and questions, publish it, or start a new
    version after publishing) and the published versions, read-only."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    can_change = programme_selectors.can_change_programme(user=request.user)
    versions = consultation_selectors.questionnaire_versions(consultation=item)
    draft = next((v for v in versions if v.is_draft), None)
    sections = list(draft.sections.all()) if draft else []
    action = request.POST.get("action") if request.method == "POST" else None
    section_form = SectionForm(
        post_data(request) if action == "section" else None, prefix="section"
    )
    question_form = QuestionForm(
        post_data(request) if action == "question" else None,
        sections=sections,
        prefix="question",
        initial={"section": sections[-1].pk if sections else None},
    )
    if request.method == "POST":
        require(can_change)
        if action not in BUILDER_ACTIONS:
            raise Http404
        try:
            _builder_action(request, item, draft, action, section_form, question_form)
        except ValidationError as exc:
            if action in ("section", "question"):
                add_service_errors(section_form if action == "section" else question_form, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("consultations:questionnaire", consultation=item.slug)
        else:
            if not (section_form.errors or question_form.errors):
                return redirect("consultations:questionnaire", consultation=item.slug)
    failed = section_form if section_form.errors else question_form
    return render(
        request,
        "consultations/consultation_questionnaire.html",
        {
            "consultation": item,
            "programme": item.programme,
            "draft": draft,
            "sections": sections,
            "published_versions": [v for v in versions if not v.is_draft],
            "form": failed,
            "section_form": section_form,
            "question_form": question_form,
            "can_change": can_change,
        },
        status=422 if failed.errors else 200,
    )


def _builder_action(request, consultation, draft, action, section_form, question_form) -> None:
    user = request.user
    if action == "new_version":
        version = services.questionnaire_new_version(actor=user, consultation=consultation)
        messages.success(
            request, _("Version %(number)s has been started.") % {"number": version.number}
        )
        return
    if draft is None:
        raise ValidationError(_("There is no draft version. Start a new version first."))
    if action == "publish":
        services.questionnaire_publish(
            actor=user, version=draft, base_url=request.build_absolute_uri("/")
        )
        messages.success(
            request, _("Version %(number)s has been published.") % {"number": draft.number}
        )
    elif action == "section" and section_form.is_valid():
        services.section_add(actor=user, version=draft, **section_form.cleaned_data)
        messages.success(request, _("The section has been added."))
    elif action == "question" and question_form.is_valid():
        data = dict(question_form.cleaned_data)
        section = next(s for s in draft.sections.all() if s.pk == data.pop("section"))
        services.question_add(actor=user, version=draft, section=section, **data)
        messages.success(request, _("The question has been added."))


@login_required
@require_POST
def question_remove(request: HttpRequest, consultation: str, key: str) -> HttpResponse:
    """Remove the question with this key from the draft version."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    require(programme_selectors.can_change_programme(user=request.user))
    question = (
        Question.objects.select_related("version")
        .filter(version__consultation=item, version__status="draft", key=key)
        .first()
    )
    if question is None:
        raise Http404
    try:
        services.question_remove(actor=request.user, question=question)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The question has been removed."))
    return redirect("consultations:questionnaire", consultation=item.slug)


# --- Public -----------------------------------------------------------------------------------


@require_GET
def consultation_public(request: HttpRequest, consultation: str) -> HttpResponse:
    item = consultation_get(user=request.user, slug=consultation, with_documents=True)
    return render(
        request,
        "consultations/consultation_public.html",
        {
            "consultation": item,
            "programme": item.programme,
            "documents": item.documents.all(),
            "questionnaire": questionnaire_public(consultation=item),
            "take_part": _take_part(request),
            **consultation_parts.public_context(
                user=request.user, consultation=item, page_number=request.GET.get("pagina")
            ),
        },
    )


def _take_part(request: HttpRequest) -> str:
    """How the public page offers to take part: "supplier" (answer the questionnaire),
    "register" (anonymous, or signed in without any organisation: register a company), or
    "buyer" (a member of the buying side or the project team, whom registration would refuse
    under the competition rules: no registration link)."""
    user = request.user
    if not user.is_authenticated:
        return "register"
    if user_supplier_membership(user=user) is not None:
        return "supplier"
    return "register" if may_join(user=user, kind=Organisation.Kind.SUPPLIER) else "buyer"


@require_GET
def consultation_document(request: HttpRequest, consultation: str, document) -> FileResponse:
    """A consultation's PDF, as a download; public once the consultation is published."""
    item = consultation_get(user=request.user, slug=consultation, with_documents=True)
    found = next((d for d in item.documents.all() if d.public_id == document), None)
    if found is None:
        raise Http404
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{item.slug}-{found.public_id.hex[:8]}.pdf",
        content_type="application/pdf",
    )
