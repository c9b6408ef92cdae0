"""Benchmarks of the follow-up engine (`make bench`): the scan over a portal with many projects.

The scan runs hourly: it reads every followed project once, with a fixed number of queries.
"""

import datetime

import pytest
from django.utils import timezone

from agreements.followup.scan import reminders_scan
from agreements.models import CooperationProject
from tests.factories import CooperationProjectFactory, ProjectPartyFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_projects(db):
    curator = StaffUserFactory(email="curator@example.org")
    for _ in range(1000):
        ProjectPartyFactory(project=CooperationProjectFactory(curator=curator, stage="negotiation"))
    CooperationProject.objects.update(last_activity_at=timezone.now() - datetime.timedelta(days=45))


def test_bench_scan_1000_silent_projects_nothing_new(benchmark, silent_projects):
    reminders_scan()  # the first scan writes the rows; the hourly scans after it find them written
    found = benchmark(reminders_scan)
    assert found == 0
