from django.urls import path

from .views import participation as views

app_name = "municipalities"

urlpatterns = [
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
]
