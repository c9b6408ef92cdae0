"""Malformed input gives a 4xx with the portal's error shape or page, never a 500 (issue 14, finding 7):
page numbers in other scripts' digits, deeply nested JSON, NUL characters in the admin, concurrent
writes on the embedded SQLite and simultaneous uses of one follow-up link."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from agreements.followup.links import reminder_link_token
from agreements.models import CooperationProject, ProjectUpdate, Reminder
from companies.api_tokens import api_token_create
from config.parsers import MAX_DEPTH, PortalJSONParser
from tests import factories as f

ROOT = Path(__file__).resolve().parents[1]
API = "/api/v1/"


def _errors(response, status):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert body["status"] == status
    return [(e["field"], e["code"]) for e in body["errors"]]


# --- Page numbers and sizes -------------------------------------------------------------------

API_LISTS = ["regions/", "sectors/", "organizations/", "people/", "missions/", "meetings/", "agreements/", "projects/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", API_LISTS)
@pytest.mark.parametrize("value", ["²", "¹²", "٣", "１", "9" * 5000, "-1", "0", "1.5", " 1"], ids=ascii)
def test_a_page_not_in_ascii_digits_is_a_400_on_every_api_list(client, path, value):
    response = client.get(API + path, {"page": value}, headers={"accept-language": "ru"})

    assert _errors(response, 400) == [("page", "invalid")]
    assert response.json()["errors"][0]["message"] == "Укажите номер страницы целым числом от 1."


@pytest.mark.django_db
@pytest.mark.parametrize("path", API_LISTS)
@pytest.mark.parametrize("value", ["³", "٣", "-3", "0", "1e3"], ids=ascii)
def test_a_page_size_not_in_ascii_digits_is_a_400_on_every_api_list(client, path, value):
    response = client.get(API + path, {"page_size": value}, headers={"accept-language": "ru"})

    assert _errors(response, 400) == [("page_size", "invalid")]


@pytest.mark.django_db
def test_a_long_page_size_is_capped_and_a_long_page_number_refused(client):
    f.SectorFactory(slug="machinery")

    capped = client.get(API + "sectors/", {"page_size": "9" * 5000})
    far = client.get(API + "sectors/", {"page": "1" + "0" * 30})

    assert capped.status_code == 200
    assert capped.json()["next"] is None and [s["slug"] for s in capped.json()["results"]] == ["machinery"]
    assert _errors(far, 400) == [("page", "invalid")]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/companies/", "/missions/"])
@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000, "-1"], ids=ascii)
def test_a_page_not_in_ascii_digits_on_a_public_list_shows_the_first_page(client, path, value):
    f.OrganizationFactory(name="ООО «Мидаус»")
    f.MissionFactory(title="Миссия в Казань", is_public=True)

    response = client.get(path, {"page": value})

    assert response.status_code == 200
    assert ("ООО «Мидаус»" if path == "/companies/" else "Миссия в Казань") in response.content.decode()


# --- Deeply nested and oversized JSON ---------------------------------------------------------


@pytest.fixture
def project_and_key(db):
    user = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    project = f.CooperationProjectFactory(stage=CooperationProject.Stage.NEGOTIATION)
    return project, api_token_create(user=user, name="tests")[1]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 100_000])
def test_a_deeply_nested_json_body_is_a_400_and_records_nothing(project_and_key, depth):
    project, key = project_and_key
    body = '{"note": ' + "[" * depth + "]" * depth + "}"
    client = Client(raise_request_exception=False)

    response = client.post(
        f"{API}projects/{project.slug}/updates/",
        body,
        content_type="application/json",
        headers={"authorization": f"Token {key}", "accept-language": "ru"},
    )

    assert _errors(response, 400) == [(None, "parse_error")]
    assert response.json()["errors"][0]["message"] == (
        f"Тело запроса вложено глубже {MAX_DEPTH} уровней: такой JSON не принимается."
    )
    assert ProjectUpdate.objects.filter(project=project).count() == 0


def test_a_json_body_nested_within_the_limit_reaches_the_serializer(project_and_key):
    project, key = project_and_key
    body = '{"note": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"

    response = Client().post(
        f"{API}projects/{project.slug}/updates/",
        body,
        content_type="application/json",
        headers={"authorization": f"Token {key}"},
    )

    assert _errors(response, 400) == [("note", "invalid")]


def test_a_json_body_over_the_size_limit_is_a_400(project_and_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    project, key = project_and_key

    response = Client().post(
        f"{API}projects/{project.slug}/updates/",
        json.dumps({"note": "я" * 1000}),
        content_type="application/json",
        headers={"authorization": f"Token {key}", "accept-language": "ru"},
    )

    assert _errors(response, 400) == [(None, "parse_error")]
    assert response.json()["errors"][0]["message"] == "Тело запроса больше 1000 байт: такой JSON не принимается."


def test_brackets_inside_strings_do_not_count_as_depth():
    text = json.dumps({"note": "[" * 10_000 + "{" * 10_000, "list": [[['\\"]']]]})

    assert PortalJSONParser().parse_text(text) == json.loads(text)


# --- NUL characters ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/autocomplete/?app_label=missions&model_name=mission&field_name=organizer&term=%00",
        "/admin/autocomplete/?app_label=missions&model_name=mission&field_name=organizer&term=%D0%B0%00",
        "/admin/companies/organization/?q=%00",
        "/admin/auth/user/?q=a%00b",
        "/admin/axes/accessattempt/?q=%00",
        "/admin/companies/organization/?kind__exact=%00",
        "/admin/companies/organization/?q%00=x",
    ],
)
def test_a_nul_character_in_the_admins_address_is_a_400_with_a_message(client, url):
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(url, headers={"accept-language": "ru"})

    assert response.status_code == 400
    assert "Адрес содержит нулевой символ (U+0000): запрос не выполнен." in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_in_an_admin_form_is_a_400_and_saves_nothing(client):
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    sector = f.SectorFactory(name="Машиностроение")

    response = client.post(
        f"/admin/companies/sector/{sector.pk}/change/",
        {"name": "Машино\x00строение"},
        headers={"accept-language": "ru"},
    )

    assert response.status_code == 400
    assert "Форма содержит нулевой символ (U+0000): ничего не сохранено." in response.content.decode()
    sector.refresh_from_db()
    assert sector.name == "Машиностроение"


@pytest.mark.django_db
def test_the_admin_search_without_a_nul_character_still_searches(client):
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    f.OrganizationFactory(name="ООО «Мидаус»")
    f.OrganizationFactory(name="АО «Бета»")

    response = client.get("/admin/companies/organization/", {"q": "Мидаус"})

    assert response.status_code == 200
    assert "ООО «Мидаус»" in response.content.decode() and "АО «Бета»" not in response.content.decode()


# --- The embedded SQLite under concurrent writes ----------------------------------------------

SQLITE_SETUP = """
import os, sys, threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection, connections, transaction
"""

CONCURRENT_ORM_WRITES = (
    SQLITE_SETUP
    + """
from django.contrib.sessions.models import Session
from django.utils import timezone
with connection.schema_editor() as editor:
    editor.create_model(Session)
errors = []

def write(worker):
    try:
        for i in range(15):
            with transaction.atomic():
                Session.objects.count()  # a read first: the transaction then needs its write lock
                Session.objects.create(session_key=f"w{worker}-{i}", session_data="x", expire_date=timezone.now())
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(sorted(set(errors)), Session.objects.count())
"""
)


def _run_on_a_sqlite_file(tmp_path, code: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_concurrent_orm_writes_on_the_embedded_sqlite_all_succeed(tmp_path):
    assert _run_on_a_sqlite_file(tmp_path, CONCURRENT_ORM_WRITES) == "[] 120"


def test_the_embedded_sqlite_waits_for_locks_and_writes_ahead():
    code = SQLITE_SETUP + (
        "cursor = connection.cursor()\n"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], "
        "cursor.execute('PRAGMA busy_timeout').fetchone()[0], connection.transaction_mode)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": "sqlite:////tmp/portal-settings-check.sqlite3",
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
        },  # fmt: skip
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == ["wal", "20000", "IMMEDIATE"]


# --- Six simultaneous uses of one follow-up link ----------------------------------------------

SIX_LINK_USES = (
    SQLITE_SETUP
    + """
call_command("migrate", verbosity=0)
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()  # the test client's host, the locmem mail
from agreements.followup.links import reminder_link_token
from agreements.models import CooperationProject, ProjectUpdate, Reminder
from tests import factories as f
reminder = f.ReminderFactory(project=f.CooperationProjectFactory(stage=CooperationProject.Stage.NEGOTIATION),
                             kind=Reminder.Kind.PROJECT_STALE)
url = "/follow-up/" + reminder_link_token(reminder) + "/"
statuses, start = [], threading.Barrier(6)

def use(n):
    client = Client(raise_request_exception=False)
    start.wait()
    statuses.append(client.post(url, {"stage": "negotiation", "note": f"Ответ {n}"}).status_code)
    connections.close_all()

threads = [threading.Thread(target=use, args=(n,)) for n in range(6)]
[t.start() for t in threads]
[t.join() for t in threads]
print(sorted(statuses), ProjectUpdate.objects.filter(project=reminder.project).count())
"""
)


def test_six_simultaneous_uses_of_a_followup_link_on_the_embedded_sqlite_record_once(tmp_path):
    assert _run_on_a_sqlite_file(tmp_path, SIX_LINK_USES) == "[200, 410, 410, 410, 410, 410] 1"


@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_uses_of_a_followup_link_record_once():
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database shares one cache: the file database test above covers SQLite")
    reminder = f.ReminderFactory(
        project=f.CooperationProjectFactory(stage=CooperationProject.Stage.NEGOTIATION),
        kind=Reminder.Kind.PROJECT_STALE,
    )
    url = reverse("followup:update", kwargs={"token": reminder_link_token(reminder)})
    statuses, start = [], threading.Barrier(6)

    def use(n):
        client = Client(raise_request_exception=False)
        start.wait()
        statuses.append(client.post(url, {"stage": "negotiation", "note": f"Ответ {n}"}).status_code)
        connection.close()

    threads = [threading.Thread(target=use, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 410, 410, 410, 410, 410]
    assert ProjectUpdate.objects.filter(project=reminder.project).count() == 1
