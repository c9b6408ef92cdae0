from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    path("<slug:slug>/", views.AgreementDetailView.as_view(), name="detail"),
    path("<slug:slug>/document/", views.agreement_document, name="document"),
]
