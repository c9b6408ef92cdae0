"""The personal area of company representatives (/account/) and the sign-in pages."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from companies.models import Need, Offer

from . import keys, views

app_name = "account"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("offers/add/", views.CooperationItemView.as_view(model=Offer), name="offer-add"),
    path("offers/<int:pk>/", views.CooperationItemView.as_view(model=Offer), name="offer-edit"),
    path("offers/<int:pk>/delete/", views.CooperationItemDeleteView.as_view(model=Offer), name="offer-delete"),
    path("needs/add/", views.CooperationItemView.as_view(model=Need), name="need-add"),
    path("needs/<int:pk>/", views.CooperationItemView.as_view(model=Need), name="need-edit"),
    path("needs/<int:pk>/delete/", views.CooperationItemDeleteView.as_view(model=Need), name="need-delete"),
    path("meetings/", views.MeetingsView.as_view(), name="meetings"),
    path("meetings/feed/reset/", views.CalendarResetView.as_view(), name="calendar-reset"),
    path("meetings/feed/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("projects/", views.ProjectsView.as_view(), name="projects"),
    path("projects/<slug:slug>/update/", views.ProjectUpdateView.as_view(), name="project-update"),
    path("missions/", views.MissionsView.as_view(), name="missions"),
    path("missions/<slug:slug>/apply/", views.ApplyView.as_view(), name="apply"),
    path("keys/", keys.ApiKeysView.as_view(), name="api-keys"),
    path("keys/<int:pk>/revoke/", keys.ApiKeyRevokeView.as_view(), name="api-key-revoke"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("start/", views.start, name="start"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("account:password-reset-done"),
        ),
        name="password-reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("account:password-reset-complete")),
        name="password-reset-confirm",
    ),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
]
