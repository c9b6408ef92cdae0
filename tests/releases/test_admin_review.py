"""The admin page «Новая миссия из пресс-релиза»: read, review, confirm; who may use it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from agreements.models import Agreement
from companies import roles
from companies.models import Organization, Person
from missions.models import DelegationMember, Mission, ReportedFigure, Source
from releases import admin as releases_admin
from releases.forms import draft_sign
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
