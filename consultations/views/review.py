"""The project team's review of a consultation's answers: an overview of the questions, each
question's answers side by side across suppliers, a confidential Excel export, and the
redaction of open answers for the anonymised report. Project team only (404 for everyone else);
every page that shows answers is audited; writes need a project-team editor."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from consultations.exports import review_answers_xlsx
from consultations.forms.review import INCLUDE, LEAVE_OUT, AnswerReviewForm
from consultations.selectors import redaction
from consultations.selectors import review as selectors
from consultations.selectors.consultation import Audience, consultation_get
from consultations.selectors.identifying import identifying_hints
from consultations.selectors.review_export import review_export_data
from consultations.selectors.review_question import ComparisonPage, question_comparison_page
from consultations.services import review as services
from portal.charts import Bar, horizontal_bar_chart
from portal.forms import add_service_errors, post_data
from portal.spreadsheets import xlsx_response
from portal.tenancy import require


def _chart(comparison: selectors.Comparison | ComparisonPage):
    item = comparison.question
    if not comparison.counts:
        return None
    return horizontal_bar_chart(
        chart_id=f"chart-{item.key}",
        title=_("Answers per option"),
        description=_("Number of suppliers per option, out of %(count)s that answered.")
        % {"count": comparison.answered},
        bars=[Bar(label=count.label, value=count.count) for count in comparison.counts],
    )


@login_required
@require_GET
def review_overview(request: HttpRequest, consultation: str) -> HttpResponse:
    """Every question with its number of answers, counts (closed) or review progress (open)."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    overview = selectors.review_overview(consultation=item)
    return render(
        request,
        "consultations/review/overview.html",
        {"consultation": item, "programme": item.programme, "overview": overview},
    )


@login_required
@require_GET
def review_question(request: HttpRequest, consultation: str, question_key: str) -> HttpResponse:
    """One question's answers of the submitted responses, side by side, a page at a time
    (for an open question optionally only those to review or reviewed: ``status``); the read
    is audited."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    comparison = question_comparison_page(
        consultation=item,
        key=question_key,
        state=request.GET.get("status", ""),
        page_number=request.GET.get("pagina"),
    )
    services.review_answers_read(
        actor=request.user, consultation=item, view="question", question_key=question_key
    )
    return render(
        request,
        "consultations/review/question.html",
        {
            "consultation": item,
            "programme": item.programme,
            "comparison": comparison,
            "page": comparison.page,
            "state": comparison.state,
            "states": [
                (redaction.TO_REVIEW, _("To be reviewed")),
                (redaction.REVIEWED, _("Reviewed")),
            ],
            "query": urlencode({"status": comparison.state}) if comparison.state else "",
            "chart": _chart(comparison),
        },
    )


@login_required
@require_GET
def review_export(request: HttpRequest, consultation: str) -> HttpResponse:
    """All submitted answers as a confidential workbook with the suppliers' names; audited."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    data = review_export_data(consultation=item)
    # Written a chunk of responses at a time into a temporary file, then streamed from it.
    file, responses = review_answers_xlsx(consultation=item, data=data)
    response = xlsx_response(
        file,
        filename=f"antwoorden-{item.slug}-vertrouwelijk-{timezone.localdate():%Y-%m-%d}.xlsx",
        no_store=True,
    )
    services.review_answers_exported(actor=request.user, consultation=item, responses=responses)
    return response


@login_required
@require_GET
def review_redaction(request: HttpRequest, consultation: str) -> HttpResponse:
    """The open answers with their review state, a page at a time, optionally of one question
    or of one review state (no answer text: that is on each answer's page, where its read is
    recorded). Unknown filter values are ignored."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    listing = redaction.open_answer_list(
        consultation=item,
        question_key=request.GET.get("vraag", ""),
        state=request.GET.get("status", ""),
        page_number=request.GET.get("pagina"),
    )
    question_key, state = listing.question_key, listing.state
    query = urlencode({k: v for k, v in (("vraag", question_key), ("status", state)) if v})
    return render(
        request,
        "consultations/review/redaction.html",
        {
            "consultation": item,
            "programme": item.programme,
            "listing": listing,
            "page": listing.page,
            "rows": listing.rows,
            "reviewed": listing.reviewed,
            "total": listing.total,
            "question_key": question_key,
            "state": state,
            "states": [
                (redaction.TO_REVIEW, _("To be reviewed")),
                (redaction.REVIEWED, _("Reviewed")),
            ],
            "query": query,
            "can_review": selectors.can_review(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_answer(
    request: HttpRequest, consultation: str, submitted_response, question_key: str
) -> HttpResponse:
    """One open answer: the original text, warnings about identifying content, and the form
    to record the text for the report or leave the answer out."""
    item = consultation_get(user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM)
    answer, question = redaction.open_answer_get(
        user=request.user, consultation=item, response_id=submitted_response, key=question_key
    )
    can_review = selectors.can_review(user=request.user)
    if request.method == "POST":
        require(can_review)
    review = getattr(answer, "review", None)
    form = AnswerReviewForm(
        post_data(request),
        initial={
            # Never the supplier's own answer: the reviewer writes the text for the report
            # beside the original (shown read-only), so nothing identifying slips through.
            "redacted_text": review.redacted_text if review else "",
            "include": (INCLUDE if review.include else LEAVE_OUT) if review else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_review(
                actor=request.user,
                answer=answer,
                include=form.include_value,
                redacted_text=form.cleaned_data["redacted_text"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review has been saved."))
            pending = redaction.next_answer_to_review(consultation=item)
            if pending is None:
                return redirect("consultations:review-redaction", consultation=item.slug)
            # On to the next answer that still needs a review.
            response_id, key = pending
            return redirect(
                "consultations:review-answer",
                consultation=item.slug,
                submitted_response=response_id,
                question_key=key,
            )
    services.review_answers_read(
        actor=request.user,
        consultation=item,
        view="answer",
        question_key=question_key,
        response=answer.response,
    )
    organisation = answer.response.organisation
    # The warnings are about the text typed so far or, before any, about the original answer.
    draft = form["redacted_text"].value() or ("" if review else str(answer.value or ""))
    return render(
        request,
        "consultations/review/answer.html",
        {
            "consultation": item,
            "programme": item.programme,
            "answer": answer,
            "question": question,
            "review": review,
            "form": form,
            "hints": identifying_hints(draft, organisation),
            "can_review": can_review,
            "is_closed": item.status == item.Status.CLOSED,
        },
        status=422 if form.errors else 200,
    )
