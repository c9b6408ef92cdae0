"""The reports' addresses, beside the pages they report on (`reports:` namespace)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("missions/<slug:slug>/report/", views.MissionReportView.as_view(), name="mission"),
    path("missions/<slug:slug>/calendar.ics", views.mission_calendar, name="mission-calendar"),
    path("agreements/<slug:slug>/report/", views.AgreementReportView.as_view(), name="agreement"),
    path("reports/<slug:slug>/<int:year>/", views.RegionYearReportView.as_view(), name="region-year"),
]
