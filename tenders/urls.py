from django.urls import path

from . import views

app_name = "tenders"

urlpatterns = [
    path("programma-aanmaken", views.programme_create, name="programme-create"),
    path("programmas/<slug:programme_slug>", views.programme_detail, name="programme-detail"),
    path(
        "programmas/<slug:programme_slug>/deelnemers",
        views.participation_overview,
        name="participation-overview",
    ),
    path(
        "programmas/<slug:programme_slug>/deelnemers/export",
        views.participation_export,
        name="participation-export",
    ),
    path(
        "programmas/<slug:programme_slug>/inventarisatie",
        views.demand_overview,
        name="demand-overview",
    ),
    path(
        "programmas/<slug:programme_slug>/inventarisatie/export",
        views.demand_export,
        name="demand-export",
    ),
    path(
        "programmas/<slug:programme_slug>/tijdlijn/<slug:kind>/wijzigen",
        views.milestone_change,
        name="milestone-change",
    ),
]
