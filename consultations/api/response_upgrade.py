"""Moving a supplier's own response to the newest questionnaire version, as the response
page does: first what changes (GET), then the move itself (POST, audited by the service).
Until the move, the answer operations refuse an outdated response (409)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api.responses import (
    NO_RESPONSE,
    _my_response_data,
    _not_started,
    _own_response,
    _supplier_membership,
)
from consultations.api.serializers_responses import MyResponseSerializer
from consultations.models import ConsultationResponse
from consultations.selectors import response_upgrade as upgrade_selectors
from consultations.selectors.consultation import consultation_get, questionnaire_current
from consultations.services import responses as services
from portal.api_errors import Conflict, service_errors
from portal.tenancy import require


class UpgradeQuestionSerializer(serializers.Serializer):
    questionKey = serializers.CharField()
    text = serializers.CharField()
    answer = serializers.CharField(
        required=False, help_text="Your current answer, as the page shows it."
    )


class UpgradeSummarySerializer(serializers.Serializer):
    """What moving the response to the newest version changes."""

    fromVersion = serializers.IntegerField()
    toVersion = serializers.IntegerField()
    added = UpgradeQuestionSerializer(many=True, help_text="Questions new in toVersion.")
    removed = UpgradeQuestionSerializer(many=True, help_text="Questions no longer asked.")
    dropped = UpgradeQuestionSerializer(
        many=True, help_text="Your answers that the move drops (question removed or changed type)."
    )
    review = UpgradeQuestionSerializer(
        many=True, help_text="Your answers that move along to a question asked differently."
    )


class UpgradeConfirmSerializer(serializers.Serializer):
    toVersion = serializers.IntegerField(
        help_text="The version whose changes you saw (GET my-response/upgrade): when the "
        "project team has published another one since, the move is refused (409)."
    )


NOT_OUTDATED = OpenApiResponse(
    description="The response already belongs to the newest version, a newer version than "
    "toVersion has been published, or the consultation is closed. Nothing changes."
)


def _question(question, answer: str | None = None) -> dict:
    data = {"questionKey": question.key, "text": question.text}
    if answer is not None:
        data["answer"] = answer
    return data


def _outdated(request, consultation: str):
    membership = _supplier_membership(request.user)
    item = consultation_get(user=request.user, slug=consultation)
    response = _own_response(membership=membership, consultation=item)
    if response is None:
        raise _not_started()
    current = questionnaire_current(consultation=item)
    if current is None or response.version_id == current.pk:
        raise Conflict(_("Your answers already belong to the newest version."))
    return membership, item, response, current


class MyResponseUpgradeView(APIView):
    serializer_class = UpgradeSummarySerializer

    @extend_schema(
        operation_id="consultationMyResponseUpgradeRetrieve",
        responses={200: UpgradeSummarySerializer, 404: NO_RESPONSE, 409: NOT_OUTDATED},
        description="What moving your response to the newest questionnaire version changes: "
        "the questions added and removed, the answers the move drops and those to review.",
    )
    def get(self, request, consultation):
        _membership, _item, response, current = _outdated(request, consultation)
        summary = upgrade_selectors.response_upgrade_summary(response=response, version=current)
        return Response(
            {
                "fromVersion": summary.old.number,
                "toVersion": summary.new.number,
                "added": [_question(q) for q in summary.added],
                "removed": [_question(q) for q in summary.removed],
                "dropped": [_question(c.question, c.answer) for c in summary.dropped],
                "review": [_question(c.question, c.answer) for c in summary.review],
            }
        )

    @extend_schema(
        operation_id="consultationMyResponseUpgrade",
        request=UpgradeConfirmSerializer,
        responses={
            200: MyResponseSerializer,
            403: OpenApiResponse(description="A viewer of the supplier: read-only."),
            404: NO_RESPONSE,
            409: NOT_OUTDATED,
        },
        description="Move your response to the newest questionnaire version, as shown by GET "
        "my-response/upgrade: answers to questions asked with the same key and type move "
        "along, the others are dropped, and the response is a draft again (submit it again). "
        "Only administrators and editors of the supplier.",
    )
    def post(self, request, consultation):
        membership, item, response, current = _outdated(request, consultation)
        require(membership.can_edit)
        confirm = UpgradeConfirmSerializer(data=request.data)
        confirm.is_valid(raise_exception=True)
        if confirm.validated_data["toVersion"] != current.number:
            raise Conflict(
                _(
                    "Version %(number)s of the questionnaire is the newest now: see what it "
                    "changes before moving your answers."
                )
                % {"number": current.number}
            )
        try:
            with transaction.atomic():
                locked = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
                if locked.version_id == current.pk:
                    raise Conflict(_("Your answers already belong to the newest version."))
                services.response_upgrade(actor=request.user, response=locked, version=current)
        except DjangoValidationError as exc:
            raise service_errors(exc) from exc
        return Response(
            _my_response_data(request=request, membership=membership, consultation=item)
        )
