"""The core's pages: organisations, members, invitations, the accessibility statement."""

from django.urls import path

from portal import views, views_privacy

urlpatterns = [
    path("toegankelijkheid", views.accessibility_statement, name="accessibility"),
    path("organisaties/", views.organisation_list, name="organisation-list"),
    path("organisaties/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path(
        "organisaties/<slug:slug>/uitnodigen",
        views.invitation_create,
        name="invitation-create",
    ),
    path(
        "organisaties/<slug:slug>/uitnodigingen/<uuid:public_id>/intrekken",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "organisaties/<slug:slug>/leden/<uuid:public_id>/verwijderen",
        views.membership_remove,
        name="membership-remove",
    ),
    path("uitnodiging/<str:token>", views.invitation_accept, name="invitation-accept"),
    path("organisatie-wisselen", views.organisation_switch, name="organisation-switch"),
    path("account/mijn-gegevens", views_privacy.privacy_data, name="privacy-data"),
    path(
        "account/mijn-gegevens/downloaden",
        views_privacy.privacy_data_download,
        name="privacy-data-download",
    ),
    path("account/verwijderen", views_privacy.account_remove, name="account-remove"),
    path(
        "personen/<uuid:user_id>/verwijderen",
        views_privacy.person_remove,
        name="person-remove",
    ),
]
