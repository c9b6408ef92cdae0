from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from companies import admin_exports

from .portal import urls as portal_urls
from .views import healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/exports/", include((admin_exports.urlpatterns, "exports"))),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("account/meeting-requests/", include("partners.urls")),
    path("account/", include("config.portal.account.urls")),
    path("b2b/", include("partners.scheduling.urls")),
    path("", include("config.portal.reports.urls")),
    path("missions/", include((portal_urls.missions_urlpatterns, "missions"))),
    path("agreements/", include("agreements.urls")),
    path("follow-up/", include("agreements.followup.urls")),
    path("partners/", include("partners.suggestions.urls")),
    path("", include((portal_urls.companies_urlpatterns, "companies"))),
    path("", include("config.portal.urls")),
]
if settings.BENCH:  # the benchmark's references (config/bench.py); never on a deployment
    from . import bench

    urlpatterns = bench.urlpatterns + urlpatterns
# MEDIA_ROOT is served by no URL, in any mode: agreement documents go out through the document view
# (agreements:document), which checks who may see the agreement.
