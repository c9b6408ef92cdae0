"""The admin speaks grammatical Russian: each model's name in the case and gender a sentence needs
(companies.admin_grammar), and no English on the history pages."""

import html
import json
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from agreements.models import Agreement
from companies.admin_grammar import NOUNS, AdminGrammarMixin
from missions.models import Mission, Source
from tests import factories as f

PORTAL_APPS = set(settings.PORTAL_APPS)


@pytest.fixture
def root(client, db):
    user = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def text_of(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def inline_add_links(response) -> list[str]:
    """The "add another" link of each inline, as the admin's script writes it from the inline's data."""
    found = re.findall(r'data-inline-formset="([^"]+)"', response.content.decode())
    return [json.loads(html.unescape(data))["options"]["addText"] for data in found]


# --- Every model declares its forms ------------------------------------------------------------


def _exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def test_every_portal_model_in_the_admin_declares_its_russian_forms():
    portal = {m._meta.label: a for m, a in admin.site._registry.items() if m._meta.app_label in PORTAL_APPS}

    undeclared = sorted(set(portal) - set(NOUNS))
    not_speaking = sorted(label for label, admin_ in portal.items() if not isinstance(admin_, AdminGrammarMixin))
    stale = sorted(label for label in NOUNS if label.split(".")[0] not in PORTAL_APPS or not _exists(label))
    assert (undeclared, not_speaking, stale) == ([], [], [])


def test_the_accusative_forms_in_russian_and_english():
    with translation.override("ru"):
        russian = {label: str(NOUNS[label].accusative) for label in ("missions.Mission", "missions.Meeting")}
        person = str(NOUNS["companies.Person"].accusative)
    with translation.override("en"):
        english = str(NOUNS["missions.Mission"].accusative)
    assert russian == {"missions.Mission": "бизнес-миссию", "missions.Meeting": "B2B-встречу"}
    assert person == "представителя"  # animate: the accusative is the genitive
    assert english == "mission"


# --- Titles and buttons ----------------------------------------------------------------------


def test_mission_add_page_is_titled_in_the_accusative(root, client):
    response = client.get(reverse("admin:missions_mission_add"))

    assert response.status_code == 200
    assert "<h1>Добавить бизнес-миссию</h1>" in response.content.decode()
    assert "<title>Добавить бизнес-миссию |" in response.content.decode()
    assert "› Добавить бизнес-миссию" in text_of(response)  # the breadcrumbs
    assert "Добавить бизнес-миссия" not in text_of(response)


def test_mission_changelist_title_and_add_button_in_the_accusative(root, client):
    f.MissionFactory()

    page = text_of(client.get(reverse("admin:missions_mission_changelist")))

    assert "Выберите бизнес-миссию для изменения" in page
    assert "Добавить бизнес-миссию" in page
    assert "бизнес-миссия для изменения" not in page


def test_mission_change_page_title_and_inline_add_links(root, client):
    mission = f.MissionFactory()

    response = client.get(reverse("admin:missions_mission_change", args=[mission.pk]))

    assert "<h1>Изменить бизнес-миссию</h1>" in response.content.decode()
    assert inline_add_links(response) == [
        "Добавить ещё участника делегации",
        "Добавить ещё пункт программы",
        "Добавить ещё B2B-встречу",
        "Добавить ещё заявленный показатель",
    ]


def test_mission_delete_confirmation_in_the_accusative(root, client):
    mission = f.MissionFactory(title="Визит в Минск")

    page = text_of(client.get(reverse("admin:missions_mission_delete", args=[mission.pk])))

    assert 'Вы уверены, что хотите удалить бизнес-миссию "Визит в Минск"?' in page


# --- Success messages: feminine (mission), masculine (source), neuter (agreement) --------------


def _admin_request(user, post: dict):
    request = RequestFactory().post("/admin/", post)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize(
    ("model", "factory", "expected"),
    [
        (
            Mission,
            lambda: f.MissionFactory(title="Визит в Минск"),
            {
                "add": "Бизнес-миссия «Визит в Минск» была успешно добавлена.",
                "add_continue": "Бизнес-миссия «Визит в Минск» была успешно добавлена. Ниже можно снова изменить её.",
                "add_another": "Бизнес-миссия «Визит в Минск» была успешно добавлена. "
                "Ниже можно добавить ещё бизнес-миссию.",
                "change": "Бизнес-миссия «Визит в Минск» была успешно изменена.",
                "delete": "Бизнес-миссия «Визит в Минск» была успешно удалена.",
            },
        ),
        (
            Agreement,
            lambda: f.AgreementFactory(title="Соглашение с Гродно"),
            {
                "add": "Соглашение «Соглашение с Гродно» было успешно добавлено.",
                "add_continue": "Соглашение «Соглашение с Гродно» было успешно добавлено. "
                "Ниже можно снова изменить его.",
                "add_another": "Соглашение «Соглашение с Гродно» было успешно добавлено. "
                "Ниже можно добавить ещё соглашение.",
                "change": "Соглашение «Соглашение с Гродно» было успешно изменено.",
                "delete": "Соглашение «Соглашение с Гродно» было успешно удалено.",
            },
        ),
    ],
)
def test_success_messages_agree_with_the_noun(root, model, factory, expected):
    obj = factory()
    model_admin = admin.site._registry[model]
    said = {}

    def say(kind, post, respond):
        request = _admin_request(root, post)
        respond(request)
        (message,) = [re.sub(r"<[^>]+>", "", str(m)) for m in get_messages(request)]
        said[kind] = message

    with translation.override("ru"):
        say("add", {"_save": "1"}, lambda r: model_admin.response_add(r, obj))
        say("add_continue", {"_continue": "1"}, lambda r: model_admin.response_add(r, obj))
        say("add_another", {"_addanother": "1"}, lambda r: model_admin.response_add(r, obj))
        say("change", {"_save": "1"}, lambda r: model_admin.response_change(r, obj))
        say("delete", {"post": "yes"}, lambda r: model_admin.response_delete(r, str(obj), obj.pk))

    assert said == expected


def test_source_added_changed_and_deleted_in_the_masculine(root, client):
    management = {
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }
    fields = {"title": "Пресс-релиз о визите", "outlet": "Минпромторг", "url": "", "published_on": ""}

    added = client.post(reverse("admin:missions_source_add"), {**fields, **management, "_save": "1"}, follow=True)
    source = Source.objects.get(title="Пресс-релиз о визите")
    changed = client.post(
        reverse("admin:missions_source_change", args=[source.pk]),
        {**fields, "outlet": "Правительство", **management, "_continue": "1"},
        follow=True,
    )
    deleted = client.post(reverse("admin:missions_source_delete", args=[source.pk]), {"post": "yes"}, follow=True)

    def plain(response):
        return [re.sub(r"<[^>]+>", "", m) for m in messages_of(response)]

    assert plain(added) == ["Источник «Пресс-релиз о визите» был успешно добавлен."]
    assert plain(changed) == ["Источник «Пресс-релиз о визите» был успешно изменён. Ниже можно снова изменить его."]
    assert plain(deleted) == ["Источник «Пресс-релиз о визите» был успешно удалён."]
    assert not Source.objects.filter(pk=source.pk).exists()


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Удалена 1 выбранная запись."),
        (3, "Удалены 3 выбранные записи."),
        (5, "Удалено 5 выбранных записей."),
    ],
)
def test_bulk_delete_counts_in_the_right_plural_form(root, client, count, expected):
    sources = f.SourceFactory.create_batch(count)
    kept = f.SourceFactory()

    response = client.post(
        reverse("admin:missions_source_changelist"),
        {"action": "delete_selected", "_selected_action": [s.pk for s in sources], "post": "yes"},
        follow=True,
    )

    assert messages_of(response) == [expected]
    assert list(Source.objects.all()) == [kept]


def test_bulk_delete_confirmation_needs_no_agreement(root, client):
    source = f.SourceFactory()

    page = text_of(
        client.post(
            reverse("admin:missions_source_changelist"),
            {"action": "delete_selected", "_selected_action": [source.pk]},
        )
    )

    assert "Вы уверены, что хотите удалить выбранные записи (источник)?" in page


def test_change_log_of_inline_rows_needs_no_agreement(root, client):
    """Django's history page of a model without django-simple-history: its change log, as the admin writes it."""
    source = f.SourceFactory(title="Пресс-релиз о визите")
    request = _admin_request(root, {})
    with translation.override("ru"):
        admin.site._registry[Source].log_change(
            request,
            source,
            [
                {"changed": {"fields": ["Издание"]}},
                {"added": {"name": "B2B-встреча", "object": "Предприятие 1 — Предприятие 2"}},
                {"deleted": {"name": "заявленный показатель", "object": "контракты: 5"}},
            ],
        )

    page = text_of(client.get(reverse("admin:missions_source_history", args=[source.pk])))

    assert (
        "Изменено: Издание. Добавлено: B2B-встреча «Предприятие 1 — Предприятие 2». "
        "Удалено: заявленный показатель «контракты: 5»."
    ) in page


def test_a_message_of_an_english_page_stays_english(root):
    mission = f.MissionFactory(title="Visit to Minsk")
    request = _admin_request(root, {"_save": "1"})

    with translation.override("en"):
        admin.site._registry[Mission].response_change(request, mission)

    assert [re.sub(r"<[^>]+>", "", str(m)) for m in get_messages(request)] == [
        "Mission “Visit to Minsk” was changed successfully."
    ]


# --- History pages: no English ---------------------------------------------------------------

ENGLISH_ON_HISTORY_PAGES = ["Changes", "CHANGES", "None", "[]", "True", "False", "Object", "Changed by"]


def test_mission_history_page_reads_in_russian(root, client):
    mission = f.MissionFactory(title="Визит в Минск", purpose="")
    mission.destination_regions.add(f.directory_region("74"))
    mission.is_public = False
    mission.save()

    page = text_of(client.get(reverse("admin:missions_mission_history", args=[mission.pk])))

    assert [word for word in ENGLISH_ON_HISTORY_PAGES if word in page] == []
    assert "Объект Дата и время Действие Кто изменил Причина изменения Изменения" in page
    assert "Опубликовано: Да → Нет" in page
    assert "Создание" in page and "Изменение" in page
    assert "4 записи" in page  # the plural form of 2–4


def test_organization_history_page_reads_in_russian(root, client):
    organization = f.OrganizationFactory(name="ОАО «Гродно Азот»", short_name="")
    organization.short_name = "Гродно Азот"
    organization.save()

    page = text_of(client.get(reverse("admin:companies_organization_history", args=[organization.pk])))

    assert [word for word in ENGLISH_ON_HISTORY_PAGES if word in page] == []
    assert "Краткое наименование: — → Гродно Азот" in page
    assert "Кто изменил" in page
