"""The portal's front page and the officials' dashboard: they read across all three apps."""

from django.urls import path

from . import dashboard_views

app_name = "portal"

urlpatterns = [
    path("", dashboard_views.HomeView.as_view(), name="home"),
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard"),
]
