"""A task enqueued over real Redis runs in a real worker process against PostgreSQL."""

import datetime

import pytest
from celery import Celery

from agreements.models import Agreement
from tests.factories import AgreementFactory

pytestmark = pytest.mark.integration


def test_refresh_statuses_task_runs_in_worker_and_expires_agreement(celery_worker_process, real_services):
    queue, process, log = celery_worker_process
    expired = AgreementFactory(
        status=Agreement.Status.IN_FORCE, valid_from=datetime.date(2022, 1, 1), valid_until=datetime.date(2024, 12, 31)
    )
    current = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_from=datetime.date(2022, 1, 1), valid_until=None)

    # A client of its own: the test settings run tasks eagerly, this one talks to the broker.
    client = Celery("integration-client", broker=real_services, backend=real_services, set_as_current=False)
    result = client.send_task("agreements.refresh_statuses", queue=queue)
    try:
        changed = result.get(timeout=60)
    finally:
        result.forget()

    assert process.poll() is None, log.read_text()
    assert changed == 1
    expired.refresh_from_db()
    current.refresh_from_db()
    assert expired.status == Agreement.Status.EXPIRED
    assert current.status == Agreement.Status.IN_FORCE
    assert expired.history.first().status == Agreement.Status.EXPIRED
    assert "agreements.refresh_statuses" in log.read_text()
