"""The projects' changelist search: the project's own columns, or a party's name, every word matching."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.helpers import query_count

pytestmark = pytest.mark.django_db
URL = reverse("admin:agreements_cooperationproject_changelist")


def listed(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return sorted(project.title for project in response.context["cl"].result_list)


@pytest.fixture
def projects():
    volga = f.OrganizationFactory(name="Волжский приборный завод", short_name="«ВПЗ»")
    ural = f.OrganizationFactory(name="Уральский литейный комбинат", short_name="")
    sensors = f.OrganizationFactory(name="Датчики Поволжья", short_name="")
    pumps = f.CooperationProjectFactory(
        title="Поставка насосов", slug="nasosy-tula", description="Насосы для водоканала Тулы", next_step=""
    )
    castings = f.CooperationProjectFactory(
        title="Литьё корпусов", slug="korpusa", description="", next_step="Согласовать чертежи с заводом"
    )
    sensors_project = f.CooperationProjectFactory(
        title="Датчики давления", slug="datchiki", description="Совместная линия", next_step=""
    )
    f.CooperationProjectFactory(title="Без участников", slug="bez-uchastnikov", description="", next_step="")
    f.ProjectPartyFactory(project=pumps, organization=volga)
    f.ProjectPartyFactory(project=pumps, organization=ural)
    f.ProjectPartyFactory(project=castings, organization=ural)
    f.ProjectPartyFactory(project=sensors_project, organization=sensors)
    f.ProjectPartyFactory(project=sensors_project, organization=volga)


def test_search_finds_a_partys_name_or_short_name_whatever_the_case(staff_client, projects):
    assert listed(staff_client, q="волжский") == ["Датчики давления", "Поставка насосов"]
    assert listed(staff_client, q="впз") == ["Датчики давления", "Поставка насосов"]
    # Two parties of one project match: the project is listed once.
    assert listed(staff_client, q="завод") == ["Датчики давления", "Литьё корпусов", "Поставка насосов"]


def test_search_finds_the_projects_own_columns(staff_client, projects):
    assert listed(staff_client, q="насосов") == ["Поставка насосов"]  # title
    assert listed(staff_client, q="korpusa") == ["Литьё корпусов"]  # slug
    assert listed(staff_client, q="водоканала") == ["Поставка насосов"]  # description
    assert listed(staff_client, q="чертежи") == ["Литьё корпусов"]  # next step


def test_search_every_word_must_match_in_a_column_or_a_party(staff_client, projects):
    assert listed(staff_client, q="уральский насосы") == ["Поставка насосов"]
    assert listed(staff_client, q='"литейный комбинат" чертежи') == ["Литьё корпусов"]
    assert listed(staff_client, q="датчики уральский") == []
    assert listed(staff_client, q="Новосибирск") == []


def test_search_treats_like_wildcards_as_letters(staff_client, projects):
    assert listed(staff_client, q="завод%") == []
    assert listed(staff_client, q="_") == []


def test_search_query_count_same_for_2_and_30_matching_projects(staff_client):
    ural = f.OrganizationFactory(name="Уральский литейный комбинат", short_name="")

    def add(count):
        for _ in range(count):
            f.ProjectPartyFactory(project=f.CooperationProjectFactory(), organization=ural)

    add(2)
    with_two = query_count(staff_client, f"{URL}?q=уральский")
    add(28)
    with_thirty = query_count(staff_client, f"{URL}?q=уральский")

    assert with_two == with_thirty
    assert len(listed(staff_client, q="уральский")) == 30
