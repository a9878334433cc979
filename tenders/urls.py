from django.urls import path

from tenders import (
    urls_clarifications,
    urls_report,
    urls_review,
    urls_talks,
    views,
    views_aggregation,
    views_consultation,
    views_lots,
)

app_name = "tenders"

urlpatterns = [
    path("programma-aanmaken", views.programme_create, name="programme-create"),
    path("programmas/<slug:programme_slug>", views.programme_detail, name="programme-detail"),
    path("programmas/<slug:programme_slug>/percelen", views_lots.lot_list, name="lot-list"),
    path(
        "programmas/<slug:programme_slug>/percelen/<int:number>/wijzigen",
        views_lots.lot_edit,
        name="lot-edit",
    ),
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
    path(
        "programmas/<slug:programme_slug>/marktconsultaties",
        views_consultation.consultation_list,
        name="consultation-list",
    ),
    path(
        "marktconsultaties/<slug:consultation>",
        views_consultation.consultation_public,
        name="consultation",
    ),
    path(
        "marktconsultaties/<slug:consultation>/documenten/<uuid:document>",
        views_consultation.consultation_document,
        name="consultation-document",
    ),
    path(
        "marktconsultaties/<slug:consultation>/beheer",
        views_consultation.consultation_manage,
        name="consultation-manage",
    ),
    path(
        "marktconsultaties/<slug:consultation>/publiceren",
        views_consultation.consultation_publish,
        name="consultation-publish",
    ),
    path(
        "marktconsultaties/<slug:consultation>/reacties",
        views_consultation.consultation_responses,
        name="consultation-responses",
    ),
    path(
        "marktconsultaties/<slug:consultation>/sluiten",
        views_consultation.consultation_close,
        name="consultation-close",
    ),
    path(
        "marktconsultaties/<slug:consultation>/vragenlijst",
        views_consultation.questionnaire_builder,
        name="questionnaire",
    ),
    path(
        "marktconsultaties/<slug:consultation>/vragenlijst/vragen/<slug:key>/verwijderen",
        views_consultation.question_remove,
        name="question-remove",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie",
        views_aggregation.aggregation_dashboard,
        name="aggregation",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/berekenen",
        views_aggregation.aggregation_request,
        name="aggregation-request",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/vergelijken",
        views_aggregation.aggregation_compare,
        name="aggregation-compare",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/runs/<uuid:run>/opnieuw",
        views_aggregation.aggregation_retry_run,
        name="aggregation-retry",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>",
        views_aggregation.aggregation_snapshot,
        name="aggregation-snapshot",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezen",
        views_aggregation.aggregation_freeze,
        name="aggregation-freeze",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/perceel/<int:lot_number>/<int:year>",
        views_aggregation.aggregation_drilldown,
        name="aggregation-drilldown",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/export.xlsx",
        views_aggregation.aggregation_export_xlsx,
        name="aggregation-export-xlsx",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/export.csv",
        views_aggregation.aggregation_export_csv,
        name="aggregation-export-csv",
    ),
]

# The market consultation's follow-up parts, each in its own module.
urlpatterns += urls_clarifications.urlpatterns
urlpatterns += urls_talks.urlpatterns
urlpatterns += urls_review.urlpatterns
urlpatterns += urls_report.urlpatterns
