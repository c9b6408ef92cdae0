"""Reminder delivery across real processes: PostgreSQL, Redis, Celery workers and beat, an SMTP server.

Every letter carries the Message-ID `<reminder.<pk>.<kind>@host>`, so the SMTP sink in the test
process tells exactly which rows were delivered, and how many times.
"""

import contextlib
import datetime
import logging
import re
import time
from collections import Counter

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from agreements.followup.delivery import reminders_due_ids, reminders_enqueue
from agreements.followup.letters import message_id
from agreements.followup.scan import reminders_scan
from agreements.models import CooperationProject, Reminder
from tests.factories import (
    CooperationProjectFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectPartyFactory,
    StaffUserFactory,
)

from .conftest import free_port, unique_queue, wait_for

pytestmark = pytest.mark.integration

PUBLIC_PAGES = ["/", "/missions/", "/agreements/", "/regions/", "/companies/", "/healthz/"]


# --- Data -------------------------------------------------------------------------------------


def make_due_projects(count: int, *, with_next_step: int = 0) -> int:
    """`count` negotiation projects idle for 40 days (stale after 30), each with a curator and a party
    contact; the first `with_next_step` also have a next step three days overdue. Returns how many
    reminders the scan is due to write."""
    now = timezone.now()
    for index in range(count):
        extra = {}
        if index < with_next_step:
            extra = {
                "next_step": "Call the partner back",
                "next_step_due": timezone.localdate() - datetime.timedelta(3),
            }
        project = CooperationProjectFactory(
            stage=CooperationProject.Stage.NEGOTIATION, last_activity_at=now - datetime.timedelta(days=40), **extra
        )
        organization = OrganizationFactory()
        ProjectPartyFactory(
            project=project, organization=organization, contact=PersonFactory(organization=organization)
        )
    return 2 * (count + with_next_step)  # two recipients, one letter per kind due


def states() -> Counter:
    return Counter(Reminder.objects.values_list("state", flat=True))


# --- Waiting and asserting --------------------------------------------------------------------


def report(services, sink=None) -> str:
    lines = [f"reminder states: {dict(states())}"]
    for row in Reminder.objects.order_by("pk"):
        lines.append(
            f"  #{row.pk} {row.kind} {row.recipient_email} {row.state} attempts={row.attempts} {row.last_error}"
        )
    if sink is not None:
        lines.append(f"sink accepted: {dict(sink.handler.message_ids())}; refused: {len(sink.handler.refused)}")
    return "\n".join(lines) + "\n" + services.logs()


def wait_all_in(state: str, services, sink, *, timeout: float = 60) -> None:
    def all_rows_reached_state():
        found = states()
        return bool(found) and set(found) == {state}

    wait_for(all_rows_reached_state, timeout=timeout, interval=0.3, describe=lambda: report(services, sink))


def queued(redis_url: str, queue: str) -> int:
    """Messages waiting in `queue` (every priority list of it)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        return sum(client.llen(key) for key in client.scan_iter(match=f"{queue}*"))
    finally:
        client.close()


def in_flight(workers) -> int:
    """Tasks the workers received and have not finished, from their logs."""
    text = "".join(worker.text() for worker in workers)
    return text.count("] received") - text.count("] succeeded in") - text.count("] raised")


def wait_quiet(redis_url: str, queue: str, workers, services, sink) -> None:
    """Until the queue is empty and no worker holds a task, twice in a row a second apart: after
    that nothing can still be sent."""
    calm = []

    def queue_drained_and_workers_idle():
        calm.append(queued(redis_url, queue) == 0 and in_flight(workers) == 0)
        return calm[-2:] == [True, True]

    wait_for(queue_drained_and_workers_idle, timeout=60, interval=1, describe=lambda: report(services, sink))


def assert_each_delivered_once(sink, services) -> None:
    rows = list(Reminder.objects.order_by("pk"))
    assert rows, "no reminders to deliver"
    expected = Counter(message_id(row) for row in rows)
    delivered = sink.handler.message_ids()
    duplicates = {mid: n for mid, n in delivered.items() if n > 1}
    missing = set(expected) - set(delivered)
    unknown = set(delivered) - set(expected)
    assert delivered == expected, (
        f"duplicates: {duplicates}\nmissing: {missing}\nunknown: {unknown}\n{report(services, sink)}"
    )
    to = {d.message_id: d.to for d in sink.handler.accepted}
    for row in rows:
        assert row.state == Reminder.State.SENT, report(services, sink)
        assert row.sent_at is not None and row.claimed_at is None
        assert to[message_id(row)] == row.recipient_email


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """This process's Celery app publishes for real (not eagerly), to `broker_url`, inside the block."""
    from celery import current_app

    from config.celery import app

    previous = current_app._get_current_object()
    saved = app.conf.task_always_eager, app.conf.broker_url

    def forget_connections():  # the pools were made for the broker configured when first used
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.task_always_eager, app.conf.broker_url = False, broker_url
    forget_connections()
    app.set_current()
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        forget_connections()
        previous.set_current()


# --- The tests --------------------------------------------------------------------------------


def test_scan_twice_and_two_workers_at_once_deliver_each_reminder_once(real_services, services, smtp_sink, publisher):
    due = make_due_projects(8, with_next_step=4)
    assert reminders_scan() == due
    assert reminders_scan() == 0  # the second scan finds every row written

    queue = unique_queue()
    workers = [services.worker(queue, name=name, EMAIL_URL=smtp_sink.url) for name in ("worker-a", "worker-b")]
    client = publisher(real_services, queue)
    # Both workers scan at once (each then hands every due row to the queue), dispatch twice, and
    # every row is also sent twice by hand: each row is offered to the two workers six times.
    for name in ("agreements.scan_reminders", "agreements.scan_reminders"):
        client.send(name)
    for name in ("agreements.dispatch_reminders", "agreements.dispatch_reminders"):
        client.send(name)
    for pk in Reminder.objects.order_by("pk").values_list("pk", flat=True):
        client.send("agreements.send_reminder", pk)
        client.send("agreements.send_reminder", pk)

    wait_all_in(Reminder.State.SENT, services, smtp_sink)
    wait_quiet(real_services, queue, workers, services, smtp_sink)

    assert Reminder.objects.count() == due, report(services, smtp_sink)
    assert_each_delivered_once(smtp_sink, services)
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}, report(services, smtp_sink)
    # Each worker took part; every offer of a row but the first found it taken.
    logs = [worker.text() for worker in workers]
    assert all("Task agreements.send_reminder[" in log for log in logs), services.logs()
    offered = sum(len(re.findall(r"Task agreements\.send_reminder\[[^\]]+\] received", log)) for log in logs)
    assert offered >= 4 * due, services.logs()
    assert sum(log.count(": 'sent'") for log in logs) == due, services.logs()
    assert sum(log.count(": 'skipped'") for log in logs) == offered - due, services.logs()
    assert all(worker.alive for worker in workers), services.logs()


def test_worker_killed_while_sending_is_replaced_and_the_reminder_goes_once(services, smtp_sink, publisher):
    # A redis-server of its own: the killed worker's unacknowledged message must not linger in the
    # shared Redis.
    redis_url = services.redis_server(free_port()).url
    due = make_due_projects(3)
    assert reminders_scan() == due
    queue = unique_queue()
    env = {"redis_url": redis_url, "EMAIL_URL": smtp_sink.url, "REMINDER_SENDING_TIMEOUT_SECONDS": 5}

    smtp_sink.handler.block_next_mail()
    first = services.worker(queue, name="worker-killed", **env)
    publisher(redis_url, queue).send("agreements.dispatch_reminders")
    wait_for(smtp_sink.handler.blocked.is_set, timeout=30, describe=lambda: report(services, smtp_sink))
    sending = wait_for(
        lambda: list(Reminder.objects.filter(state=Reminder.State.SENDING)),
        timeout=10,
        describe=lambda: report(services, smtp_sink),
    )
    assert len(sending) == 1, report(services, smtp_sink)
    stuck = sending[0]

    services.kill(first)  # in the middle of the SMTP conversation, before any data
    assert first.process.returncode == -9
    smtp_sink.handler.release()
    stuck.refresh_from_db()
    assert stuck.state == Reminder.State.SENDING and stuck.attempts == 1
    assert smtp_sink.handler.accepted == [], report(services, smtp_sink)

    # A new worker sends the rest at once; beat's dispatch releases the stuck row once its claim is
    # older than REMINDER_SENDING_TIMEOUT_SECONDS, and the worker sends it then.
    second = services.worker(queue, name="worker-new", **env)
    services.beat(queue, dispatch_seconds=1, **env)
    wait_all_in(Reminder.State.SENT, services, smtp_sink)
    wait_quiet(redis_url, queue, [second], services, smtp_sink)

    assert_each_delivered_once(smtp_sink, services)
    stuck.refresh_from_db()
    assert stuck.attempts == 2, report(services, smtp_sink)  # the killed claim, then the one that sent
    assert stuck.last_error == ""
    assert "Released 1 stuck reminders" in second.text(), services.logs()


def test_redis_down_pages_answer_nothing_lost_and_all_sent_when_it_is_back(services, smtp_sink, caplog):
    port = free_port()
    redis = services.redis_server(port)
    redis_url = redis.url
    queue = unique_queue()
    env = {"redis_url": redis_url, "EMAIL_URL": smtp_sink.url}
    worker = services.worker(queue, name="worker", **env)
    beat = services.beat(queue, dispatch_seconds=2, **env)
    wait_for(  # the pipeline works before the outage
        lambda: "agreements.dispatch_reminders" in worker.text() and "succeeded in" in worker.text(),
        timeout=30,
        describe=services.logs,
    )

    services.stop(redis)
    beat_log_before = len(beat.text())

    # Reminders fall due while Redis is down: the scan writes them, handing them over fails quietly.
    due = make_due_projects(5, with_next_step=2)
    assert reminders_scan() == due
    started = time.monotonic()
    with publishing_to(redis_url), caplog.at_level(logging.WARNING, logger="agreements.followup.delivery"):
        reminders_enqueue(reminders_due_ids())
    assert time.monotonic() - started < 10
    assert f"Broker unavailable, {due} reminders wait for the next dispatch" in caplog.text

    # The public pages answer without Redis (cache pointing at the stopped server too).
    dead_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    with override_settings(CACHES=dead_cache, CELERY_BROKER_URL=redis_url):
        browser = Client()
        for path in PUBLIC_PAGES:
            assert browser.get(path).status_code == 200, path

    # Beat keeps trying, fails, and carries on; nothing is sent, nothing is lost.
    wait_for(
        lambda: "Couldn't apply scheduled task dispatch-reminders" in beat.text()[beat_log_before:],
        timeout=20,
        describe=services.logs,
    )
    assert states() == Counter({Reminder.State.PENDING: due}), report(services, smtp_sink)
    assert smtp_sink.handler.accepted == []
    assert worker.alive and beat.alive, services.logs()

    services.redis_server(port, name="redis-again")  # empty: whatever was queued before is gone
    wait_all_in(Reminder.State.SENT, services, smtp_sink)
    wait_quiet(redis_url, queue, [worker], services, smtp_sink)
    assert_each_delivered_once(smtp_sink, services)


@pytest.mark.parametrize(
    ("mode", "code"), [("refuse_rcpt", "550"), ("refuse_data", "554")], ids=["rcpt-550", "data-554"]
)
def test_smtp_refusing_rows_retry_then_fail_visibly_and_nothing_is_sent(real_services, services, smtp_sink, mode, code):
    smtp_sink.handler.mode = mode
    due = make_due_projects(3)
    assert reminders_scan() == due
    queue = unique_queue()
    env = {"EMAIL_URL": smtp_sink.url, "REMINDER_MAX_ATTEMPTS": 3, "REMINDER_RETRY_SECONDS": 1}
    worker = services.worker(queue, name="worker", **env)
    services.beat(queue, dispatch_seconds=1, **env)

    wait_all_in(Reminder.State.FAILED, services, smtp_sink)
    wait_quiet(real_services, queue, [worker], services, smtp_sink)

    assert smtp_sink.handler.accepted == [], report(services, smtp_sink)
    rows = list(Reminder.objects.order_by("pk"))
    for row in rows:
        assert row.attempts == 3, report(services, smtp_sink)
        assert row.sent_at is None and row.claimed_at is None
        assert code in row.last_error and "refused by the test sink" in row.last_error, row.last_error
    # Three tries per letter, spaced by the backoff: 1 s, then 2 s.
    tries: dict[str, list[float]] = {}
    for recipient, at in smtp_sink.handler.refused:
        tries.setdefault(recipient, []).append(at)
    assert sorted(tries) == sorted(row.recipient_email for row in rows), report(services, smtp_sink)
    for recipient, times in tries.items():
        assert len(times) == 3, (recipient, times)
        assert times[1] - times[0] >= 0.9 and times[2] - times[1] >= 1.9, (recipient, times)

    # Staff see them on the reminders list, filtered to the failed ones.
    admin = Client()
    admin.force_login(StaffUserFactory(username="reminders-admin"))
    page = admin.get(reverse("admin:agreements_reminder_changelist") + "?state__exact=failed")
    assert page.status_code == 200
    content = page.content.decode()
    for row in rows:
        assert row.recipient_email in content
