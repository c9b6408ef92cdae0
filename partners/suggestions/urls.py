"""/partners/…: the partner suggestion pages."""

from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("suggestions/", views.CompanySuggestionsView.as_view(), name="company"),
    path("suggestions/feedback/", views.feedback, name="feedback"),
    path("regions/<slug:slug>/<slug:other_slug>/", views.RegionPairSuggestionsView.as_view(), name="region-pair"),
    path("missions/<slug:slug>/", views.MissionSuggestionsView.as_view(), name="mission"),
]
