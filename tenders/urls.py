from django.urls import path

from tenders.views import aggregation as views_aggregation
from tenders.views import change as views_change
from tenders.views import documents as views_documents
from tenders.views import dossier as views_dossier
from tenders.views import enquiries as views_enquiries
from tenders.views import exports as views_exports
from tenders.views import freeze as views_freeze
from tenders.views import lots as views_lots
from tenders.views import ocds as views_ocds
from tenders.views import programme as views
from tenders.views import public as views_public
from tenders.views import public_documents as views_public_documents
from tenders.views import tender as views_tender
from tenders.views import tender_timeline as views_tender_timeline

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
        "programmas/<slug:programme_slug>/deelnemers/herinneren",
        views.participation_remind,
        name="participation-remind",
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
        "programmas/<slug:programme_slug>/inventarisatie/herinneren",
        views.demand_remind,
        name="demand-remind",
    ),
    path(
        "programmas/<slug:programme_slug>/inventarisatie/export",
        views_exports.demand_export,
        name="demand-export",
    ),
    path(
        "programmas/<slug:programme_slug>/tijdlijn/<slug:kind>/wijzigen",
        views.milestone_change,
        name="milestone-change",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/tijdlijn",
        views_tender_timeline.tender_timeline,
        name="tender-timeline",
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
        views_freeze.aggregation_snapshot,
        name="aggregation-snapshot",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezen",
        views_freeze.aggregation_freeze,
        name="aggregation-freeze",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezing-opheffen",
        views_freeze.aggregation_unfreeze,
        name="aggregation-unfreeze",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/bevriezing-opheffen/<uuid:request_id>",
        views_freeze.aggregation_unfreeze_decide,
        name="aggregation-unfreeze-decide",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/perceel/<int:lot_number>/<int:year>",
        views_aggregation.aggregation_drilldown,
        name="aggregation-drilldown",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/export.xlsx",
        views_exports.aggregation_export_xlsx,
        name="aggregation-export-xlsx",
    ),
    path(
        "programmas/<slug:programme_slug>/exports/<uuid:export>",
        views_exports.programme_export,
        name="programme-export",
    ),
    path(
        "programmas/<slug:programme_slug>/exports/<uuid:export>/opnieuw",
        views_exports.programme_export_retry,
        name="programme-export-retry",
    ),
    path(
        "programmas/<slug:programme_slug>/exports/<uuid:export>/download",
        views_exports.programme_export_download,
        name="programme-export-download",
    ),
    path(
        "programmas/<slug:programme_slug>/aggregatie/<uuid:snapshot>/export.csv",
        views_aggregation.aggregation_export_csv,
        name="aggregation-export-csv",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding",
        views_tender.tender_detail,
        name="tender",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/aanmaken",
        views_tender.tender_create_view,
        name="tender-create",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/gunningscriteria",
        views_tender.tender_criteria,
        name="tender-criteria",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/eisen",
        views_tender.tender_requirements,
        name="tender-requirements",
    ),
    path("aanbestedingen/<str:reference>/ocds.json", views_ocds.tender_ocds, name="tender-ocds"),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/publiceren",
        views_tender.tender_publish,
        name="tender-publish",
    ),
]

urlpatterns += [
    path(
        "programmas/<slug:programme_slug>/aanbesteding/documenten",
        views_documents.documents_manage,
        name="documents",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/documenten/<uuid:version>/download",
        views_documents.document_download,
        name="document-download",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/documenten/<uuid:version>/opnieuw",
        views_documents.document_retry,
        name="document-retry",
    ),
    path("aanbestedingen", views_public.tender_list, name="tender-list"),
    path("aanbestedingen/<str:reference>", views_public.tender_public, name="tender-public"),
    path(
        "aanbestedingen/<str:reference>/percelen/<int:lot_number>/aanbestedende-diensten",
        views_public.lot_authorities,
        name="lot-authorities",
    ),
    path(
        "aanbestedingen/<str:reference>/volgen",
        views_public.subscribe,
        name="subscribe",
    ),
    path(
        "aanbestedingen/<str:reference>/volgen/verstuurd",
        views_public.subscription_sent,
        name="subscription-sent",
    ),
    path(
        "aanbestedingen/<str:reference>/volgen/bevestigen/<str:confirm_token>",
        views_public.subscription_confirm,
        name="subscription-confirm",
    ),
    path(
        "aanbestedingen/<str:reference>/volgen/afmelden/<str:unsubscribe_token>",
        views_public.subscription_unsubscribe,
        name="subscription-unsubscribe",
    ),
    path(
        "aanbestedingen/<str:reference>/documenten/<uuid:version>",
        views_public_documents.public_document_download,
        name="public-document-download",
    ),
]

urlpatterns += [
    path(
        "programmas/<slug:programme_slug>/dossier",
        views_dossier.programme_dossier,
        name="programme-dossier",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/wijzigingsbericht",
        views_change.change_notice,
        name="change-notice",
    ),
]

urlpatterns += [
    path(
        "aanbestedingen/<str:reference>/vragen",
        views_enquiries.enquiry_supplier,
        name="enquiry-ask",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/vragen",
        views_enquiries.enquiry_manage,
        name="enquiries",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/vragen/nota-van-inlichtingen",
        views_enquiries.enquiry_round,
        name="enquiry-round",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/vragen/<uuid:enquiry>/beantwoorden",
        views_enquiries.enquiry_answer_view,
        name="enquiry-answer",
    ),
    path(
        "programmas/<slug:programme_slug>/aanbesteding/vragen/<uuid:enquiry>/samenvoegen",
        views_enquiries.enquiry_merge_view,
        name="enquiry-merge",
    ),
]
