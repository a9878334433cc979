"""Clarification questions of a market consultation: a supplier's own page (its questions with
their status, the published answers and a form to ask), and the project team's list and
answer page. The questioner's identity appears on the project team's pages only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consultations.forms.clarifications import (
    ClarificationAnswerForm,
    ClarificationAskForm,
    ClarificationRejectForm,
)
from consultations.models import ClarificationQuestion, Consultation
from consultations.selectors import clarifications
from consultations.selectors.consultation import Audience, consultation_get
from consultations.services import clarifications as services
from consultations.services import reads
from portal import attempts
from portal.forms import add_service_errors, post_data
from portal.idempotency import AlreadyDone
from portal.tenancy import require
from suppliers.selectors import user_supplier_membership
from tenders.selectors import programme as programme_selectors

# --- Supplier ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def clarification_supplier(request: HttpRequest, consultation: str) -> HttpResponse:
    """The supplier's questions with their status, the published answers, and (for editors
    and administrators, while the consultation is open) a form to ask a question."""
    membership = user_supplier_membership(user=request.user)
    if membership is None:
        raise Http404
    item = consultation_get(user=request.user, slug=consultation)
    form = ClarificationAskForm(post_data(request))
    if request.method == "POST":
        require(membership.can_edit)
        if form.is_valid():
            try:
                attempts.consume(counters=[("mail_user", attempts.subject_of(request.user))])
                services.clarification_ask(
                    actor=request.user,
                    consultation=item,
                    text=form.cleaned_data["question"],
                    base_url=request.build_absolute_uri("/"),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except AlreadyDone:
                # A double click or a resent form: the question was asked once; show the list.
                messages.info(
                    request,
                    _(
                        "This was already done: your question was sent to the project team "
                        "once. You find it under your questions."
                    ),
                )
                return redirect("consultations:clarification-supplier", consultation=item.slug)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your question has been sent to the project team."),
                )
                return redirect("consultations:clarification-supplier", consultation=item.slug)
    published = clarifications.published_listing(
        user=request.user, consultation=item, page_number=request.GET.get("pagina")
    )
    own_questions = list(
        clarifications.clarifications_own(
            user=request.user, consultation=item, organisation=membership.organisation
        )
    )
    for question in own_questions:
        question.published_link = published.link(question.number)
    return render(
        request,
        "consultations/clarifications/supplier.html",
        {
            "consultation": item,
            "programme": item.programme,
            "organisation": membership.organisation,
            "own_questions": own_questions,
            "published_listing": published,
            "published_clarifications": published.page.object_list,
            "can_edit": membership.can_edit,
            "opens_later": item.status == Consultation.Status.PUBLISHED
            and timezone.now() < item.opens_at,
            "form": form,
        },
        status=422 if form.errors else 200,
    )


# --- Project team -----------------------------------------------------------------------------


@login_required
@require_GET
def clarification_manage(request: HttpRequest, consultation: str) -> HttpResponse:
    """The consultation's questions with the organisation that asked each, a page at a time,
    optionally of one status (``status``)."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    listing = clarifications.clarification_listing(
        user=request.user,
        consultation=item,
        status=request.GET.get("status", ""),
        page_number=request.GET.get("pagina"),
    )
    reads.participants_read(
        actor=request.user, consultation=item, subject=reads.ASKERS, view="clarifications"
    )
    can_change = programme_selectors.can_change_programme(user=request.user)
    return render(
        request,
        "consultations/clarifications/manage.html",
        {
            "consultation": item,
            "programme": item.programme,
            "listing": listing,
            "page": listing.page,
            "questions": listing.page.object_list,
            "query": urlencode({"status": listing.status}) if listing.status else "",
            "show_actions": can_change
            and listing.counts.get(ClarificationQuestion.Status.OPEN.value, 0) > 0,
        },
    )


def _answer_page(
    request: HttpRequest,
    item: Consultation,
    question: ClarificationQuestion,
    answer_form: ClarificationAnswerForm,
    reject_form: ClarificationRejectForm,
) -> HttpResponse:
    failed = reject_form if reject_form.errors else answer_form
    reads.participants_read(
        actor=request.user,
        consultation=item,
        subject=reads.ASKERS,
        view="clarification",
        item=question,
    )
    return render(
        request,
        "consultations/clarifications/answer.html",
        {
            "consultation": item,
            "programme": item.programme,
            "question": question,
            "form": failed,
            "answer_form": answer_form,
            "reject_form": reject_form,
        },
        status=422 if failed.errors else 200,
    )


def _answer_context(request: HttpRequest, consultation: str, clarification):
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    question = clarifications.clarification_get_for_project_team(
        user=request.user, consultation=item, public_id=clarification
    )
    require(programme_selectors.can_change_programme(user=request.user))
    return item, question


def _forms(request: HttpRequest, item: Consultation, question: ClarificationQuestion, *, post):
    neutral = clarifications.neutral_wording(question=question)
    published = clarifications.published_for_reference(consultation=item)
    answer_form = ClarificationAnswerForm(
        post_data(request) if post == "publish" else None,
        initial={"public_question": neutral},
        prefix="publish",
    )
    reject_form = ClarificationRejectForm(
        request.POST if post == "reject" else None,
        initial={"public_question": neutral},
        published=published,
        prefix="reject",
    )
    return answer_form, reject_form


def _final_or_field_errors(request, exc, form, item, question) -> HttpResponse | None:
    if getattr(exc, "code", None) == "final":
        messages.error(request, exc.messages[0])
        return redirect(
            "consultations:clarification-answer",
            consultation=item.slug,
            clarification=question.public_id,
        )
    add_service_errors(form, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def clarification_answer(request: HttpRequest, consultation: str, clarification) -> HttpResponse:
    """Answer a question and publish it (project-team editors); a dealt-with question is
    shown read-only. The public wording starts neutral (see ``neutral_wording``)."""
    item, question = _answer_context(request, consultation, clarification)
    answer_form, reject_form = _forms(request, item, question, post="publish")
    if request.method == "POST" and answer_form.is_valid():
        try:
            published = services.clarification_publish(
                actor=request.user,
                question=question,
                public_question=answer_form.cleaned_data["public_question"],
                answer=answer_form.cleaned_data["answer"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            if done := _final_or_field_errors(request, exc, answer_form, item, question):
                return done
        else:
            messages.success(
                request,
                _("Question %(number)s and its answer have been published.")
                % {"number": published.number},
            )
            return redirect("consultations:clarification-manage", consultation=item.slug)
    return _answer_page(request, item, question, answer_form, reject_form)


@login_required
@require_POST
def clarification_reject(request: HttpRequest, consultation: str, clarification) -> HttpResponse:
    """Decline to answer a question for one of the fixed reasons; published with the reason
    when it matters to all, otherwise told to the asker only."""
    item, question = _answer_context(request, consultation, clarification)
    answer_form, reject_form = _forms(request, item, question, post="reject")
    if reject_form.is_valid():
        try:
            rejected = services.clarification_reject(
                actor=request.user,
                question=question,
                reason=reject_form.cleaned_data["reason"],
                answered_in=reject_form.cleaned_data["answered_in"] or None,
                public_question=reject_form.cleaned_data["public_question"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            if done := _final_or_field_errors(request, exc, reject_form, item, question):
                return done
        else:
            if rejected.number:
                messages.success(
                    request,
                    _("The question has been published as question %(number)s, with the reason.")
                    % {"number": rejected.number},
                )
            else:
                messages.success(request, _("The question has been marked as not answered."))
            return redirect("consultations:clarification-manage", consultation=item.slug)
    return _answer_page(request, item, question, answer_form, reject_form)
