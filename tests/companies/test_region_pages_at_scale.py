"""The region pages with many rows: the list's counts by GROUP BY rolled up to countries, a region's
tables paged with figures counted in SQL, its partner regions from aggregates, and the same query count
for a few rows and many on the list, a region page and a pair page."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from agreements.models import Agreement, CooperationProject
from companies.models import Region
from config.portal.selectors import regions_with_counts
from tests.factories import (
    MinistryFactory,
    OrganizationFactory,
    PlaceFactory,
    RegionFactory,
    SectorFactory,
    agreement_between,
    directory_region,
    project_between,
)
from tests.factories import mission_between as mission

pytestmark = pytest.mark.django_db


def counts(regions, slug):
    (region,) = [r for r in regions if r.slug == slug]
    return (region.organization_count, region.missions_in_count, region.missions_out_count, region.agreement_count)


# --- /regions/ ----------------------------------------------------------------------------------


@pytest.fixture
def testland():
    """A country with two regions: organizations, missions and agreements at every level, some hidden."""
    country = RegionFactory(name="Республика Тестландия", slug="testland")
    north = Region.objects.create(
        name="Северная провинция", slug="testland-north", kind=Region.Kind.FOREIGN_REGION, country=country
    )
    east = Region.objects.create(
        name="Восточная провинция", slug="testland-east", kind=Region.Kind.FOREIGN_REGION, country=country
    )
    ulyanovsk = directory_region("73")
    in_north, in_east, in_capital = (OrganizationFactory(region=r) for r in (north, east, country))
    hidden_in_north = OrganizationFactory(region=north, is_public=False)
    mission(ulyanovsk, [north, east])  # one mission to two provinces: once for the country
    to_the_country = mission(ulyanovsk, [country])
    to_the_country.places.set([PlaceFactory(region=east)])  # …visiting a city of the east
    mission(north, [ulyanovsk], organizer=in_north)
    mission(ulyanovsk, [north], is_public=False)
    agreement_between(in_north, in_east)  # two provinces' parties: once for the country
    agreement_between(MinistryFactory(region=ulyanovsk), in_capital)
    agreement_between(in_north, MinistryFactory(region=ulyanovsk), is_public=False)
    agreement_between(hidden_in_north, MinistryFactory(region=ulyanovsk))  # public, its party is not
    return country


def test_region_list_counts_a_country_with_its_regions_each_row_once(testland):
    regions = regions_with_counts(AnonymousUser())

    # organizations, missions to, missions from, agreements
    assert counts(regions, "testland") == (3, 2, 1, 2)
    assert counts(regions, "testland-north") == (1, 1, 1, 1)
    assert counts(regions, "testland-east") == (1, 2, 0, 1)


def test_region_list_counts_hidden_rows_for_staff(testland, staff_user):
    regions = regions_with_counts(staff_user)

    assert counts(regions, "testland") == (4, 3, 1, 4)
    assert counts(regions, "testland-north") == (2, 2, 1, 3)
    assert counts(regions, "testland-east") == (1, 2, 0, 1)


def test_region_list_abroad_orders_the_counted_rows_by_activity(client, testland):
    response = client.get("/regions/", {"district": "abroad"})

    rows = [
        (r.slug, r.organization_count + r.missions_in_count + r.missions_out_count + r.agreement_count)
        for r in response.context["regions"]
    ]
    assert rows == [("testland", 8), ("testland-east", 4), ("testland-north", 4)]


def add_regions_with_rows(n):
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    for _ in range(n):
        country = RegionFactory()
        country.key_sectors.add(SectorFactory())
        province = Region.objects.create(
            name=f"Провинция {country.name}",
            slug=f"{country.slug}-province",
            kind=Region.Kind.FOREIGN_REGION,
            country=country,
        )
        organization = OrganizationFactory(region=province)
        mission(province, [ulyanovsk, chelyabinsk], organizer=organization).places.set([PlaceFactory(region=province)])
        agreement_between(organization, MinistryFactory(region=ulyanovsk))


@pytest.mark.parametrize("n", [2, 40])
def test_region_list_runs_the_same_queries_for_few_and_many_rows(client, django_assert_num_queries, n):
    add_regions_with_rows(n)
    client.get("/regions/")  # what is cached once per process stays out of the count

    # session-less anonymous: the regions, their key sectors, four GROUP BY counts, the districts
    with django_assert_num_queries(8):
        response = client.get("/regions/", {"district": "abroad"})

    assert len(response.context["regions"]) == min(2 * n, 30)


# --- /regions/<slug>/ ------------------------------------------------------------------------------


def test_region_page_pages_its_missions_and_counts_them_all(client):
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    government = MinistryFactory(region=ulyanovsk)
    for day in range(1, 24):
        mission(
            ulyanovsk,
            [chelyabinsk],
            organizer=government,
            title=f"Миссия {day:02}",
            start_date=datetime.date(2025, 3, day),
            end_date=datetime.date(2025, 3, day),
        )
    mission(chelyabinsk, [ulyanovsk], title="Ответная миссия")

    first = client.get("/regions/ulyanovsk-oblast/")
    second = client.get("/regions/ulyanovsk-oblast/", {"missions-out": "2"})

    assert (first.context["figures"].missions_out, first.context["figures"].missions_in) == (23, 1)
    assert [m.title for m in first.context["missions_out"]][:2] == ["Миссия 23", "Миссия 22"]
    assert len(first.context["missions_out"]) == 20
    assert [m.title for m in second.context["missions_out"]] == ["Миссия 03", "Миссия 02", "Миссия 01"]
    assert [m.title for m in second.context["missions_in"]] == ["Ответная миссия"]
    html = first.content.decode()
    assert 'href="?missions-out=2#missions-out"' in html
    assert "missions-in=2" not in html
    assert '<span class="value">23</span>' in html


def test_region_page_figures_count_agreements_other_than_contracts_and_contracts_by_the_one_rule(client):
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    here, there = MinistryFactory(region=ulyanovsk), OrganizationFactory(region=chelyabinsk)
    agreement_between(here, there)
    agreement_between(here, there, kind=Agreement.Kind.MEMORANDUM)
    agreement_between(here, there, kind=Agreement.Kind.CONTRACT, status=Agreement.Status.SIGNED)
    agreement_between(here, there, kind=Agreement.Kind.CONTRACT, status=Agreement.Status.DRAFT, signed_on=None)
    project_between(here, there)
    project_between(here, there, stage=CooperationProject.Stage.CONTRACT_SIGNED)
    project_between(here, there, is_public=False)

    html = client.get("/regions/ulyanovsk-oblast/").content.decode()

    figure = {name: int(n) for name, n in re.findall(r'data-figure="([a-z-]+)">(\d+)<', html)}
    assert figure == {"agreements": 2, "contracts-signed": 2, "projects": 2}


def test_region_page_partner_regions_counted_in_sql(client):
    ulyanovsk, chelyabinsk, tula = directory_region("73"), directory_region("74"), directory_region("71")
    here = MinistryFactory(region=ulyanovsk)
    mission(ulyanovsk, [chelyabinsk], organizer=here)
    mission(ulyanovsk, [chelyabinsk, tula], organizer=here)
    mission(tula, [ulyanovsk])
    mission(ulyanovsk, [directory_region("77")], organizer=here, is_public=False)
    agreement_between(here, OrganizationFactory(region=chelyabinsk))
    agreement_between(here, OrganizationFactory(region=chelyabinsk, is_public=False))  # its party is hidden
    project_between(here, OrganizationFactory(region=chelyabinsk), OrganizationFactory(region=tula))
    project_between(here, OrganizationFactory(region=ulyanovsk))  # within the region: no partner

    partners = client.get("/regions/ulyanovsk-oblast/").context["partners"]

    assert [(p["region"].slug, p["missions"], p["agreements"], p["projects"]) for p in partners] == [
        ("chelyabinsk-oblast", 2, 1, 1),
        ("tula-oblast", 2, 0, 1),
    ]


def test_region_page_links_a_hidden_origin_mission_only_for_staff(staff_client):
    ulyanovsk = directory_region("73")
    hidden = mission(ulyanovsk, [directory_region("74")], title="Закрытая миссия", is_public=False)
    project_between(MinistryFactory(region=ulyanovsk), title="Проект с закрытой миссии", origin_mission=hidden)

    public_html = Client().get("/regions/ulyanovsk-oblast/").content.decode()
    staff_html = staff_client.get("/regions/ulyanovsk-oblast/").content.decode()

    assert "Проект с закрытой миссии" in public_html and "Закрытая миссия" not in public_html
    assert f'href="/missions/{hidden.slug}/">Закрытая миссия</a>' in staff_html


def add_region_rows(n, *, linked):
    """n missions each way, agreements and projects of Ulyanovsk; `linked`: each return mission, signing
    mission, origin and resulting agreement set (a prefetch of them would run), else none of them."""
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    here, there = MinistryFactory(region=ulyanovsk), MinistryFactory(region=chelyabinsk)
    for _ in range(n):
        out = mission(ulyanovsk, [chelyabinsk], organizer=here)
        mission(chelyabinsk, [ulyanovsk], organizer=there, reciprocal_of=out if linked else None)
        contract = agreement_between(here, there, signed_at_mission=out if linked else None)
        project = project_between(
            here,
            there,
            origin_mission=out if linked else None,
            resulting_agreement=contract if linked else None,
        )
        project.sectors.add(SectorFactory())


@pytest.mark.parametrize(("n", "linked"), [(1, False), (2, True), (30, True)])
def test_region_page_runs_the_same_queries_for_few_and_many_rows(client, django_assert_num_queries, n, linked):
    add_region_rows(n, linked=linked)
    client.get("/regions/ulyanovsk-oblast/")

    with django_assert_num_queries(33):
        response = client.get("/regions/ulyanovsk-oblast/")

    assert response.context["figures"].missions_out == n
    assert len(response.context["projects"]) == min(n, 20)


# --- /regions/<a>/<b>/ --------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "linked"), [(1, False), (2, True), (30, True)])
def test_pair_page_runs_the_same_queries_for_few_and_many_rows(client, django_assert_num_queries, n, linked):
    add_region_rows(n, linked=linked)
    url = "/regions/ulyanovsk-oblast/chelyabinsk-oblast/"
    client.get(url)

    with django_assert_num_queries(13):
        response = client.get(url)

    assert len(response.context["missions"]) == 2 * n
    assert response.context["projects"].count == n


def test_pair_page_pages_its_projects_in_stage_order_with_each_stage_counted_in_all(client):
    here, there = MinistryFactory(region=directory_region("73")), MinistryFactory(region=directory_region("74"))
    for i in range(25):
        project_between(here, there, title=f"Переговоры {i:02}", stage=CooperationProject.Stage.NEGOTIATION)
    for i in range(10):
        project_between(here, there, title=f"Предложение {i:02}", stage=CooperationProject.Stage.PROPOSAL)
    project_between(here, there, title="Завершённый", stage=CooperationProject.Stage.COMPLETED)
    url = "/regions/ulyanovsk-oblast/chelyabinsk-oblast/"

    first, second = client.get(url).context, client.get(url, {"projects": "2"}).context

    assert [(stage, n) for stage, _label, n in first["projects_by_stage"]] == [
        ("negotiation", 25),
        ("proposal", 10),
        ("completed", 1),
    ]
    # under each heading: the stage's projects in all, those on this page
    assert [(n, len(rows)) for _label, n, rows in first["projects_on_page"]] == [(25, 25), (10, 5)]
    assert [(n, len(rows)) for _label, n, rows in second["projects_on_page"]] == [(10, 5), (1, 1)]
    assert (first["projects"].count, first["open_project_count"]) == (36, 35)
    html = client.get(url).content.decode()
    assert 'href="?projects=2#projects"' in html
