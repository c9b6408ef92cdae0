"""/b2b/: a company representative's agenda of published B2B sessions."""

from django.urls import path

from . import views

app_name = "b2b"

urlpatterns = [
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("agenda.ics", views.AgendaCalendarView.as_view(), name="agenda-ics"),
    path("agenda/<int:session_pk>/plan.pdf", views.AgendaPdfView.as_view(), name="agenda-pdf"),
]
