"""/api/v1/: the REST API, its OpenAPI schema and its documentation pages (served without a CDN)."""

from csp.decorators import csp
from django.urls import include, path, re_path
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter

from agreements.api import AgreementViewSet, MyProjectsViewSet, ProjectViewSet
from companies.api import MeView, OrganizationViewSet, PersonViewSet, RegionViewSet, SectorViewSet
from missions.api import MeetingViewSet, MissionViewSet, MyMeetingsViewSet
from releases.api import DraftView

from .portal.api import MissionOutcomesView

app_name = "api"

# The documentation pages load only what the portal serves; Redoc's bundle would fetch its logo from
# a CDN, which this policy stops before any request leaves the browser. It replaces the portal's
# policy (settings.CONTENT_SECURITY_POLICY) on these two pages only, and is wider in three places the
# bundles need: Swagger UI and Redoc write <style> elements and style attributes at run time
# ('unsafe-inline' styles), Redoc draws icons from data: URLs and runs its search in a blob: worker.
# Scripts stay 'self': Swagger's start-up script is served by the split view as a file of its own,
# and Redoc starts from its <redoc> element.
DOCS_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "worker-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


@method_decorator(csp(DOCS_POLICY), name="dispatch")
class SwaggerView(SpectacularSwaggerSplitView):
    pass


@method_decorator(csp(DOCS_POLICY), name="dispatch")
class RedocView(SpectacularRedocView):
    pass


router = DefaultRouter()
router.include_root_view = False
router.include_format_suffixes = False  # one format: JSON
router.register("regions", RegionViewSet, basename="region")
router.register("sectors", SectorViewSet, basename="sector")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("people", PersonViewSet, basename="person")
router.register("missions", MissionViewSet, basename="mission")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("projects", ProjectViewSet, basename="project")
router.register("me/meetings", MyMeetingsViewSet, basename="my-meeting")
router.register("me/projects", MyProjectsViewSet, basename="my-project")


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: a 404 in the API's error shape, not an HTML page."""
    raise NotFound()


not_found.cls.schema = None  # not an operation of the API


urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("drafts/", DraftView.as_view(), name="drafts"),
    re_path(r"^missions/(?P<slug>[^/.]+)/outcomes/$", MissionOutcomesView.as_view(), name="mission-outcomes"),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^[\s\S]*$", not_found, name="not-found"),  # any character, a newline too
]
