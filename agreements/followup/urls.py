from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("<str:token>/", views.followup_update, name="update"),
]
