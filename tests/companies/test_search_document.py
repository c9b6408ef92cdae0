"""The directory search's stored document: the texts an organization stores for it are kept current
by every write of its sectors, offers and needs (companies.signals), a bulk writer refreshes them in one
UPDATE, and the directory runs the same queries for few and many organizations."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.models import Offer, Organization
from companies.search import organizations_refresh_search, similar_words
from tests.factories import NeedFactory, OfferFactory, OrganizationFactory, SectorFactory, directory_region

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL lexicon of words")


def names_found(client, query: str, **filters) -> list[str]:
    response = client.get("/companies/", {"q": query, **filters})
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a href="/companies/[^"]+/">([^<]+)</a>', response.content.decode())


def stored(organization: Organization) -> tuple[str, str]:
    organization.refresh_from_db()
    return organization.search_sectors, organization.search_items


def test_sectors_added_and_removed_are_stored_with_their_parent(client):
    machinery = SectorFactory(name="Машиностроение")
    aviation = SectorFactory(name="Авиация", parent=machinery)
    plant = OrganizationFactory(name="Авиастар")

    plant.sectors.add(aviation)
    assert stored(plant) == ("Авиация (Машиностроение)", "")
    assert names_found(client, "машиностроение") == ["Авиастар"]

    plant.sectors.remove(aviation)
    assert stored(plant) == ("", "")
    assert names_found(client, "машиностроение") == []


def test_sectors_written_from_the_sector_side_are_stored(client):
    optics = SectorFactory(name="Оптика")
    first, second = OrganizationFactory(name="Линза"), OrganizationFactory(name="Призма")

    optics.organizations.add(first, second)
    assert names_found(client, "оптика") == ["Линза", "Призма"]

    optics.organizations.clear()
    assert names_found(client, "оптика") == []
    assert stored(first) == ("", "")


def test_a_renamed_sector_and_a_renamed_parent_are_stored_for_their_organizations(client):
    machinery = SectorFactory(name="Машиностроение")
    aviation = SectorFactory(name="Авиация", parent=machinery)
    plant = OrganizationFactory(name="Авиастар")
    plant.sectors.add(aviation)

    machinery.name = "Тяжёлая промышленность"
    machinery.save()
    aviation.name = "Авиастроение"
    aviation.save()

    assert stored(plant) == ("Авиастроение (Тяжёлая промышленность)", "")
    assert names_found(client, "промышленность") == ["Авиастар"]
    assert names_found(client, "машиностроение") == []


def test_a_deleted_sector_leaves_the_stored_texts(client):
    optics = SectorFactory(name="Оптика")
    lens = OrganizationFactory(name="Линза")
    lens.sectors.add(optics)

    optics.delete()

    assert stored(lens) == ("", "")
    assert names_found(client, "оптика") == []


def test_offers_and_needs_are_stored_while_active(client):
    foundry = OrganizationFactory(name="Уральский завод")

    offer = OfferFactory(organization=foundry, title="Литьё под давлением", description="Алюминий")
    NeedFactory(organization=foundry, title="Подшипники", description="")
    assert stored(foundry) == ("", "Литьё под давлением Алюминий · Подшипники ")
    assert names_found(client, "литьё") == ["Уральский завод"]

    offer.is_active = False
    offer.save()
    assert names_found(client, "литьё") == []
    assert names_found(client, "подшипники") == ["Уральский завод"]

    foundry.needs.get().delete()
    assert stored(foundry) == ("", "")
    assert names_found(client, "подшипники") == []


def test_a_bulk_write_is_found_after_the_refresh(client):
    foundry = OrganizationFactory(name="Уральский завод")
    Offer.objects.bulk_create([Offer(organization=foundry, title="Поковки")])  # past the signals
    assert names_found(client, "поковки") == []

    assert organizations_refresh_search(Organization.objects.filter(pk=foundry.pk)) == 1

    assert names_found(client, "поковки") == ["Уральский завод"]


@on_postgresql
def test_words_of_a_renamed_organization_are_found_with_a_typo(client):
    plant = OrganizationFactory(name="Предприятие")
    plant.name = "Электросила"
    plant.save()

    assert similar_words(connection, ["электросилла"]) == (("электросилла", "электросила"),)
    assert names_found(client, "Электросилла") == ["Электросила"]


_serial = itertools.count()


def _directory_with(n: int) -> None:
    parent = SectorFactory()
    for _ in range(n):
        organization = OrganizationFactory(
            name=f"Завод {next(_serial):03}", products="Редукторы", region=directory_region("73")
        )
        organization.sectors.add(SectorFactory(parent=parent))
        OfferFactory(organization=organization, title="Поковки")


@pytest.mark.parametrize("query", [{}, {"q": "редуктор"}, {"q": "завод", "size": "", "kind": "company"}])
def test_the_directory_runs_the_same_queries_for_2_and_40_organizations(client, query):
    _directory_with(2)
    client.get("/companies/", query)
    with CaptureQueriesContext(connection) as few:
        response = client.get("/companies/", query)
    assert response.context["paginator"].count == 2
    assert len(response.context["organizations"]) == 2

    _directory_with(38)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/companies/", query)
    assert response.context["paginator"].count == 40
    assert len(response.context["organizations"]) == 30

    assert len(many) == len(few)


def test_the_list_count_is_the_facets_total_under_every_filter(client):
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    OrganizationFactory(name="Завод А", region=ulyanovsk, size="small")
    OrganizationFactory(name="Завод Б", region=ulyanovsk, size="")
    OrganizationFactory(name="Завод В", region=chelyabinsk, size="small")
    OrganizationFactory(name="Министерство", region=ulyanovsk, kind=Organization.Kind.GOVERNMENT, size="small")

    def count(**params) -> int:
        return client.get("/companies/", params).context["paginator"].count

    assert count() == 4
    assert count(region=ulyanovsk.slug) == 3
    assert count(region=ulyanovsk.slug, kind="company") == 2
    assert count(region=ulyanovsk.slug, kind="company", size="small") == 1
    assert count(q="завод", size="small") == 2
