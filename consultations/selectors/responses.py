"""Reads of consultation responses: a supplier's own answers and files, the project team's
list of responses and earlier submissions, the supplier's dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.utils.text import slugify

from consultations.models import Answer, Consultation, ConsultationResponse, ResponseSubmission
from portal.tenancy import get_visible_or_404


def response_answers(*, response: ConsultationResponse | None) -> dict[str, Any]:
    if response is None:
        return {}
    return {a.question_key: a.value for a in response.answers.all()}


def response_files(*, response: ConsultationResponse) -> dict[str, Answer]:
    """The answers that hold a file, by question key, with their virus scan results."""
    return {a.question_key: a for a in response.answers.exclude(file="")}


def response_own(*, organisation, consultation: Consultation) -> ConsultationResponse | None:
    """A supplier's own response to ``consultation`` (None before its first save)."""
    return (
        ConsultationResponse.objects.select_related("version")
        .filter(consultation=consultation, organisation=organisation)
        .first()
    )


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


def response_submissions(*, response: ConsultationResponse) -> list[ResponseSubmission]:
    """A response's submissions, newest first, with the version each one answered."""
    return list(response.submissions.select_related("version", "submitted_by").order_by("-number"))


def submission_get_for_project_team(
    *, user: Any, response: ConsultationResponse, number: int
) -> ResponseSubmission:
    """One earlier submission of a response the project team may read; 404 otherwise."""
    return get_visible_or_404(
        ResponseSubmission.objects.select_related("version", "submitted_by"),
        user,
        response=response,
        number=number,
    )


def consultation_responses(*, consultation):
    """The responses of a consultation for the project team, by supplier name: supplier,
    status, version, last change. Callers must have checked the project team's access."""
    return (
        ConsultationResponse.objects.filter(consultation=consultation)
        .select_related("organisation__supplier_profile", "version")
        .order_by("organisation__name", "pk")
    )


def consultation_response_counts(*, consultation) -> dict[str, int]:
    """How many suppliers started a response, and how many submitted one."""
    return ConsultationResponse.objects.filter(consultation=consultation).aggregate(
        started=Count("pk"), submitted=Count("pk", filter=Q(status="submitted"))
    )


def supplier_consultations(*, organisation) -> list:
    """Published market consultations with the supplier's own response status (``own_status``:
    "draft", "submitted" or None), newest first, for the supplier's dashboard."""
    own = ConsultationResponse.objects.filter(
        consultation=OuterRef("pk"), organisation=organisation
    ).values("status")[:1]
    return list(
        Consultation.objects.published()
        .select_related("programme")
        .annotate(own_status=Subquery(own))
        .order_by("-closes_at")
    )


def submission_reference(submission: ResponseSubmission) -> str:
    """The reference a supplier quotes for one submission, like a tender question's ``V-…``:
    "I-" (inzending), eight characters of the response's id, and the submission's number."""
    return f"I-{submission.response.public_id.hex[:8].upper()}-{submission.number}"


def submission_own_get(*, organisation, consultation: Consultation, number: int):
    """One submission of the supplier's own response, for its receipt; 404 otherwise."""
    submission = (
        ResponseSubmission.objects.filter(
            response__organisation=organisation,
            response__consultation=consultation,
            number=number,
        )
        .select_related("response", "version", "submitted_by")
        .first()
    )
    if submission is None:
        raise Http404
    return submission


def submission_last(*, response: ConsultationResponse | None) -> dict[str, Any] | None:
    """The number and reference of the response's last submission (for the link to its
    receipt on the answer page), or None before the first."""
    if response is None or response.submitted_at is None:
        return None
    last = response.submissions.order_by("-number").select_related("response").first()
    if last is None:
        return None
    return {"number": last.number, "reference": submission_reference(last)}
