"""Consultation API, follow-up parts: clarification questions, the anonymised report and the
project team's review of the answers. The same scoping as the pages:

- the published questions and answers are public like the consultation (never the asking
  supplier); a supplier reads and asks its own questions (``my-clarifications``); the project
  team lists every question with the asking supplier and publishes or rejects it;
- reports are the project team's until one is published, which is public;
- the review is the project team's alone, and every read of answers is audited;
- a supplier sees the free talks and its own booking, the project team every talk with the
  supplier that booked it; the minutes are linked for those two only.

Everyone else gets 404; a role that may read but not change gets 403. Writes go through the
services; their field errors are 400 (``invalidParams``), their refusals 409."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from consultations.api.consultation import consultation_get
from consultations.api.serializers_parts import (
    AnswerReviewSerializer,
    AnswerReviewWriteSerializer,
    ClarificationAskSerializer,
    ClarificationFilterSerializer,
    ClarificationPublishSerializer,
    ClarificationRejectSerializer,
    ClarificationRequestSerializer,
    ConsultationReportRequestSerializer,
    ConsultationReportSerializer,
    OpenAnswerSerializer,
    OwnClarificationSerializer,
    PublishedClarificationSerializer,
    ReviewQuestionDetailSerializer,
    ReviewQuestionSerializer,
    TalkSlotSerializer,
)
from consultations.models import ClarificationQuestion, Consultation, ConsultationReport
from consultations.selectors import clarifications as clarifications
from consultations.selectors import report as selectors_report
from consultations.selectors import review as review
from consultations.selectors import talks as selectors_talks
from consultations.selectors.consultation import consultation_get_for_project_team
from consultations.services import clarifications as services_clarifications
from consultations.services import report as services_report
from consultations.services import review as services_review
from consultations.services import talks as services_talks
from portal.models import Membership
from portal.selectors import is_project_team_editor
from portal.tenancy import get_visible_or_404, require
from suppliers.selectors import user_supplier_membership

READ_ONLY = OpenApiResponse(description="A viewer: may read, not change.")
PROJECT_TEAM_ONLY = OpenApiResponse(
    description="No such consultation or object, or the caller is not in the project team."
)
NOT_A_SUPPLIER = OpenApiResponse(description="The caller is no supplier, or no such consultation.")


def _body(serializer_class, request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise ValidationError(serializer.errors)
    return serializer.validated_data


# --- Clarification questions ------------------------------------------------------------------


def _supplier(user: Any) -> Membership:
    """The caller's supplier membership; 404 for everyone who is not a supplier's member."""
    membership = user_supplier_membership(user=user)
    if membership is None:
        raise Http404
    return membership


def _clarification_for_project_team(*, user: Any, slug: str, public_id) -> ClarificationQuestion:
    item = consultation_get_for_project_team(user=user, slug=slug)
    return clarifications.question_get_for_project_team(
        user=user, consultation=item, public_id=public_id
    )


class PublishedClarificationListView(generics.ListAPIView):
    """The published questions and answers, by number, for everyone who can see the
    consultation. They never name the supplier that asked."""

    permission_classes = [AllowAny]
    serializer_class = PublishedClarificationSerializer

    @extend_schema(operation_id="consultationClarificationList")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        item = consultation_get(user=self.request.user, slug=self.kwargs["consultation"])
        return clarifications.published_list(user=self.request.user, consultation=item)


class MyClarificationListView(generics.ListAPIView):
    """Your company's questions, newest first, with their status: the published wording and
    answer once published, the reason when the project team does not answer. Only your
    company and the project team see the question as asked."""

    serializer_class = OwnClarificationSerializer

    @extend_schema(
        operation_id="consultationMyClarificationList",
        responses={200: OwnClarificationSerializer(many=True), 404: NOT_A_SUPPLIER},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        membership = _supplier(self.request.user)
        item = consultation_get(user=self.request.user, slug=self.kwargs["consultation"])
        return clarifications.own_questions(
            user=self.request.user, consultation=item, organisation=membership.organisation
        )

    @extend_schema(
        operation_id="consultationMyClarificationCreate",
        request=ClarificationAskSerializer,
        responses={
            201: OwnClarificationSerializer,
            403: READ_ONLY,
            404: NOT_A_SUPPLIER,
            409: OpenApiResponse(description="The consultation is not open."),
        },
        description="Ask the project team a question while the consultation is open "
        "(administrators and editors of the supplier). The answer is published to every "
        "supplier, without your company's name.",
    )
    def post(self, request, consultation):
        membership = _supplier(request.user)
        item = consultation_get(user=request.user, slug=consultation)
        require(membership.can_edit)
        data = _body(ClarificationAskSerializer, request)
        question = services_clarifications.question_ask(
            actor=request.user,
            consultation=item,
            text=data["question"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(
            OwnClarificationSerializer(question, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ClarificationRequestListView(generics.ListAPIView):
    """Every question of the consultation with the supplier that asked it: open ones first
    (oldest first), then the published ones by number, then the rejected ones. The project
    team's."""

    serializer_class = ClarificationRequestSerializer

    @extend_schema(
        operation_id="consultationClarificationRequestList",
        parameters=[
            OpenApiParameter(
                "status",
                str,
                description="Question status",
                enum=list(ClarificationQuestion.Status.values),
            )
        ],
        responses={200: ClarificationRequestSerializer(many=True), 404: PROJECT_TEAM_ONLY},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = ClarificationFilterSerializer(data=self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        item = consultation_get_for_project_team(
            user=self.request.user, slug=self.kwargs["consultation"]
        )
        questions = clarifications.project_team_list(user=self.request.user, consultation=item)
        if status_ := filters.validated_data.get("status"):
            questions = questions.filter(status=status_)
        return questions


class ClarificationRequestDetailView(APIView):
    serializer_class = ClarificationRequestSerializer

    @extend_schema(
        operation_id="consultationClarificationRequestRetrieve",
        responses={200: ClarificationRequestSerializer, 404: PROJECT_TEAM_ONLY},
        description="One question with the supplier that asked it. The project team's.",
    )
    def get(self, request, consultation, clarification):
        question = _clarification_for_project_team(
            user=request.user, slug=consultation, public_id=clarification
        )
        return Response(ClarificationRequestSerializer(question).data)


FINAL = OpenApiResponse(
    description="The question has already been published or rejected; that is final."
)


class ClarificationPublishView(APIView):
    serializer_class = ClarificationRequestSerializer

    @extend_schema(
        operation_id="consultationClarificationRequestPublish",
        request=ClarificationPublishSerializer,
        responses={
            200: ClarificationRequestSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: FINAL,
        },
        description="Answer an open question and publish it to everyone under the next "
        "number, in `publicQuestion`'s wording (rephrased to remove what identifies the "
        "supplier; the question as asked when left out). Project-team editors.",
    )
    def post(self, request, consultation, clarification):
        question = _clarification_for_project_team(
            user=request.user, slug=consultation, public_id=clarification
        )
        require(is_project_team_editor(user=request.user))
        data = _body(ClarificationPublishSerializer, request)
        question = services_clarifications.question_publish(
            actor=request.user,
            question=question,
            public_question=data["publicQuestion"],
            answer=data["answer"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(ClarificationRequestSerializer(question).data)


class ClarificationRejectView(APIView):
    serializer_class = ClarificationRequestSerializer

    @extend_schema(
        operation_id="consultationClarificationRequestReject",
        request=ClarificationRejectSerializer,
        responses={
            200: ClarificationRequestSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: FINAL,
        },
        description="Decline to answer an open question. Nothing is published; the reason is "
        "shown to the asking supplier only. Project-team editors.",
    )
    def post(self, request, consultation, clarification):
        question = _clarification_for_project_team(
            user=request.user, slug=consultation, public_id=clarification
        )
        require(is_project_team_editor(user=request.user))
        data = _body(ClarificationRejectSerializer, request)
        question = services_clarifications.question_reject(
            actor=request.user,
            question=question,
            reason=data["reason"],
            base_url=request.build_absolute_uri("/"),
        )
        return Response(ClarificationRequestSerializer(question).data)


# --- The anonymised report --------------------------------------------------------------------


def _report_data(request, consultation: Consultation, report: ConsultationReport) -> dict:
    context = {"request": request, "consultation": consultation}
    return ConsultationReportSerializer(report, context=context).data


def _report_for_project_team(*, user: Any, slug: str, public_id) -> ConsultationReport:
    item = consultation_get_for_project_team(user=user, slug=slug)
    report = selectors_report.report_get_for_project_team(
        user=user, consultation=item, public_id=public_id
    )
    require(is_project_team_editor(user=user))
    return report


class ReportListView(generics.ListAPIView):
    """The versions of the anonymised report, newest first: every version with its status
    for the project team, the published one for everyone else."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = ConsultationReportSerializer

    @extend_schema(operation_id="consultationReportList")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.consultation = consultation_get(
            user=self.request.user, slug=self.kwargs["consultation"]
        )
        return (
            ConsultationReport.objects.visible_to(self.request.user)
            .filter(consultation=self.consultation)
            .order_by("-number")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "consultation": self.consultation}

    @extend_schema(
        operation_id="consultationReportCreate",
        request=ConsultationReportRequestSerializer,
        responses={
            202: ConsultationReportSerializer,
            400: OpenApiResponse(
                description="`changeNote` is missing for a version after the first, or too long."
            ),
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(
                description="The consultation is not closed, open answers are not reviewed "
                "yet, or a text for the report still names a supplier."
            ),
        },
        description="Generate a new version of the report of a closed consultation, once "
        "every open answer is reviewed; every version after the first says what changed "
        "(`changeNote`). The PDF is generated in the background: follow the `Location` until "
        "the status is `done`. Project-team editors.",
    )
    def post(self, request, consultation):
        item = consultation_get_for_project_team(user=request.user, slug=consultation)
        require(is_project_team_editor(user=request.user))
        data = _body(ConsultationReportRequestSerializer, request)
        report = services_report.report_request(
            actor=request.user, consultation=item, change_note=data["changeNote"]
        )
        return _report_accepted(request, item, report)


def _report_accepted(request, consultation: Consultation, report: ConsultationReport) -> Response:
    """202 with the version and where to follow it until it is done."""
    location = reverse(
        "api:consultation-report-detail",
        kwargs={"consultation": consultation.slug, "report": report.public_id},
        request=request,
    )
    return Response(
        _report_data(request, consultation, report),
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": location},
    )


class ReportDetailView(APIView):
    permission_classes = [AllowAny]
    serializer_class = ConsultationReportSerializer

    @extend_schema(
        operation_id="consultationReportRetrieve",
        responses={
            200: ConsultationReportSerializer,
            404: OpenApiResponse(
                description="No such report, or one that is not published and the caller is "
                "not in the project team."
            ),
        },
        description="One version of the report, with its download URL once it is ready. "
        "The published version is public; the others are the project team's.",
    )
    def get(self, request, consultation, report):
        item = consultation_get(user=request.user, slug=consultation)
        found = get_visible_or_404(
            ConsultationReport.objects.filter(consultation=item), request.user, public_id=report
        )
        return Response(_report_data(request, item, found))


class ReportRetryView(APIView):
    serializer_class = ConsultationReportSerializer

    @extend_schema(
        operation_id="consultationReportRetry",
        request=None,
        responses={
            202: ConsultationReportSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(description="The version did not fail."),
        },
        description="Generate a failed version again: the same version with the same "
        "pseudonyms and change note. Follow the `Location` until the status is `done`. "
        "Project-team editors.",
    )
    def post(self, request, consultation, report):
        found = _report_for_project_team(user=request.user, slug=consultation, public_id=report)
        found = services_report.report_retry(actor=request.user, report=found)
        return _report_accepted(request, found.consultation, found)


class ReportPublishView(APIView):
    serializer_class = ConsultationReportSerializer

    @extend_schema(
        operation_id="consultationReportPublish",
        request=None,
        responses={
            200: ConsultationReportSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(description="The report is not ready."),
        },
        description="Put a finished report on the public page, in place of the version "
        "published before. Project-team editors.",
    )
    def post(self, request, consultation, report):
        found = _report_for_project_team(user=request.user, slug=consultation, public_id=report)
        found = services_report.report_publish(actor=request.user, report=found)
        return Response(_report_data(request, found.consultation, found))


class ReportUnpublishView(APIView):
    serializer_class = ConsultationReportSerializer

    @extend_schema(
        operation_id="consultationReportUnpublish",
        request=None,
        responses={
            200: ConsultationReportSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(description="The report is not published."),
        },
        description="Take the published report off the public page. Project-team editors.",
    )
    def post(self, request, consultation, report):
        found = _report_for_project_team(user=request.user, slug=consultation, public_id=report)
        found = services_report.report_unpublish(actor=request.user, report=found)
        return Response(_report_data(request, found.consultation, found))


# --- The review -------------------------------------------------------------------------------


class ReviewQuestionListView(generics.ListAPIView):
    """Every question of the published versions with its number of answers, the counts per
    option (choice and yes/no questions) and the review progress of open answers. Submitted
    responses only. The project team's; the answers themselves are per question."""

    serializer_class = ReviewQuestionSerializer

    @extend_schema(
        operation_id="consultationReviewQuestionList",
        responses={200: ReviewQuestionSerializer(many=True), 404: PROJECT_TEAM_ONLY},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        item = review.consultation_get_for_review(
            user=self.request.user, slug=self.kwargs["consultation"]
        )
        return review.review_overview(consultation=item).questions


class ReviewQuestionDetailView(APIView):
    serializer_class = ReviewQuestionDetailSerializer

    @extend_schema(
        operation_id="consultationReviewQuestionRetrieve",
        responses={200: ReviewQuestionDetailSerializer, 404: PROJECT_TEAM_ONLY},
        description="Every submitted response's answer to one question, with the supplier "
        "and the questionnaire version it answers. Answers are confidential: every read is "
        "recorded in the audit trail.",
    )
    def get(self, request, consultation, question_key):
        item = review.consultation_get_for_review(user=request.user, slug=consultation)
        comparison = review.question_comparison(consultation=item, key=question_key)
        services_review.review_answers_read(
            actor=request.user, consultation=item, view="question", question_key=question_key
        )
        context = {"request": request, "consultation": item}
        return Response(ReviewQuestionDetailSerializer(comparison, context=context).data)


def _open_answer_data(answer, question) -> dict:
    review_ = getattr(answer, "review", None)
    if review_ is not None and not review_.include:
        hints: list[str] = []
    else:
        text = review_.redacted_text if review_ is not None else str(answer.value or "")
        hints = services_review.identifying_hints(text, answer.response.organisation)
    row = {
        "response": answer.response,
        "answer": answer,
        "question": question,
        "hints": hints,
        "review": review_,
    }
    return OpenAnswerSerializer(row).data


class ReviewAnswerView(APIView):
    serializer_class = OpenAnswerSerializer

    @extend_schema(
        operation_id="consultationReviewAnswerRetrieve",
        responses={200: OpenAnswerSerializer, 404: PROJECT_TEAM_ONLY},
        description="One open (text) answer of a submitted response, with its review. The "
        "read is recorded in the audit trail.",
    )
    def get(self, request, consultation, submitted_response, question_key):
        item = review.consultation_get_for_review(user=request.user, slug=consultation)
        answer, question = review.open_answer_get(
            user=request.user, consultation=item, response_id=submitted_response, key=question_key
        )
        services_review.review_answers_read(
            actor=request.user,
            consultation=item,
            view="answer",
            question_key=question_key,
            response=answer.response,
        )
        return Response(_open_answer_data(answer, question))

    @extend_schema(
        operation_id="consultationReviewAnswerUpdate",
        request=AnswerReviewWriteSerializer,
        responses={
            200: AnswerReviewSerializer,
            403: READ_ONLY,
            404: PROJECT_TEAM_ONLY,
            409: OpenApiResponse(description="The consultation is not closed yet."),
        },
        description="Record (or change) the review of an open answer for the anonymised "
        "report: the text to publish, free of the supplier's name, KvK number and e-mail "
        "addresses, or leave the answer out. Project-team editors, once the consultation is "
        "closed.",
    )
    def put(self, request, consultation, submitted_response, question_key):
        item = review.consultation_get_for_review(user=request.user, slug=consultation)
        answer, _question = review.open_answer_get(
            user=request.user, consultation=item, response_id=submitted_response, key=question_key
        )
        require(review.can_review(user=request.user))
        data = _body(AnswerReviewWriteSerializer, request)
        saved = services_review.answer_review(
            actor=request.user,
            answer=answer,
            include=data["include"],
            redacted_text=data["redactedText"],
        )
        return Response(AnswerReviewSerializer(saved).data)


# --- Talks ------------------------------------------------------------------------------------


def _slot_data(request, consultation: Consultation, slot) -> dict:
    context = {"request": request, "consultation": consultation}
    return TalkSlotSerializer(slot, context=context).data


class TalkSlotListView(generics.ListAPIView):
    """The 1-on-1 talks, by start: for a supplier its own booking and the free talks it can
    still book; for the project team every talk with the supplier that booked it. 404 for
    everyone else."""

    serializer_class = TalkSlotSerializer

    @extend_schema(
        operation_id="consultationTalkSlotList",
        responses={
            200: TalkSlotSerializer(many=True),
            404: OpenApiResponse(
                description="No such consultation, or the caller is neither a supplier nor "
                "in the project team."
            ),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        if user.is_project_team:
            self.consultation = consultation_get_for_project_team(
                user=user, slug=self.kwargs["consultation"]
            )
            return selectors_talks.slots_for_project_team(consultation=self.consultation)
        membership = _supplier(user)
        self.consultation = consultation_get(user=user, slug=self.kwargs["consultation"])
        talks = selectors_talks.talks_for_supplier(
            user=user, organisation=membership.organisation, consultation=self.consultation
        )
        own = [talks["own_slot"]] if talks["own_slot"] else []
        for slot in own:
            slot.organisation = membership.organisation  # no query for the own name
        return sorted(own + talks["free_slots"], key=lambda slot: (slot.starts_at, slot.pk))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "consultation": self.consultation}


TALK_CONFLICT = OpenApiResponse(
    description="The talk cannot be booked or cancelled now (already booked, started, taken "
    "place, or the consultation is no longer open for talks)."
)


class TalkSlotBookView(APIView):
    serializer_class = TalkSlotSerializer

    @extend_schema(
        operation_id="consultationTalkSlotBook",
        request=None,
        responses={
            200: TalkSlotSerializer,
            403: OpenApiResponse(
                description="A viewer of the supplier, or the project team: they do not book."
            ),
            404: OpenApiResponse(
                description="No such talk, or one booked by another supplier (for a supplier "
                "it does not exist)."
            ),
            409: TALK_CONFLICT,
        },
        description="Book a free talk for your company (administrators and editors of a "
        "supplier). One talk per supplier; the members get a confirmation by e-mail.",
    )
    def post(self, request, consultation, slot):
        item = consultation_get(user=request.user, slug=consultation)
        found = selectors_talks.slot_get(user=request.user, consultation=item, public_id=slot)
        found = services_talks.slot_book(actor=request.user, slot=found)
        return Response(_slot_data(request, item, found))


class TalkSlotCancelView(APIView):
    serializer_class = TalkSlotSerializer

    @extend_schema(
        operation_id="consultationTalkSlotCancel",
        request=None,
        responses={
            200: TalkSlotSerializer,
            403: READ_ONLY,
            404: OpenApiResponse(description="No such talk, or not the caller's booking."),
            409: TALK_CONFLICT,
        },
        description="Cancel a booking: the supplier its own before the talk starts, the "
        "project team any booking until the minutes are attached. The talk is free again.",
    )
    def post(self, request, consultation, slot):
        item = consultation_get(user=request.user, slug=consultation)
        found = selectors_talks.slot_get(user=request.user, consultation=item, public_id=slot)
        found = services_talks.slot_cancel(actor=request.user, slot=found)
        return Response(_slot_data(request, item, found))
