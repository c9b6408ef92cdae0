"""Login throttling (django-axes), safe redirects, deactivated sessions, CSRF and production cookies."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import reverse

from missions.models import Mission
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct-horse-battery"  # the factories' password
ADMIN_LOGIN = "/admin/login/"
SITE_LOGIN = "/account/login/"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


def _login(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password, "next": "/admin/"}, **extra)


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


def _fail_five_times(client, url, username):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, url, username, "wrong-password")
        assert response.status_code in {200, 429}
        assert not _signed_in(client)


@pytest.mark.parametrize("url", [ADMIN_LOGIN, SITE_LOGIN])
def test_sixth_attempt_is_refused_even_with_the_right_password(client, admin_user, url):
    _fail_five_times(client, url, "chief")

    response = _login(client, url, "chief", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)


def test_lockout_page_is_the_portals_own(client, admin_user):
    _fail_five_times(client, ADMIN_LOGIN, "chief")

    response = _login(client, ADMIN_LOGIN, "chief", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert "registration/lockout.html" in [t.name for t in response.templates]
    assert "Too many sign-in attempts" in response.content.decode()


def test_a_forged_forwarded_for_header_neither_resets_nor_dodges_the_lockout(client, admin_user):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, ADMIN_LOGIN, "chief", "wrong-password", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    for forged in ("10.9.8.7", "127.0.0.2, 10.1.1.1"):
        response = _login(client, ADMIN_LOGIN, "chief", PASSWORD, HTTP_X_FORWARDED_FOR=forged)
        assert response.status_code == 429
        assert not _signed_in(client)


def test_another_user_from_the_same_address_is_not_locked_out(client, admin_user):
    UserFactory(username="deputy", is_staff=True)
    _fail_five_times(client, ADMIN_LOGIN, "chief")

    response = _login(client, ADMIN_LOGIN, "deputy", PASSWORD)

    assert response.status_code == 302
    assert _signed_in(client)


def test_a_successful_sign_in_resets_the_count(client, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, ADMIN_LOGIN, "chief", "wrong-password")
    assert _login(client, ADMIN_LOGIN, "chief", PASSWORD).status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, ADMIN_LOGIN, "chief", "wrong-password").status_code == 200

    assert _login(client, ADMIN_LOGIN, "chief", PASSWORD).status_code == 302


def test_client_address_comes_from_remote_addr_unless_proxies_are_trusted(monkeypatch):
    from config import settings as portal_settings

    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert portal_settings.client_ip_address(request) == "192.0.2.10"

    monkeypatch.setattr(portal_settings, "TRUSTED_PROXY_COUNT", 1)
    assert portal_settings.client_ip_address(request) == "198.51.100.7"  # the one our proxy appended

    monkeypatch.setattr(portal_settings, "TRUSTED_PROXY_COUNT", 3)  # fewer entries than proxies: no guessing
    assert portal_settings.client_ip_address(request) == "192.0.2.10"


def test_test_client_login_needs_a_request_for_axes(client, admin_user):
    """client.login() goes through axes, which needs the request: pass one (or use force_login)."""
    assert client.login(request=RequestFactory().post(SITE_LOGIN), username="chief", password=PASSWORD)


def test_next_to_another_host_after_sign_in_goes_to_the_default(client, admin_user):
    response = client.post(
        SITE_LOGIN, {"username": "chief", "password": PASSWORD, "next": "https://evil.example.com/phish"}
    )

    assert response.status_code == 302
    assert "evil.example.com" not in response.url
    assert response.url.startswith("/") and not response.url.startswith("//")  # the view's own default
    assert _signed_in(client)


def test_a_deactivated_users_session_stops_working_on_the_next_request(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200

    type(admin_user).objects.filter(pk=admin_user.pk).update(is_active=False)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(ADMIN_LOGIN)


def test_admin_add_form_without_csrf_token_is_refused(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(reverse("admin:missions_mission_add"), {"title": "Без токена", "slug": "no-token"})

    assert response.status_code == 403
    assert not Mission.objects.exists()


def test_language_switch_without_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_production_cookies_are_secure_and_http_only():
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "TRUSTED_PROXY_COUNT"):
        clean.pop(name, None)
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT",
        "AXES_FAILURE_LIMIT",
        "AXES_LOCKOUT_PARAMETERS",
        "AXES_RESET_ON_SUCCESS",
        "TRUSTED_PROXY_COUNT",
    ]
    code = (
        "import django; from django.conf import settings; django.setup(); "
        f"print(repr([getattr(settings, n) for n in {names!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DEBUG": "0",
            "SECRET_KEY": "a-real-secret-for-this-test",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = dict(zip(names, eval(result.stdout.strip().splitlines()[-1]), strict=True))  # noqa: S307 - our own repr
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "AXES_FAILURE_LIMIT": 5,
        "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
        "AXES_RESET_ON_SUCCESS": True,
        "TRUSTED_PROXY_COUNT": 0,
    }


# --- An unsafe `next` lands on the user's home by role (issue 14, finding 8) ---------------------

UNSAFE_NEXT = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]


def _user_of_role(role: str):
    from django.contrib.auth.models import Group

    from companies.roles import OFFICIALS_GROUP
    from tests import factories as f

    if role == "superuser":
        return UserFactory(username="root", is_staff=True, is_superuser=True)
    if role == "staff":
        return f.MinistryStaffFactory(username="staff")
    if role == "company":
        user = UserFactory(username="rep")
        f.PersonFactory(organization=f.OrganizationFactory(), user=user)
        return user
    user = UserFactory(username="official")
    user.groups.add(Group.objects.get(name=OFFICIALS_GROUP))
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("unsafe", UNSAFE_NEXT)
@pytest.mark.parametrize(("role", "home"), [("superuser", "/admin/"), ("staff", "/admin/")])
def test_admin_login_with_an_unsafe_next_lands_on_the_users_home(client, role, home, unsafe):
    user = _user_of_role(role)

    response = client.post(ADMIN_LOGIN, {"username": user.username, "password": PASSWORD, "next": unsafe}, follow=True)

    assert _signed_in(client)
    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("unsafe", UNSAFE_NEXT)
@pytest.mark.parametrize(
    ("role", "home"),
    [("superuser", "/admin/"), ("staff", "/admin/"), ("company", "/account/"), ("official", "/dashboard/")],
)
def test_site_login_with_an_unsafe_next_lands_on_the_users_home(client, role, home, unsafe):
    user = _user_of_role(role)

    response = client.post(SITE_LOGIN, {"username": user.username, "password": PASSWORD, "next": unsafe}, follow=True)

    assert _signed_in(client)
    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "home"), [("superuser", "/admin/"), ("company", "/account/"), ("official", "/dashboard/")]
)
def test_the_login_redirect_url_sends_each_user_home(client, role, home):
    """LOGIN_REDIRECT_URL, where any login view without a safe `next` sends the user, decides by role."""
    client.force_login(_user_of_role(role))

    response = client.get(resolve_url(settings.LOGIN_REDIRECT_URL))

    assert (response.status_code, response.url) == (302, home)
