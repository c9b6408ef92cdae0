from django.urls import path

from . import followup_views

app_name = "followup"

urlpatterns = [
    path("<str:token>/", followup_views.followup_update, name="update"),
]
