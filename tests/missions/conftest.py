"""A partner country as real visits have it: a foreign country with its own time zone, two of its
regions with their cities, and a ministry's staff login that enters it all."""

from types import SimpleNamespace

import pytest

from companies.models import Organization, Place, Region
from tests import factories as f


def make_place(name: str, region: Region, slug: str) -> Place:
    return Place.objects.create(name=name, slug=slug, region=region)


@pytest.fixture
def partner(db):
    """Uzbekistan-like: a country (Asia/Tashkent), two of its regions, three cities, its government."""
    country = f.RegionFactory(name="Республика Дальстан", name_en="Dalstan", slug="dalstan", time_zone="Asia/Tashkent")
    north = Region.objects.create(
        name="Северная область Дальстана",
        slug="dalstan-north",
        kind=Region.Kind.FOREIGN_REGION,
        country=country,
        time_zone="Asia/Tashkent",
    )
    east = Region.objects.create(
        name="Восточная область Дальстана",
        slug="dalstan-east",
        kind=Region.Kind.FOREIGN_REGION,
        country=country,
        time_zone="Asia/Almaty",
    )
    return SimpleNamespace(
        country=country,
        north=north,
        east=east,
        capital=make_place("Даль-Сити", country, "dal-city"),
        north_city=make_place("Северград", north, "severgrad"),
        east_city=make_place("Востокабад", east, "vostokabad"),
        government=f.OrganizationFactory(
            name="Правительство Республики Дальстан",
            kind=Organization.Kind.GOVERNMENT,
            region=country,
            is_public=True,
        ),
    )


@pytest.fixture
def ulyanovsk_ministry(db):
    return f.MinistryFactory(region=f.directory_region("73"), name="Министерство промышленности Ульяновской области")


@pytest.fixture
def ulyanovsk_staff(ulyanovsk_ministry):
    return f.MinistryStaffFactory(username="staff-73", organization=ulyanovsk_ministry)


@pytest.fixture
def ulyanovsk_client(client, ulyanovsk_staff):
    client.force_login(ulyanovsk_staff)
    return client
