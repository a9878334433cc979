"""The pages of the nota van inlichtingen (clarification notice).

A supplier's page on a published tender: a form to ask a question while the deadline for
questions has not passed, and the organisation's own questions with their status (no other
organisation's, and no answer before it is published to all). 403 for a logged-in user who
belongs to no supplier.

The project team's pages: every question with its asker, the answer page (neutral public
wording and the answer, or merging a duplicate), and publishing a round with four eyes: one
member asks, a second confirms. 404 for everyone outside the team; its viewers read only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal import attempts, dates
from portal.active import active_membership, memberships_of
from portal.forms import add_service_errors, post_data
from portal.tenancy import require
from tenders.forms_enquiries import EnquiryAnswerForm, EnquiryAskForm, EnquiryMergeForm
from tenders.models import Programme, Tender
from tenders.selectors import enquiry_pages as selectors
from tenders.services.enquiries import (
    enquiry_answer,
    enquiry_ask,
    enquiry_merge,
    enquiry_round_decide,
    enquiry_round_request,
)
from tenders.services.enquiry_reads import enquiry_askers_read
from tenders.views.aggregation import _can_change, project_team_page

# --- Supplier ---------------------------------------------------------------------------------


def ask_entry(request: HttpRequest, tender: Tender) -> str:
    """How the public tender page offers to ask a question: "supplier" (a link to the form),
    "login" (anonymous: log in as a registered supplier), "other" (logged in but no supplier:
    no link), or "" when no questions are taken."""
    if not selectors.asking_open(tender=tender):
        return ""
    if not request.user.is_authenticated:
        return "login"
    return "supplier" if selectors.supplier_memberships(memberships_of(request)) else "other"


def _receipt(enquiry) -> str:
    return _(
        "Your question has been received on %(moment)s, reference %(reference)s. "
        "The project team answers it in a clarification notice, for all suppliers at the same "
        "time and without the name of your organisation."
    ) % {
        "moment": dates.moment_text(enquiry.asked_at),
        "reference": selectors.enquiry_reference(enquiry),
    }


@login_required
@require_http_methods(["GET", "POST"])
def enquiry_supplier(request: HttpRequest, reference: str) -> HttpResponse:
    """Ask a question about a published tender and follow the organisation's own questions."""
    tender = selectors.tender_for_questions_get(reference=reference)
    memberships = memberships_of(request)
    membership = selectors.supplier_membership_pick(memberships, active_membership(request))
    if membership is None:  # may read the tender, but asks for no supplier
        raise PermissionDenied
    organisation = membership.organisation
    form = EnquiryAskForm(post_data(request), lots=selectors.tender_lots(tender=tender))
    if request.method == "POST" and form.is_valid():
        try:
            attempts.consume(counters=[("mail_user", attempts.subject_of(request.user))])
            enquiry = enquiry_ask(
                actor=request.user,
                organisation=organisation,
                tender=tender,
                question=form.cleaned_data["question"],
                lot_number=form.cleaned_data["lot_number"],
                section=form.cleaned_data["section"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _receipt(enquiry))
            return redirect("tenders:enquiry-ask", reference=tender.reference)
    return render(
        request,
        "tenders/enquiries/supplier.html",
        {
            "tender": tender,
            "organisation": organisation,
            "several": len(selectors.supplier_memberships(memberships)) > 1,
            "asking_open": selectors.asking_open(tender=tender),
            "own": selectors.enquiries_own(tender=tender, organisation=organisation),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


# --- Project team -----------------------------------------------------------------------------


def _tender_or_404(programme: Programme) -> Tender:
    return selectors.tender_published_for_programme(programme=programme)


@project_team_page("GET")
def enquiry_manage(request: HttpRequest, programme: Programme) -> HttpResponse:
    tender = _tender_or_404(programme)
    pending = selectors.enquiry_round_pending(tender=tender)
    questions = selectors.enquiries_for_team(tender=tender)
    enquiry_askers_read(actor=request.user, tender=tender, view="enquiries")
    return render(
        request,
        "tenders/enquiries/manage.html",
        {
            "programme": programme,
            "tender": tender,
            "questions": questions,
            "open_count": sum(1 for q in questions if q.enquiry.status == "open"),
            "pending": pending,
            "ready": selectors.enquiries_ready(tender=tender, pending=pending),
            "rounds": selectors.enquiry_rounds_done(tender=tender),
            "asking_open": selectors.asking_open(tender=tender),
            "can_change": _can_change(request),
        },
    )


def _answer_page(request, programme, tender, item, *, post: str = "") -> HttpResponse:
    answer_form = EnquiryAnswerForm(
        post_data(request) if post == "answer" else None,
        initial={
            "public_question": item.enquiry.public_question or item.enquiry.question,
            "answer": item.enquiry.answer,
            "changes_document": str(item.enquiry.changes_document.public_id)
            if item.enquiry.changes_document
            else "",
        },
        documents=selectors.changeable_documents(tender=tender),
        prefix="answer",
    )
    merge_form = EnquiryMergeForm(
        post_data(request) if post == "merge" else None,
        targets=[
            (selectors.enquiry_reference(target), target)
            for target in selectors.merge_targets(enquiry=item.enquiry)
        ],
        prefix="merge",
    )
    if post:
        require(lambda: _can_change(request))
        form = answer_form if post == "answer" else merge_form
        if form.is_valid():
            try:
                if post == "answer":
                    enquiry_answer(
                        actor=request.user,
                        enquiry=item.enquiry,
                        public_question=answer_form.cleaned_data["public_question"],
                        answer=answer_form.cleaned_data["answer"],
                        changes_document=answer_form.document(),
                    )
                else:
                    enquiry_merge(
                        actor=request.user, enquiry=item.enquiry, into=merge_form.target()
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    (
                        _("The answer to question %(reference)s has been saved.")
                        if post == "answer"
                        else _("Question %(reference)s has been merged into %(into)s.")
                    )
                    % {
                        "reference": item.reference,
                        "into": selectors.enquiry_reference(merge_form.target())
                        if post == "merge"
                        else "",
                    },
                )
                return redirect("tenders:enquiries", programme_slug=programme.slug)
    failed = merge_form if merge_form.errors else answer_form
    return render(
        request,
        "tenders/enquiries/answer.html",
        {
            "programme": programme,
            "tender": tender,
            "item": item,
            "form": failed,
            "answer_form": answer_form,
            "merge_form": merge_form,
            "can_change": _can_change(request),
        },
        status=422 if failed.errors else 200,
    )


@project_team_page("GET", "POST")
def enquiry_answer_view(request: HttpRequest, programme: Programme, enquiry) -> HttpResponse:
    """A question with its asker; its answer form and merge form while it is not in a round
    being published or published."""
    tender = _tender_or_404(programme)
    item = selectors.enquiry_get_for_team(tender=tender, public_id=enquiry)
    if request.method == "GET":
        enquiry_askers_read(actor=request.user, tender=tender, view="enquiry", enquiry=item.enquiry)
    return _answer_page(
        request, programme, tender, item, post="answer" if request.method == "POST" else ""
    )


@project_team_page("POST")
def enquiry_merge_view(request: HttpRequest, programme: Programme, enquiry) -> HttpResponse:
    tender = _tender_or_404(programme)
    item = selectors.enquiry_get_for_team(tender=tender, public_id=enquiry)
    return _answer_page(request, programme, tender, item, post="merge")


@project_team_page("POST")
def enquiry_round(request: HttpRequest, programme: Programme) -> HttpResponse:
    """Ask to publish the answered questions as the next nota van inlichtingen (first member),
    or confirm or cancel the asked one (confirming: a second member)."""
    require(lambda: _can_change(request))
    tender = _tender_or_404(programme)
    decision = request.POST.get("decision", "")
    try:
        if decision in ("confirm", "cancel"):
            pending = selectors.enquiry_round_pending(tender=tender)
            if pending is None:
                raise Http404
            round_ = enquiry_round_decide(
                actor=request.user,
                round=pending,
                confirm=decision == "confirm",
                base_url=request.build_absolute_uri("/"),
            )
            messages.success(
                request,
                _("Clarification notice %(number)s has been published.") % {"number": round_.number}
                if decision == "confirm"
                else _("Publishing the clarification notice has been cancelled."),
            )
        else:
            enquiry_round_request(actor=request.user, tender=tender)
            messages.success(
                request,
                _(
                    "Publishing the clarification notice has been asked. A second member of the "
                    "project team confirms it; nothing is published until then."
                ),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tenders:enquiries", programme_slug=programme.slug)
