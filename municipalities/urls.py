from django.urls import path

from municipalities.views import (
    bulk_invite,
    demand,
    demand_excel,
    demand_team,
    onboarding,
    signing,
)
from municipalities.views import participation as views

app_name = "municipalities"

urlpatterns = [
    path("aansluiten/", onboarding.organisation_search, name="organisation-search"),
    path(
        "aansluiten/<uuid:join_organisation>",
        onboarding.join_request_create,
        name="join-request-create",
    ),
    path("organisatie-toevoegen", bulk_invite.authority_create, name="authority-create"),
    path("uitnodigen-uit-bestand/", bulk_invite.bulk_invitation, name="bulk-invitation"),
    path(
        "uitnodigen-uit-bestand/<uuid:bulk>",
        bulk_invite.bulk_invitation_report,
        name="bulk-invitation-report",
    ),
    path("toegangsverzoeken/", onboarding.join_request_list, name="join-request-list"),
    path(
        "toegangsverzoeken/<uuid:access_request>/besluiten",
        onboarding.join_request_decide,
        name="join-request-decide",
    ),
    path("deelnames/", views.participation_list, name="participation-list"),
    path(
        "deelnames/nieuw/<slug:programme_slug>",
        views.participation_create,
        name="participation-create",
    ),
    path("deelnames/<uuid:public_id>/", views.participation_detail, name="participation-detail"),
    path(
        "deelnames/<uuid:public_id>/wijzigen", views.participation_edit, name="participation-edit"
    ),
    path("deelnames/<uuid:public_id>/mandaat", views.mandate, name="mandate"),
    path("deelnames/<uuid:public_id>/mandaat/status", views.mandate_status, name="mandate-status"),
    path(
        "deelnames/<uuid:public_id>/mandaat/<uuid:document_id>/opnieuw",
        views.mandate_retry,
        name="mandate-retry",
    ),
    path(
        "deelnames/<uuid:public_id>/mandaat/<uuid:document_id>/download",
        views.mandate_download,
        name="mandate-download",
    ),
    path(
        "deelnames/<uuid:public_id>/mandaat/uploaden", views.mandate_upload, name="mandate-upload"
    ),
    path(
        "deelnames/<uuid:public_id>/mandaat/ondertekenen",
        views.mandate_sign,
        name="mandate-sign",
    ),
    path(
        "deelnames/<uuid:public_id>/mandaat/bevoegdheid",
        signing.authority_set,
        name="mandate-authority",
    ),
    path(
        "deelnames/<uuid:public_id>/mandaat/bevoegdheid/controleren",
        signing.authority_check,
        name="mandate-authority-check",
    ),
    path(
        "deelnames/<uuid:public_id>/mandaat/bevoegdheid/<str:which>.pdf",
        signing.authority_file,
        name="mandate-authority-file",
    ),
    path(
        "deelnames/<uuid:public_id>/ondertekend/<uuid:signature_id>/controleren",
        signing.signature_check,
        name="signed-mandate-check",
    ),
    path(
        "deelnames/<uuid:public_id>/ondertekend/<uuid:signature_id>/download",
        views.signed_mandate_download,
        name="signed-mandate-download",
    ),
    path(
        "deelnames/<uuid:public_id>/indienen",
        views.participation_submit,
        name="participation-submit",
    ),
    path(
        "deelnames/<uuid:public_id>/ontvangen",
        views.participation_submitted,
        name="participation-submitted",
    ),
    path(
        "deelnames/<uuid:public_id>/intrekken",
        views.participation_withdraw,
        name="participation-withdraw",
    ),
    path(
        "deelnames/<uuid:public_id>/goedkeuren",
        views.participation_approve,
        name="participation-approve",
    ),
    path(
        "deelnames/<uuid:public_id>/terugsturen",
        views.participation_return,
        name="participation-return",
    ),
    # Demand (inventarisatie)
    path(
        "deelnames/<uuid:public_id>/inventarisatie",
        demand.demand_start,
        name="demand-start",
    ),
    path("inventarisatie/<uuid:public_id>/", demand.demand_edit, name="demand-edit"),
    path("inventarisatie/<uuid:public_id>/controleren", demand.demand_check, name="demand-check"),
    path(
        "inventarisatie/<uuid:public_id>/ontvangen/<int:number>",
        demand.demand_submitted,
        name="demand-submitted",
    ),
    path("inventarisatie/<uuid:public_id>/versies", demand.demand_history, name="demand-history"),
    path(
        "inventarisatie/<uuid:public_id>/versies/vergelijken",
        demand.demand_diff,
        name="demand-diff",
    ),
    path(
        "inventarisatie/<uuid:public_id>/excel",
        demand_excel.demand_excel_download,
        name="demand-excel",
    ),
    path(
        "inventarisatie/<uuid:public_id>/excel-uploaden",
        demand_excel.demand_excel_upload,
        name="demand-excel-upload",
    ),
    path(
        "inventarisatie/<uuid:public_id>/excel-uploaden/bevestigen",
        demand_excel.demand_excel_apply,
        name="demand-excel-apply",
    ),
    # The project team's actions on a participant's demand
    path(
        "inventarisatie/<uuid:public_id>/terugsturen",
        demand_team.demand_return_view,
        name="demand-return",
    ),
    path(
        "inventarisatie/<uuid:public_id>/verlengen",
        demand_team.demand_extend_view,
        name="demand-extend",
    ),
]
