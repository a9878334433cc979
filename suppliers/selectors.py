"""Reads of the suppliers app, scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.http import Http404
from django.utils.text import slugify

from portal.models import Membership, Organisation
from portal.selectors import organisation_get_for_management
from portal.tenancy import get_visible_or_404
from suppliers.models import (
    Answer,
    ConsultationResponse,
    JoinRequest,
    ResponseSubmission,
    SupplierProfile,
)


def user_supplier_membership(*, user: Any) -> Membership | None:
    """The user's membership of a supplier, if any (a person registers one company)."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, organisation__kind=Organisation.Kind.SUPPLIER)
        .select_related("organisation")
        .first()
    )


def user_has_buyer_or_team_membership(*, user: Any) -> bool:
    return (
        Membership.objects.filter(user=user)
        .exclude(organisation__kind=Organisation.Kind.SUPPLIER)
        .exists()
    )


def supplier_find_existing(
    *, kvk_number: str | None, country: str, foreign_registration_number: str
) -> SupplierProfile | None:
    """The already registered company with this KvK number (or, abroad, with this
    registration number in this country)."""
    profiles = SupplierProfile.objects.select_related("organisation")
    if kvk_number:
        return profiles.filter(kvk_number=kvk_number).first()
    if foreign_registration_number:
        return profiles.filter(
            country=country, foreign_registration_number__iexact=foreign_registration_number
        ).first()
    return None


def supplier_get_for_management(*, user: Any, slug: str) -> Organisation:
    """A supplier the user may manage: 404 if they cannot see it (or it is no supplier),
    403 if they are a member but not an admin."""
    organisation = organisation_get_for_management(user=user, slug=slug)
    if organisation.kind != Organisation.Kind.SUPPLIER:
        raise Http404
    return organisation


def join_request_list(*, organisation: Organisation) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(organisation=organisation, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def join_request_get_pending(*, organisation: Organisation, public_id: Any) -> JoinRequest:
    join_request = join_request_list(organisation=organisation).filter(public_id=public_id).first()
    if join_request is None:
        raise Http404
    return join_request


def join_request_get_own(*, user: Any, public_id: Any) -> JoinRequest:
    join_request = (
        JoinRequest.objects.filter(user=user, public_id=public_id)
        .select_related("organisation")
        .first()
        if user.is_authenticated
        else None
    )
    if join_request is None:
        raise Http404
    return join_request


# --- Consultation responses -----------------------------------------------------------------


def consultation_for_supplier_pages(*, user: Any, slug: str):
    """A consultation visible to the user (published, or any for the project team)."""
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
