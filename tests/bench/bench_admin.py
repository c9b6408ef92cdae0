"""Benchmarks (`make bench`): how long the staff's busiest pages take with a realistic volume.

Not part of `make test`: speed is measured here, never asserted in tests.
"""

import pytest
from django.core.management import call_command

from tests.factories import MeetingFactory, MissionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def volume(db):
    organizations = OrganizationFactory.create_batch(500)
    mission = MissionFactory()
    for i in range(0, 200, 2):
        MeetingFactory(mission=mission, organization_a=organizations[i], organization_b=organizations[i + 1])
    return mission


def test_bench_organization_changelist(benchmark, staff_client, volume):
    response = benchmark(staff_client.get, "/admin/companies/organization/")
    assert response.status_code == 200


def test_bench_mission_change_page_with_100_meetings(benchmark, staff_client, volume):
    response = benchmark(staff_client.get, f"/admin/missions/mission/{volume.pk}/change/")
    assert response.status_code == 200


def test_bench_load_demo_second_run(benchmark, db):
    call_command("load_demo", no_login=True, verbosity=0)
    benchmark.pedantic(call_command, args=("load_demo",), kwargs={"no_login": True, "verbosity": 0}, rounds=3)
