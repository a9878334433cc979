"""The API router: every app's API routes under /api/v1/ in the ``api`` namespace, with the
OpenAPI schema and the documentation page. Each app lists its own routes in its API ``urls``
module."""

from django.urls import include, path

from portal import api
from portal.api_docs import api_documentation
from portal.api_schema import SchemaJSONView, SchemaView

v1 = [
    path("", include("portal.api_urls")),
    path("", include("tenders.api.urls")),
    path("", include("municipalities.api.urls")),
    path("", include("consultations.api.urls")),
    # JSON whatever the Accept header says: the name promises JSON.
    path("openapi.json", SchemaJSONView.as_view(), name="openapi-json"),
]

urlpatterns = [
    path("v1", api.ApiRootView.as_view(), name="api-root-no-slash"),
    path("v1/", include((v1, "api"))),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # Our own accessible page generated from the schema (not the Swagger UI bundle).
    path("docs/", api_documentation, name="api-docs"),
]
