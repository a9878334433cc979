from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

admin.autodiscover()
# The admin login goes through allauth: rate limited and MFA protected.
admin.site.login = secure_admin_login(admin.site.login)

portal_patterns = [
    path("", views.home, name="home"),
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
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("tenders.urls")),
    path("", include("municipalities.urls")),
    path("", include("catalog.urls")),
    path("", include("suppliers.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", RedirectView.as_view(url="/static/favicon.svg", permanent=True)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("portal.api_urls")),
    path("beheer/", admin.site.urls),
]

handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
