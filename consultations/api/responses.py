"""Responses API: a supplier's own response (read, save, submit) and the project team's
reading of responses. The same scoping as the pages: a supplier only ever reaches its own
response (``my-response``); only the project team lists and reads responses, and every read
of a response's answers is audited. Everyone else gets 404; a supplier's viewers read and get
403 when they write. Writes go through ``services_responses`` and its validation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api.serializers_responses import (
    AnswerFileWriteSerializer,
    ConsultationResponseDetailSerializer,
    ConsultationResponseSerializer,
    MyResponseSerializer,
    ResponseFilterSerializer,
    ResponseWriteSerializer,
    answer_location,
    answers_object,
    parse_answers,
)
from consultations.models import Consultation, ConsultationResponse
from consultations.selectors.consultation import consultation_get, questionnaire_current
from consultations.services import reads
from consultations.services import responses as services
from consultations.services.answer_files import answer_file_upload
from portal.api_errors import Conflict, service_errors
from portal.models import Membership
from portal.tenancy import require
from suppliers.selectors import user_supplier_membership

CONFLICT = OpenApiResponse(
    description="The consultation is not open: not yet, or its deadline has passed (or it has "
    "no questionnaire yet); or the response belongs to an older questionnaire version: see "
    "what changes with GET my-response/upgrade and move it with POST my-response/upgrade "
    "first. Nothing is stored."
)
NO_RESPONSE = OpenApiResponse(
    description="The caller is no supplier, the consultation is not visible, or (read and "
    "submit) the supplier has not started a response yet."
)


# --- Reads (scoped to the caller) -------------------------------------------------------------


def _supplier_membership(user: Any) -> Membership:
    """The caller's supplier membership; 404 for everyone who is not a supplier's member."""
    membership = user_supplier_membership(user=user)
    if membership is None:
        raise Http404
    return membership


def _own_response(*, membership: Membership, consultation) -> ConsultationResponse | None:
    return (
        ConsultationResponse.objects.select_related("consultation", "organisation", "version")
        .prefetch_related("answers")
        .filter(consultation=consultation, organisation=membership.organisation)
        .first()
    )


def _not_started() -> NotFound:
    return NotFound(
        _("Your company has not started a response yet. Save your answers first (PUT).")
    )


def _questions_by_key(version) -> dict[str, Any]:
    return {question.key: question for question in services.version_questions(version)}


def _my_response_data(*, request, membership: Membership, consultation) -> dict:
    response = _own_response(membership=membership, consultation=consultation)
    if response is None:
        raise _not_started()
    newest = questionnaire_current(consultation=consultation)
    context = {
        "request": request,
        "questions": _questions_by_key(response.version),
        "newest_version": newest.number if newest else None,
    }
    return MyResponseSerializer(response, context=context).data


def _require_open(consultation) -> None:
    """409 before the answers are looked at, so a late request hears about the deadline
    first. The service checks again, under its lock."""
    try:
        consultation.require_open()
    except DjangoValidationError as exc:
        raise Conflict(exc.messages[0]) from exc


def team_consultation(*, user: Any, slug: str) -> Consultation:
    """The consultation, for the project team; 404 for everyone else (a supplier reads its
    own response at my-response)."""
    if not (getattr(user, "is_authenticated", False) and user.is_project_team):
        raise Http404
    return consultation_get(user=user, slug=slug)


def responses_for_project_team(
    *, user: Any, slug: str, consultation: Consultation | None = None
) -> QuerySet[ConsultationResponse]:
    """The responses to a consultation, for the project team; 404 for everyone else."""
    if consultation is None:
        consultation = team_consultation(user=user, slug=slug)
    return (
        ConsultationResponse.objects.visible_to(user)
        .filter(consultation=consultation)
        .select_related("consultation", "organisation", "version")
    )


# --- A supplier's own response ----------------------------------------------------------------


class MyResponseView(APIView):
    serializer_class = MyResponseSerializer

    @extend_schema(
        operation_id="consultationMyResponseRetrieve",
        responses={200: MyResponseSerializer, 404: NO_RESPONSE},
        description="Your company's response with its answers. Every member of the supplier "
        "reads it; no other supplier ever does.",
    )
    def get(self, request, consultation):
        membership = _supplier_membership(request.user)
        item = consultation_get(user=request.user, slug=consultation)
        return Response(
            _my_response_data(request=request, membership=membership, consultation=item)
        )

    @extend_schema(
        operation_id="consultationMyResponseUpdate",
        request=ResponseWriteSerializer,
        responses={
            200: MyResponseSerializer,
            403: OpenApiResponse(description="A viewer of the supplier: read-only."),
            404: NO_RESPONSE,
            409: CONFLICT,
        },
        description="Save the answers as a draft (the first save starts the response). The "
        "body replaces the answers; required questions are only enforced at submit. Every "
        "problem is reported in `invalidParams` at `/answers/<question key>` and then nothing "
        "is stored. Only administrators and editors of the supplier write.",
    )
    def put(self, request, consultation):
        membership = _supplier_membership(request.user)
        item = consultation_get(user=request.user, slug=consultation)
        require(membership.can_edit)
        _require_open(item)
        answers = answers_object(request.data)
        if answers is None:
            raise ValidationError(
                {"/answers": [_("Give the answers as an object of question key to answer.")]}
            )
        try:
            # One transaction: a response started or moved to a newer version by this request
            # is not kept when its answers are refused.
            with transaction.atomic():
                response = services.response_get_or_create(
                    actor=request.user, consultation=item, upgrade=False
                )
                raw, errors = parse_answers(
                    answers=answers,
                    questions=list(_questions_by_key(response.version).values()),
                )
                if errors:
                    raise ValidationError(dict(errors))
                services.response_save(actor=request.user, response=response, answers=raw)
        except DjangoValidationError as exc:
            raise service_errors(exc, location=answer_location) from exc
        return Response(
            _my_response_data(request=request, membership=membership, consultation=item)
        )


class MyResponseSubmitView(APIView):
    serializer_class = MyResponseSerializer

    @extend_schema(
        operation_id="consultationMyResponseSubmit",
        request=None,
        responses={
            200: MyResponseSerializer,
            403: OpenApiResponse(description="A viewer of the supplier: read-only."),
            404: NO_RESPONSE,
            409: CONFLICT,
        },
        description="Submit the saved answers before the deadline; submitting again after a "
        "change is allowed until then. Every required question must be answered: the "
        "unanswered ones are listed in `invalidParams` at `/answers/<question key>`. After "
        "the deadline the answer is 409 and nothing changes.",
    )
    def post(self, request, consultation):
        membership = _supplier_membership(request.user)
        item = consultation_get(user=request.user, slug=consultation)
        require(membership.can_edit)
        if _own_response(membership=membership, consultation=item) is None:
            raise _not_started()
        try:
            with transaction.atomic():
                # Moves the response to a newer published version first, as the page does.
                response = services.response_get_or_create(
                    actor=request.user, consultation=item, upgrade=False
                )
                services.response_submit(actor=request.user, response=response)
        except DjangoValidationError as exc:
            raise service_errors(exc, location=answer_location) from exc
        return Response(
            _my_response_data(request=request, membership=membership, consultation=item)
        )


def _file_errors(key: str) -> str:
    # The upload is the one field of the body; a problem with it is reported there.
    return "file"


class MyResponseFileView(APIView):
    parser_classes = [MultiPartParser]
    serializer_class = MyResponseSerializer

    @extend_schema(
        operation_id="consultationMyResponseFileUpdate",
        request={"multipart/form-data": AnswerFileWriteSerializer},
        responses={
            200: MyResponseSerializer,
            403: OpenApiResponse(description="A viewer of the supplier: read-only."),
            404: NO_RESPONSE,
            409: CONFLICT,
        },
        description="Upload (or replace) the PDF answering one file question, as "
        "`multipart/form-data` with the field `file`; the first upload starts the response. "
        "The file is checked like on the response page (scanned for viruses when the portal "
        "has a scanner, a PDF without active content or encryption, within the size limit); "
        "a problem is reported at `file` and then nothing is stored. While the virus scanner "
        "is unavailable every upload is refused at `file`: try again later. The answer's "
        "`downloadUrl` downloads it again.",
    )
    def put(self, request, consultation, file_question):
        membership = _supplier_membership(request.user)
        item = consultation_get(user=request.user, slug=consultation)
        require(membership.can_edit)
        _require_open(item)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Choose a PDF file.")]})
        try:
            answer_file_upload(
                actor=request.user,
                consultation=item,
                question_key=file_question,
                file=upload,
                upgrade=False,
            )
        except DjangoValidationError as exc:
            raise service_errors(exc, location=_file_errors) from exc
        return Response(
            _my_response_data(request=request, membership=membership, consultation=item)
        )

    @extend_schema(
        operation_id="consultationMyResponseFileDestroy",
        responses={
            204: None,
            403: OpenApiResponse(description="A viewer of the supplier: read-only."),
            404: NO_RESPONSE,
            409: CONFLICT,
        },
        description="Remove the PDF answering one file question (nothing happens when there "
        "is none). Like any change, it makes a submitted response a draft again.",
    )
    def delete(self, request, consultation, file_question):
        membership = _supplier_membership(request.user)
        item = consultation_get(user=request.user, slug=consultation)
        require(membership.can_edit)
        _require_open(item)
        if _own_response(membership=membership, consultation=item) is None:
            raise _not_started()
        try:
            with transaction.atomic():
                response = services.response_get_or_create(
                    actor=request.user, consultation=item, upgrade=False
                )
                services.answer_file_remove(
                    actor=request.user, response=response, question_key=file_question
                )
        except DjangoValidationError as exc:
            raise service_errors(exc, location=_file_errors) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The project team -------------------------------------------------------------------------


class ResponseListView(generics.ListAPIView):
    """Every supplier's response to the consultation, without answers: the project team's."""

    serializer_class = ConsultationResponseSerializer

    @extend_schema(
        operation_id="consultationResponseList",
        parameters=[
            OpenApiParameter(
                "status",
                str,
                description="Response status",
                enum=list(ConsultationResponse.Status.values),
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = ResponseFilterSerializer(data=self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        consultation = team_consultation(user=self.request.user, slug=self.kwargs["consultation"])
        responses = responses_for_project_team(
            user=self.request.user, slug=consultation.slug, consultation=consultation
        )
        reads.participants_read(
            actor=self.request.user,
            consultation=consultation,
            subject=reads.RESPONDENTS,
            view="api:responses",
        )
        if status_ := filters.validated_data.get("status"):
            responses = responses.filter(status=status_)
        return responses.order_by("organisation__name", "id")


class ResponseDetailView(APIView):
    serializer_class = ConsultationResponseDetailSerializer

    @extend_schema(
        operation_id="consultationResponseRetrieve",
        responses=ConsultationResponseDetailSerializer,
        description="One supplier's response with its answers. Answers are confidential: "
        "every read is recorded in the audit trail.",
    )
    def get(self, request, consultation, response_id):
        found = (
            responses_for_project_team(user=request.user, slug=consultation)
            .prefetch_related("answers")
            .filter(public_id=response_id)
            .first()
        )
        if found is None:
            raise Http404
        services.response_read_by_project_team(actor=request.user, response=found)
        context = {"request": request, "questions": _questions_by_key(found.version)}
        return Response(ConsultationResponseDetailSerializer(found, context=context).data)
