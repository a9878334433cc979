"""The review of the answers: the project team's alone, and every read of answers is audited."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api.common import PROJECT_TEAM_ONLY, READ_ONLY, request_body
from consultations.api.serializers_parts import (
    AnswerReviewSerializer,
    AnswerReviewWriteSerializer,
    OpenAnswerSerializer,
    ReviewQuestionDetailSerializer,
    ReviewQuestionSerializer,
)
from consultations.selectors import redaction, review
from consultations.selectors.consultation import Audience, consultation_get
from consultations.selectors.identifying import identifying_hints
from consultations.services import review as services_review
from portal.tenancy import require


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
        item = consultation_get(
            user=self.request.user, slug=self.kwargs["consultation"], audience=Audience.PROJECT_TEAM
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
        item = consultation_get(
            user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM
        )
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
        hints = identifying_hints(text, answer.response.organisation)
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
        item = consultation_get(
            user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM
        )
        answer, question = redaction.open_answer_get(
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
        item = consultation_get(
            user=request.user, slug=consultation, audience=Audience.PROJECT_TEAM
        )
        answer, _question = redaction.open_answer_get(
            user=request.user, consultation=item, response_id=submitted_response, key=question_key
        )
        require(review.can_review(user=request.user))
        data = request_body(AnswerReviewWriteSerializer, request)
        saved = services_review.answer_review(
            actor=request.user,
            answer=answer,
            include=data["include"],
            redacted_text=data["redactedText"],
        )
        return Response(AnswerReviewSerializer(saved).data)
