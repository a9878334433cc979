"""Root URLs: every app's pages, the API, accounts and the admin."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config import views
from portal import urls as portal_urls
from portal import views as portal_views

admin.autodiscover()
# The admin login goes through allauth: rate limited and MFA protected.
admin.site.login = secure_admin_login(admin.site.login)

# The home page (a dashboard over every app) lives in the shell but keeps its name "portal:home".
portal_patterns = [path("", views.home, name="home"), *portal_urls.urlpatterns]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("tenders.urls")),
    path("", include("municipalities.urls")),
    path("", include("catalog.urls")),
    path("", include("suppliers.urls")),
    path("", include("consultations.urls")),
    path("healthz", portal_views.healthz, name="healthz"),
    path("robots.txt", portal_views.robots_txt, name="robots"),
    path("favicon.ico", RedirectView.as_view(url="/static/favicon.svg", permanent=True)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("config.api_urls")),
    path("beheer/", admin.site.urls),
]

handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
