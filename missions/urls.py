from django.urls import path

from . import views

app_name = "missions"

urlpatterns = [
    path("", views.MissionListView.as_view(), name="list"),
    path("calendar/", views.MissionCalendarView.as_view(), name="calendar"),
    path("<slug:slug>/", views.MissionDetailView.as_view(), name="detail"),
]
