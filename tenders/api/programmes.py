from rest_framework import generics
from rest_framework.permissions import AllowAny

from portal.tenancy import get_visible_or_404
from tenders.api.serializers import ProgrammeSerializer
from tenders.selectors.programme import programme_list


class ProgrammeListView(generics.ListAPIView):
    """Programmes are public once announced."""

    permission_classes = [AllowAny]
    serializer_class = ProgrammeSerializer

    def get_queryset(self):
        return programme_list(user=self.request.user)


class ProgrammeDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ProgrammeSerializer

    def get_object(self):
        return get_visible_or_404(
            programme_list(user=self.request.user), self.request.user, slug=self.kwargs["slug"]
        )
