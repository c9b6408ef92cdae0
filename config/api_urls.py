"""/api/v1/: the REST API, its OpenAPI schema and its documentation pages (served without a CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from agreements.api import AgreementViewSet, MyProjectsViewSet, ProjectViewSet
from companies.api import MeView, OrganizationViewSet, PersonViewSet, RegionViewSet, SectorViewSet
from missions.api import MeetingViewSet, MissionViewSet, MyMeetingsViewSet

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
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

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
