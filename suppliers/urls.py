from django.urls import path

from suppliers import views

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
]
