"""Participations API: the same scoping as the pages (404 for what the caller may not see)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from municipalities import selectors
from municipalities.api.serializers import ParticipationSerializer
from portal.pagination import KeyPagedMixin


class ParticipationListView(KeyPagedMixin, generics.ListAPIView):
    serializer_class = ParticipationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("programme", str, description="Programme slug"),
            OpenApiParameter("status", str, description="Participation status"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = selectors.participation_record_list(user=self.request.user)
        if programme := self.request.query_params.get("programme"):
            queryset = queryset.filter(programme__slug=programme)
        if status := self.request.query_params.get("status"):
            queryset = queryset.filter(status=status)
        return queryset


class ParticipationDetailView(generics.RetrieveAPIView):
    serializer_class = ParticipationSerializer

    def get_object(self):
        return selectors.participation_get_for_user(
            user=self.request.user, public_id=self.kwargs["public_id"]
        )
