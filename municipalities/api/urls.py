"""Routes of the municipalities API. No ``app_name``: the project's API URLconf includes them
in its ``api`` namespace, next to the other apps' routes (``api:participation-list``)."""

from django.urls import path

from municipalities.api import demand, participations

urlpatterns = [
    path(
        "participations",
        participations.ParticipationListView.as_view(),
        name="participation-list",
    ),
    path(
        "participations/<uuid:public_id>",
        participations.ParticipationDetailView.as_view(),
        name="participation-detail",
    ),
    path("demands", demand.DemandListView.as_view(), name="demand-list"),
    path(
        "demands/<uuid:public_id>",
        demand.DemandDetailView.as_view(),
        name="demand-detail",
    ),
    path(
        "demands/<uuid:public_id>/submit",
        demand.DemandSubmitView.as_view(),
        name="demand-submit",
    ),
    path(
        "demands/<uuid:public_id>/versions/<int:number>",
        demand.DemandVersionDetailView.as_view(),
        name="demand-version-detail",
    ),
]
