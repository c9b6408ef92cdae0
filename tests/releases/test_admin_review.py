"""The admin page «Новая миссия из пресс-релиза»: read, review, confirm; who may use it."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement
from companies import roles
from companies.models import Organization, Person
from missions.models import DelegationMember, Mission, ReportedFigure, Source
from releases import admin as releases_admin
from tests import factories as f
from tests.releases.drafts import NEW_COMPANIES, TEXT, yugra_draft

pytestmark = pytest.mark.django_db
URL = "/admin/missions/mission/from-release/"


@pytest.fixture
def ministry():
    return f.MinistryFactory(region=f.directory_region("74"), name="Министерство промышленности 74", slug="minprom-74")


@pytest.fixture
def staff(ministry):
    return f.MinistryStaffFactory(username="staff-74", organization=ministry)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def reads_yugra(monkeypatch):
    """The extraction gives the test's draft (the pipeline itself is tested in its own modules)."""
    drafts = []

    def analyse(text, *, published=None):
        draft = yugra_draft()
        draft.published = published
        drafts.append(text)
        return draft

    monkeypatch.setattr(releases_admin, "analyse", analyse)
    return drafts


def _fields(html: str) -> dict:
    """The review form's values as the browser would send them (inputs, checked boxes, selected options)."""
    data = {}
    for match in re.finditer(r"<input ([^>]*)>", html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match[1]))
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if not name or kind in ("submit", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if "checked" in match[1]:
                data.setdefault(name, []).append(attrs.get("value", "on"))
            continue
        data[name] = attrs.get("value", "")
    for match in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.findall(r'<option value="([^"]*)"[^>]*selected', match[2])
        data[match[1]] = selected[0] if selected else ""
    for match in re.finditer(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[match[1]] = match[2].strip().replace("&quot;", '"')
    return data


def test_the_changelist_links_to_the_page_for_staff(staff_client):
    response = staff_client.get("/admin/missions/mission/")
    assert f'href="{URL}"' in response.content.decode()
    assert "Новая миссия из пресс-релиза" in response.content.decode()


def test_the_review_page_marks_the_text_and_proposes_the_record(staff_client, reads_yugra):
    response = staff_client.post(URL, {"step": "read", "text": TEXT, "url": "https://example.org/r/1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert reads_yugra == [TEXT]
    assert (
        '<mark class="release-mark release-mark-people" id="mark-people-0" title="человек">Пётр Сидоренко</mark>'
        in html
    )
    assert 'id="mark-organizations-0"' in html and 'id="mark-agreements-0"' in html
    # two regions, a city, six organizations, two people, an agreement, a programme item, four figures
    assert len(re.findall(r'<div class="release-row[" ]', html)) == 2 + 1 + 6 + 2 + 1 + 1 + 4
    assert 'value="https://example.org/r/1"' in html
    assert Mission.objects.count() == 0 and Source.objects.count() == 0  # nothing written before confirming


def test_confirm_writes_the_mission_and_opens_it(staff_client, staff, reads_yugra):
    html = staff_client.post(URL, {"step": "read", "text": TEXT}).content.decode()
    data = _fields(html)
    response = staff_client.post(URL, data)
    mission = Mission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:missions_mission_change", args=[mission.pk])
    assert sorted(
        DelegationMember.objects.filter(mission=mission, person=None).values_list("organization__name", flat=True)
    ) == sorted([*NEW_COMPANIES, "Тестовый станкозавод"])
    assert mission.head_of_delegation.full_name == "Пётр Сидоренко"
    assert Agreement.objects.filter(signed_at_mission=mission).count() == 1
    assert Source.objects.get().missions.get() == mission
    assert ReportedFigure.objects.filter(mission=mission).count() == 3
    page = staff_client.get(response.url).content.decode()
    assert f"Миссия «{mission.title}» создана по пресс-релизу." in page
    assert (
        "Внесено: 1 новый город, 6 новых организаций, 2 новых человека, 5 участников делегации, 1 пункт программы, "
        "1 соглашение, 3 показателя." in page
    )
    assert "«около 70 компаний» не внесено как показатель: такого вида показателей на портале нет." in page


def _rows():
    return (Mission.objects.count(), Organization.objects.count(), Person.objects.count(), Source.objects.count())


def test_a_refused_row_shows_its_message_and_nothing_is_written(staff_client, reads_yugra):
    data = _fields(staff_client.post(URL, {"step": "read", "text": TEXT}).content.decode())
    assert data["figures-1-currency"] == "RUB"
    data["figures-1-currency"] = ""
    before = _rows()

    response = staff_client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ничего не сохранено: исправьте отмеченные ниже строки." in html
    row = html[html.index('data-mark="mark-figures-1"') :][:600]
    assert "Выберите валюту для «свыше 2 млрд рублей»." in row
    assert _rows() == before


def test_dropping_rows_leaves_them_out(staff_client, reads_yugra):
    data = _fields(staff_client.post(URL, {"step": "read", "text": TEXT}).content.decode())
    for index in (1, 2):  # two of the companies
        data.pop(f"organizations-{index}-keep")
    data.pop("figures-0-keep")
    data["organizations-0-name"] = "Северный привод"

    response = staff_client.post(URL, data)

    assert response.status_code == 302
    mission = Mission.objects.get()
    assert sorted(mission.delegation.filter(person=None).values_list("organization__name", flat=True)) == [
        "Северный привод",
        "Тестовый станкозавод",
    ]
    assert sorted(ReportedFigure.objects.values_list("metric", flat=True)) == ["agreements", "value"]


def test_an_altered_draft_is_refused(staff_client, reads_yugra):
    data = _fields(staff_client.post(URL, {"step": "read", "text": TEXT}).content.decode())
    data["draft"] = data["draft"][:-3] + "abc"

    response = staff_client.post(URL, data)

    assert "Проверка устарела или была изменена: вставьте пресс-релиз ещё раз." in response.content.decode()
    assert Mission.objects.count() == 0


def test_a_renamed_binary_upload_gets_a_russian_message(staff_client, reads_yugra):
    upload = SimpleUploadedFile("release.txt", b"MZ\x90\x00\x03 an executable")
    response = staff_client.post(URL, {"step": "read", "file": upload})
    assert response.status_code == 200
    assert "Файл «release.txt» не текстовый: по содержимому это двоичный файл." in response.content.decode()
    assert reads_yugra == []


def _mission(title, ministry, start):
    return f.MissionFactory(
        title=title,
        origin_region=f.directory_region("74"),
        organizer=ministry,
        start_date=start,
        end_date=None,
        destination_regions=[f.directory_region("86")],
    )


def test_the_review_page_proposes_the_mission_the_release_is_about(staff_client, ministry, reads_yugra):
    mission = _mission("Миссия в Югру, август", ministry, datetime.date(2025, 8, 10))
    _mission("Миссия в Югру, прошлый год", ministry, datetime.date(2024, 8, 10))
    other_ministry = f.MinistryFactory(region=f.directory_region("86"), slug="minprom-86")
    _mission("Чужая миссия в Югру", other_ministry, datetime.date(2025, 8, 9))

    html = staff_client.post(URL, {"step": "read", "text": TEXT}).content.decode()

    assert f'value="{mission.pk}"' in html and "Миссия в Югру, август (10.08.2025)" in html
    assert "Чужая миссия в Югру" not in html  # kept by another ministry: not offered
    assert "прошлый год" not in html  # a year away from the release's dates


def test_the_review_page_runs_the_same_queries_for_one_row_and_many(
    staff_client, monkeypatch, django_assert_num_queries
):
    plant = f.OrganizationFactory(name="Тестовый станкозавод", slug="plant", region=f.directory_region("74"))
    full = yugra_draft(existing_company=plant)
    small = yugra_draft(existing_company=plant)
    small.organizations = small.organizations[3:4]
    small.people, small.figures, small.cities = small.people[:1], small.figures[:1], small.cities[:1]
    for draft in (small, full):
        monkeypatch.setattr(releases_admin, "analyse", lambda text, published=None, draft=draft: draft)
        with django_assert_num_queries(9):
            response = staff_client.post(URL, {"step": "read", "text": TEXT})
        assert response.status_code == 200


def _official():
    user = f.UserFactory(username="official")
    user.groups.add(Group.objects.get(name=roles.OFFICIALS_GROUP))
    return user


def _company():
    user = f.UserFactory(username="rep")
    f.PersonFactory(organization=f.OrganizationFactory(region=f.directory_region("74")), user=user)
    return user


@pytest.mark.parametrize("who", ["anonymous", "company", "official"])
def test_the_page_is_for_staff_only(client, who, reads_yugra):
    if who != "anonymous":
        client.force_login(_official() if who == "official" else _company())
    for response in (client.get(URL), client.post(URL, {"step": "read", "text": TEXT})):
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    assert reads_yugra == []


def test_a_staff_login_without_a_ministry_is_refused(client, reads_yugra):
    client.force_login(f.StaffUserFactory(username="root"))  # a superuser with no organization
    assert client.get(URL).status_code == 403
    assert 'href="/admin/missions/mission/from-release/"' not in client.get("/admin/missions/mission/").content.decode()
    assert reads_yugra == []


def test_staff_cannot_attach_the_release_to_another_ministrys_mission(client, reads_yugra):
    ministry_86 = f.MinistryFactory(region=f.directory_region("86"), slug="minprom-86")
    foreign = _mission("Миссия, которую ведёт Югра", ministry_86, datetime.date(2025, 8, 9))
    f.DelegationMemberFactory(mission=foreign, organization=f.OrganizationFactory(name="Скрытый участник"))
    ministry_74 = f.MinistryFactory(region=f.directory_region("74"), slug="minprom-74")
    client.force_login(f.MinistryStaffFactory(username="staff-74", organization=ministry_74))
    html = client.post(URL, {"step": "read", "text": TEXT}).content.decode()
    assert "Миссия, которую ведёт Югра" not in html
    data = _fields(html)
    before = _rows()

    data["target"] = str(foreign.pk)  # a choice the page did not offer
    refused_choice = client.post(URL, data).content.decode()
    data["target"], data["other_mission"] = "other", str(foreign.pk)
    refused_mission = client.post(URL, data).content.decode()

    assert "Выберите корректный вариант." in refused_choice
    assert "Миссию «Миссия, которую ведёт Югра» ведёт другое министерство: добавить к ней пресс-релиз нельзя." in (
        refused_mission
    )
    assert _rows() == before
    assert list(foreign.delegation.values_list("organization__name", flat=True)) == ["Скрытый участник"]
    assert foreign.sources.count() == 0
