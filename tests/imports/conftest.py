import datetime

import pytest

from tests import factories as f


@pytest.fixture
def region_73(db):
    return f.directory_region("73")


@pytest.fixture
def ministry(region_73):
    return f.MinistryFactory(region=region_73, name="Министерство промышленности и торговли Ульяновской области")


@pytest.fixture
def staff(ministry):
    return f.MinistryStaffFactory(username="analyst", organization=ministry)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def mission(ministry, region_73):
    return f.MissionFactory(
        title="Бизнес-миссия в Тульскую область",
        slug="ulyanovsk-tula",
        origin_region=region_73,
        organizer=ministry,
        status="planned",
        start_date=datetime.date(2026, 3, 3),
        end_date=datetime.date(2026, 3, 4),
        destination_regions=[f.directory_region("71")],
    )
