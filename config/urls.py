from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .views import healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("account/", include("companies.account_urls")),
    path("missions/", include("missions.urls")),
    path("agreements/", include("agreements.urls")),
    path("follow-up/", include("agreements.followup.urls")),
    path("", include("companies.urls")),
    path("", include("agreements.portal_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
