"""The URL lists of the pages: each keeps its app's namespace (missions:, companies:) wherever its view
lives — a page that reads across the apps has its view in config.portal."""

from django.urls import path

from companies import views as companies_views
from missions import views as missions_views

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
]

missions_urlpatterns = [
    path("", missions_views.MissionListView.as_view(), name="list"),
    path("calendar/", missions_views.MissionCalendarView.as_view(), name="calendar"),
    path("<slug:slug>/", views.MissionDetailView.as_view(), name="detail"),
]

companies_urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("regions/<slug:slug>/<slug:other_slug>/", views.RegionPairView.as_view(), name="region-pair"),
    path("companies/", companies_views.CompanyListView.as_view(), name="company-list"),
    path("companies/<slug:slug>/", views.CompanyDetailView.as_view(), name="company-detail"),
]
