"""API routes of the core (the root, the caller, organisations), included by config/api_urls.py
in the ``api`` namespace."""

from django.urls import path

from portal import api

urlpatterns = [
    path("", api.ApiRootView.as_view(), name="root"),
    path("me", api.MeView.as_view(), name="me"),
    path("organisations", api.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>",
        api.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/members",
        api.OrganisationMemberListView.as_view(),
        name="organisation-member-list",
    ),
]
