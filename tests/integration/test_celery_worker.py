"""A task enqueued over real Redis runs in a real worker process against PostgreSQL."""

import datetime

import pytest
from celery import Celery

from agreements.models import Agreement
from tests.factories import AgreementFactory

from .conftest import unique_queue

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


def test_an_eager_task_still_runs_after_a_publisher_of_the_tests_is_closed(real_services, publisher, db):
    """The test settings run the project's tasks eagerly, and an eager task takes a producer of the
    project's broker first: a test client closing the pool kombu shares between apps broke every
    eager task after it in the same process (the partner suggestions stopped refreshing)."""
    import redis

    from partners.suggestions.tasks import refresh_suggestions_task

    queue = unique_queue()
    client = publisher(real_services, queue)
    client.send("agreements.scan_reminders")  # to a queue nobody consumes, dropped below
    client.close()
    try:
        assert refresh_suggestions_task.delay(10**9).get() is None  # ran eagerly: no such organization
    finally:
        keys = redis.Redis.from_url(real_services)
        keys.delete(*keys.keys(f"*{queue}*") or ["-"])
        keys.close()
