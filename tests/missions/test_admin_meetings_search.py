"""The meetings' changelist at scale: its search by organizations and missions, its year filter."""

import datetime

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("admin:missions_meeting_changelist")
UTC = datetime.UTC


def listed(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return sorted(str(m) for m in response.context["cl"].result_list)


@pytest.fixture
def meetings():
    volga = f.OrganizationFactory(name="Волжский приборный завод", short_name="«ВПЗ»")
    ural = f.OrganizationFactory(name="Уральский литейный комбинат", short_name="")
    sensors = f.OrganizationFactory(name="Датчики Поволжья", short_name="")
    tula = f.MissionFactory(title="Бизнес-миссия в Тулу")
    other = f.MissionFactory(title="Бизнес-миссия в Казань")
    f.MeetingFactory(
        mission=tula, organization_a=volga, organization_b=ural, starts_at=datetime.datetime(2025, 3, 4, 9, tzinfo=UTC)
    )
    f.MeetingFactory(
        mission=other,
        organization_a=sensors,
        organization_b=volga,
        topic="Тульские поставки",
        starts_at=datetime.datetime(2026, 5, 6, 9, tzinfo=UTC),
    )
    f.MeetingFactory(
        mission=other,
        organization_a=ural,
        organization_b=sensors,
        starts_at=datetime.datetime(2026, 5, 6, 10, tzinfo=UTC),
    )


def test_search_finds_an_organization_on_either_side_whatever_the_case(staff_client, meetings):
    assert listed(staff_client, q="волжский") == [
        "«ВПЗ» — Уральский литейный комбинат",
        "Датчики Поволжья — «ВПЗ»",
    ]
    assert listed(staff_client, q="ВПЗ") == listed(staff_client, q="волжский")


def test_search_finds_a_missions_title_and_every_word_must_match(staff_client, meetings):
    assert listed(staff_client, q="Тулу") == ["«ВПЗ» — Уральский литейный комбинат"]
    assert listed(staff_client, q="Казань уральский") == ["Уральский литейный комбинат — Датчики Поволжья"]
    assert listed(staff_client, q='"литейный комбинат" датчики') == ["Уральский литейный комбинат — Датчики Поволжья"]
    assert listed(staff_client, q="Новосибирск") == []


def test_year_filter_offers_the_years_of_the_meetings_and_lists_one_year(staff_client, meetings):
    response = staff_client.get(URL)
    changelist = response.context["cl"]
    (spec,) = [spec for spec in changelist.filter_specs if getattr(spec, "parameter_name", "") == "year"]

    assert [choice["display"] for choice in spec.choices(changelist)][1:] == ["2026", "2025"]
    assert listed(staff_client, year="2025") == ["«ВПЗ» — Уральский литейный комбинат"]
    assert listed(staff_client, year="2026") == [
        "Датчики Поволжья — «ВПЗ»",
        "Уральский литейный комбинат — Датчики Поволжья",
    ]


@pytest.mark.parametrize("bad", ["abc", "20255", "-1", "0"])
def test_year_filter_ignores_a_bad_year(staff_client, meetings, bad):
    assert len(listed(staff_client, year=bad)) == 3


def test_program_items_search_finds_a_title_a_venue_or_the_missions_title(staff_client):
    tula = f.MissionFactory(title="Бизнес-миссия в Тулу")
    kazan = f.MissionFactory(title="Бизнес-миссия в Казань")
    f.ProgramItemFactory(mission=tula, title="Круглый стол по станкостроению", venue="Технопарк")
    f.ProgramItemFactory(mission=kazan, title="Визит на завод", venue="Цех № 3")
    f.ProgramItemFactory(mission=kazan, title="Пленарная сессия", venue="Технопарк «Идея»")

    def found(q):
        response = staff_client.get(reverse("admin:missions_programitem_changelist"), {"q": q})
        assert response.status_code == 200
        return sorted(item.title for item in response.context["cl"].result_list)

    assert found("станкостроению") == ["Круглый стол по станкостроению"]
    assert found("технопарк") == ["Круглый стол по станкостроению", "Пленарная сессия"]
    assert found("Казань") == ["Визит на завод", "Пленарная сессия"]
    assert found("казань технопарк") == ["Пленарная сессия"]
