"""The API router: every app's API routes under /api/v1/ in the ``api`` namespace, with the
OpenAPI schema and docs. Each app lists its own routes in its API ``urls`` module."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularJSONAPIView,
    SpectacularSwaggerSplitView,
)

from portal import api

v1 = [
    path("", include("portal.api_urls")),
    path("", include("tenders.api.urls")),
    path("", include("municipalities.api.urls")),
    path("", include("consultations.api.urls")),
    # JSON whatever the Accept header says: the name promises JSON.
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-json"),
]

urlpatterns = [
    path("v1", api.ApiRootView.as_view(), name="api-root-no-slash"),
    path("v1/", include((v1, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
