from django.urls import path

from suppliers import identity_views, views

app_name = "suppliers"

urlpatterns = [
    path("leveranciers/registreren", views.supplier_register, name="register"),
    path("leveranciers/aanvraag-verstuurd", views.join_request_sent, name="join-request-sent"),
    path(
        "organisaties/<slug:slug>/aanvragen",
        views.join_request_list,
        name="join-request-list",
    ),
    path(
        "organisaties/<slug:slug>/aanvragen/<uuid:public_id>/goedkeuren",
        views.join_request_approve,
        name="join-request-approve",
    ),
    path(
        "organisaties/<slug:slug>/aanvragen/<uuid:public_id>/afwijzen",
        views.join_request_decline,
        name="join-request-decline",
    ),
    path(
        "leveranciers/<slug:supplier>/verificatie",
        identity_views.identity,
        name="identity",
    ),
    path(
        "leveranciers/<slug:supplier>/verificatie/uittreksel",
        identity_views.identity_extract,
        name="identity-extract",
    ),
    path(
        "leveranciers/<slug:supplier>/verificatie/e-mail",
        identity_views.identity_domain,
        name="identity-domain",
    ),
    path(
        "leveranciers/bevestigen/<str:domain_token>",
        identity_views.domain_confirm,
        name="domain-confirm",
    ),
    path(
        "leveranciers/aanvragen/<uuid:join_request>/betwisten",
        identity_views.dispute_create,
        name="dispute-create",
    ),
    path("projectteam/leveranciers", identity_views.identity_review, name="identity-review"),
    path(
        "projectteam/leveranciers/uittreksels/<uuid:extract>",
        identity_views.extract_file,
        name="extract-file",
    ),
    path(
        "projectteam/leveranciers/uittreksels/<uuid:extract>/beoordelen",
        identity_views.extract_decide,
        name="extract-decide",
    ),
    path(
        "projectteam/leveranciers/geschillen/<uuid:dispute>/afhandelen",
        identity_views.dispute_resolve,
        name="dispute-resolve",
    ),
]
