"""API of the core: the caller, organisations and their members. Thin views over selectors."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from portal import selectors
from portal.serializers import MemberSerializer, MeSerializer, OrganisationSerializer


class ApiRootView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="apiRoot", responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response(
            {
                "me": reverse("api:me", request=request),
                "organisations": reverse("api:organisation-list", request=request),
                "programmes": reverse("api:programme-list", request=request),
                "tenders": reverse("api:tender-list", request=request),
                "consultations": reverse("api:consultation-list", request=request),
                "openapi": reverse("api:openapi-json", request=request),
            }
        )


class MeView(generics.RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self):
        return selectors.user_with_memberships(user=self.request.user)


class OrganisationListView(generics.ListAPIView):
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return selectors.organisation_list(user=self.request.user)


class OrganisationDetailView(generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer

    def get_object(self):
        return selectors.organisation_get_for_user(user=self.request.user, slug=self.kwargs["slug"])


class OrganisationMemberListView(generics.ListAPIView):
    serializer_class = MemberSerializer

    def get_queryset(self):
        organisation = selectors.organisation_get_for_user(
            user=self.request.user, slug=self.kwargs["slug"]
        )
        return selectors.member_list(organisation=organisation)
