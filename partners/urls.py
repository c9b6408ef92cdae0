from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.RequestListView.as_view(), name="list"),
    path("answer/<str:token>/", views.answer_by_link, name="answer"),
    path("<int:pk>/accept/", views.RequestActionView.as_view(action="accept"), name="accept"),
    path("<int:pk>/decline/", views.RequestActionView.as_view(action="decline"), name="decline"),
    path("<int:pk>/withdraw/", views.RequestActionView.as_view(action="withdraw"), name="withdraw"),
    path("<slug:slug>/new/", views.RequestCreateView.as_view(), name="create"),
    path("<slug:slug>/join/", views.HostJoinView.as_view(), name="join"),
]
