from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("regions/<slug:slug>/<slug:other_slug>/", views.RegionPairView.as_view(), name="region-pair"),
    path("companies/", views.CompanyListView.as_view(), name="company-list"),
    path("companies/<slug:slug>/", views.CompanyDetailView.as_view(), name="company-detail"),
]
