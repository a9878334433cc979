"""The API router: every app's API routes under /api/v1/ in the ``api`` namespace, with the
OpenAPI schema and docs. Each app lists its own routes in its API ``urls`` module."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from municipalities import api as municipalities_api
from municipalities import api_demand
from portal import api

v1 = [
    path("", include("portal.api_urls")),
    path("", include("tenders.api.urls")),
    path(
        "participations",
        municipalities_api.ParticipationListView.as_view(),
        name="participation-list",
    ),
    path(
        "participations/<uuid:public_id>",
        municipalities_api.ParticipationDetailView.as_view(),
        name="participation-detail",
    ),
    path("demands", api_demand.DemandListView.as_view(), name="demand-list"),
    path(
        "demands/<uuid:public_id>",
        api_demand.DemandDetailView.as_view(),
        name="demand-detail",
    ),
    path(
        "demands/<uuid:public_id>/submit",
        api_demand.DemandSubmitView.as_view(),
        name="demand-submit",
    ),
    path(
        "demands/<uuid:public_id>/versions/<int:number>",
        api_demand.DemandVersionDetailView.as_view(),
        name="demand-version-detail",
    ),
    path("", include("consultations.api.urls")),
    path("openapi.json", SpectacularAPIView.as_view(), name="openapi-json"),
]

urlpatterns = [
    path("v1", api.ApiRootView.as_view(), name="api-root-no-slash"),
    path("v1/", include((v1, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
