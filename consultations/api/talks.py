"""1-on-1 talks: a supplier sees the free talks and its own booking, the project team every talk
with the supplier that booked it; the minutes are linked for those two only."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api.common import READ_ONLY, supplier_membership
from consultations.api.serializers_parts import (
    TalkSlotSerializer,
)
from consultations.models import Consultation
from consultations.selectors import talks as selectors_talks
from consultations.selectors.consultation import Audience, consultation_get
from consultations.services import reads
from consultations.services import talks as services_talks


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
            self.consultation = consultation_get(
                user=user, slug=self.kwargs["consultation"], audience=Audience.PROJECT_TEAM
            )
            reads.participants_read(
                actor=user,
                consultation=self.consultation,
                subject=reads.TALK_BOOKINGS,
                view="api:talks",
            )
            return selectors_talks.slots_for_project_team(consultation=self.consultation)
        membership = supplier_membership(user)
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
