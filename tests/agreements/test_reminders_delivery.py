"""Sending reminders: once, whatever runs twice; retried with back-off when the mail server refuses,
given up after REMINDER_MAX_ATTEMPTS; released when a worker died; cancelled when obsolete.

The mail server is the only thing mocked: a backend class below, named by its dotted path in
settings.EMAIL_BACKEND, as a deployment would name its own.
"""

import datetime
import smtplib
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

from agreements.followup.delivery import (
    reminder_claim,
    reminder_send,
    reminders_due_ids,
    reminders_release_stuck,
    reminders_send_due,
)
from agreements.followup.scan import reminders_scan
from agreements.followup.tasks import dispatch_reminders_task, scan_reminders_task, send_reminder_task
from agreements.models import CooperationProject, PlanItem, Reminder
from agreements.services.agreements import plan_item_set_status
from agreements.services.projects import project_record_progress
from tests.agreements.test_reminders import D, at, days, idle_project, noon, plan_item, scan
from tests.factories import MinistryStaffFactory

pytestmark = pytest.mark.django_db

Kind, State, Stage = Reminder.Kind, Reminder.State, CooperationProject.Stage
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every recipient; it remembers the Message-ID of each letter offered."""

    offered: list[str] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            RefusingBackend.offered.append(message.extra_headers["Message-ID"])
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"5.1.1 No such user") for m in email_messages})


class UnreachableBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def refusing(settings, mailoutbox):
    RefusingBackend.offered = []
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    return settings


def stale_reminder() -> Reminder:
    """The scan's reminder for a project idle for 30 days, written at noon on D + 30."""
    idle_project(Stage.NEGOTIATION)
    assert scan(D + days(30)) == 1
    return Reminder.objects.get()


def state_of(reminder: Reminder) -> tuple:
    reminder.refresh_from_db()
    return reminder.state, reminder.attempts


# --- Once -------------------------------------------------------------------------------------------


def test_send_due_twice_sends_one_mail(mailoutbox):
    project = idle_project(Stage.NEGOTIATION)

    with at(D + days(30)):
        first = reminders_send_due(today=D + days(30))
        second = reminders_send_due(today=D + days(30))

    assert first == {"released": 0, "found": 1, "sent": 1}
    assert second == {"released": 0, "found": 0}
    reminder = Reminder.objects.get()
    assert [m.to for m in mailoutbox] == [[f'"{reminder.recipient_name}" <{project.curator.email}>']]
    assert (reminder.state, reminder.attempts, reminder.sent_at) == (State.SENT, 1, noon(D + days(30)))
    assert (reminder.claimed_at, reminder.last_error) == (None, "")


def test_reminder_send_twice_sends_one_mail(mailoutbox):
    reminder = stale_reminder()

    with at(D + days(30), minutes=1):
        outcomes = [reminder_send(reminder.pk), reminder_send(reminder.pk)]

    assert outcomes == ["sent", "skipped"]
    assert len(mailoutbox) == 1
    assert state_of(reminder) == (State.SENT, 1)


def test_scan_task_hands_the_due_reminders_to_the_send_task_once_committed(
    mailoutbox, django_capture_on_commit_callbacks
):
    project = idle_project(Stage.NEGOTIATION)

    with at(D + days(30)), django_capture_on_commit_callbacks(execute=True) as published:
        found = scan_reminders_task.delay().get()
    with at(D + days(30), minutes=5), django_capture_on_commit_callbacks(execute=True):
        dispatched = dispatch_reminders_task.delay().get()
        again = send_reminder_task.delay(Reminder.objects.get().pk).get()

    assert (found, len(published), dispatched, again) == (1, 1, 0, "skipped")
    assert [m.to[0].endswith(f"<{project.curator.email}>") for m in mailoutbox] == [True]
    assert Reminder.objects.get().state == State.SENT


def test_dispatch_task_sends_reminders_the_broker_missed(mailoutbox, django_capture_on_commit_callbacks):
    idle_project(Stage.NEGOTIATION)
    with at(D + days(30)):
        assert reminders_scan(today=D + days(30)) == 1  # written, but never handed to a worker
    with at(D + days(30), minutes=1), django_capture_on_commit_callbacks(execute=True):
        dispatched = dispatch_reminders_task.delay().get()

    assert dispatched == 1
    assert len(mailoutbox) == 1
    assert set(Reminder.objects.values_list("state", flat=True)) == {State.SENT}


# --- Failures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "backend,error",
    [("RefusingBackend", "SMTPRecipientsRefused"), ("UnreachableBackend", "ConnectionRefusedError")],
)
def test_failing_mail_server_retries_with_back_off_then_gives_up(backend, error, settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.{backend}"
    reminder = stale_reminder()
    moment = noon(D + days(30))
    early, outcomes, delays = [], [], []

    for attempt in range(1, settings.REMINDER_MAX_ATTEMPTS + 1):
        with time_machine.travel(moment - datetime.timedelta(seconds=1), tick=False):
            early.append(reminder_send(reminder.pk))
            assert reminders_due_ids() == []
        with time_machine.travel(moment, tick=False):
            outcomes.append(reminder_send(reminder.pk))
        reminder.refresh_from_db()
        assert reminder.attempts == attempt
        assert reminder.last_error.startswith(f"{error}: ")
        assert (reminder.claimed_at, reminder.sent_at) == (None, None)
        if reminder.state == State.PENDING:
            delays.append((reminder.next_attempt_at - moment).total_seconds())
            moment = reminder.next_attempt_at
    with time_machine.travel(moment + datetime.timedelta(days=1), tick=False):
        after = reminder_send(reminder.pk), reminders_due_ids()

    assert early == ["skipped"] * settings.REMINDER_MAX_ATTEMPTS
    assert outcomes == ["retry"] * (settings.REMINDER_MAX_ATTEMPTS - 1) + ["failed"]
    assert delays == [settings.REMINDER_RETRY_SECONDS * 2**n for n in range(settings.REMINDER_MAX_ATTEMPTS - 1)]
    assert reminder.state == State.FAILED
    assert after == ("skipped", [])
    assert mailoutbox == []
    assert not Reminder.objects.filter(state=State.SENT).exists()


def test_send_due_does_not_resend_a_refused_reminder_before_its_next_attempt(refusing):
    idle_project(Stage.NEGOTIATION)

    with at(D + days(30)):
        first = reminders_send_due(today=D + days(30))
    with at(D + days(30), seconds=settings.REMINDER_RETRY_SECONDS - 1):
        too_early = reminders_send_due(today=D + days(30))
    with at(D + days(30), seconds=settings.REMINDER_RETRY_SECONDS):
        on_time = reminders_send_due(today=D + days(30))

    assert first == {"released": 0, "found": 1, "retry": 1}
    assert too_early == {"released": 0, "found": 0}
    assert on_time == {"released": 0, "found": 0, "retry": 1}
    assert len(RefusingBackend.offered) == 2
    reminder = Reminder.objects.get()
    assert (reminder.state, reminder.attempts) == (State.PENDING, 2)
    assert reminder.next_attempt_at == noon(D + days(30)) + datetime.timedelta(
        seconds=settings.REMINDER_RETRY_SECONDS * 3
    )


def test_message_id_is_the_same_on_every_attempt(refusing, mailoutbox):
    reminder = stale_reminder()
    with at(D + days(30)):
        assert reminder_send(reminder.pk) == "retry"
    refusing.EMAIL_BACKEND = LOCMEM
    with at(D + days(31)):
        assert reminder_send(reminder.pk) == "sent"

    host = urlsplit(settings.PORTAL_BASE_URL).hostname
    sent_id = mailoutbox[0].message()["Message-ID"]
    assert RefusingBackend.offered == [sent_id]
    assert sent_id == f"<reminder.{reminder.pk}.project_stale@{host}>"
    assert mailoutbox[0].message()["Auto-Submitted"] == "auto-generated"


# --- A worker that died while sending ---------------------------------------------------------------


def test_reminder_stuck_in_sending_is_released_after_the_timeout_not_before(mailoutbox):
    reminder = stale_reminder()
    timeout = settings.REMINDER_SENDING_TIMEOUT_SECONDS
    with at(D + days(30)):
        assert reminder_claim(reminder.pk) is not None  # the worker took it, then died

    with at(D + days(30), seconds=timeout):
        not_yet = reminders_release_stuck(), reminder_send(reminder.pk)
        assert state_of(reminder) == (State.SENDING, 1)
    with at(D + days(30), seconds=timeout + 1):
        released = reminders_release_stuck()
        reminder.refresh_from_db()
        after_release = (reminder.state, reminder.claimed_at, reminder.last_error)
        counts = reminders_send_due(today=D + days(30))

    assert not_yet == (0, "skipped")
    assert released == 1
    assert after_release == (State.PENDING, None, "Released: the worker sending it stopped before finishing.")
    assert counts == {"released": 0, "found": 0, "sent": 1}
    assert len(mailoutbox) == 1
    assert state_of(reminder) == (State.SENT, 2)


def test_reminder_stuck_on_its_last_attempt_is_given_up(settings, mailoutbox):
    reminder = stale_reminder()
    Reminder.objects.filter(pk=reminder.pk).update(attempts=settings.REMINDER_MAX_ATTEMPTS - 1)
    with at(D + days(30)):
        reminder_claim(reminder.pk)

    with at(D + days(30), seconds=settings.REMINDER_SENDING_TIMEOUT_SECONDS + 1):
        counts = reminders_send_due(today=D + days(30))

    assert counts == {"released": 1, "found": 0}
    assert state_of(reminder) == (State.FAILED, settings.REMINDER_MAX_ATTEMPTS)
    assert mailoutbox == []


# --- Obsolete at send time ----------------------------------------------------------------------------


def assert_cancelled(reminder: Reminder, reason: str, mailoutbox) -> None:
    reminder.refresh_from_db()
    assert (reminder.state, reminder.last_error, reminder.sent_at, reminder.claimed_at) == (
        State.CANCELLED,
        reason,
        None,
        None,
    )
    assert mailoutbox == []


def test_reminder_of_a_project_completed_since_the_scan_is_cancelled(mailoutbox):
    project = idle_project(Stage.IN_IMPLEMENTATION)
    scan(D + days(60))
    reminder = Reminder.objects.get()

    with at(D + days(60), hours=1):
        project_record_progress(project=project, by=project.curator, stage=Stage.COMPLETED, note="Поставка закрыта")
        outcome = reminder_send(reminder.pk)

    assert outcome == "cancelled"
    assert_cancelled(reminder, "The project is closed.", mailoutbox)


def test_stale_reminder_of_a_project_with_activity_since_is_cancelled(mailoutbox):
    project = idle_project(Stage.NEGOTIATION)
    scan(D + days(30))
    reminder = Reminder.objects.get()

    with at(D + days(31)):
        project_record_progress(project=project, by=None, note="Заказчик ответил")
        counts = reminders_send_due(today=D + days(31))

    assert counts == {"released": 0, "found": 0, "cancelled": 1}
    assert_cancelled(reminder, "The project has had activity since.", mailoutbox)


def test_next_step_reminder_is_cancelled_when_the_step_moved(mailoutbox):
    project = idle_project(Stage.IN_IMPLEMENTATION, since=D, next_step="Отгрузка", next_step_due=D + days(5))
    scan(D + days(5))
    reminder = Reminder.objects.get(kind=Kind.NEXT_STEP_DUE)

    with at(D + days(5), hours=2):
        project_record_progress(project=project, by=project.curator, next_step_due=D + days(12))
        outcome = reminder_send(reminder.pk)

    assert outcome == "cancelled"
    assert_cancelled(reminder, "The next step has changed since.", mailoutbox)


def test_plan_item_reminder_is_cancelled_when_the_item_was_done(mailoutbox):
    item = plan_item(due_date=D)
    scan(D + days(1))
    reminder = Reminder.objects.get(kind=Kind.PLAN_ITEM_OVERDUE)

    with at(D + days(1), hours=1):
        plan_item_set_status(item=item, status=PlanItem.Status.DONE, evidence="Акт подписан")
        outcome = reminder_send(reminder.pk)

    assert outcome == "cancelled"
    assert_cancelled(reminder, "The plan item has changed since.", mailoutbox)


def test_digest_with_nothing_left_to_report_is_cancelled(mailoutbox):
    curator = MinistryStaffFactory(username="curator")
    project = idle_project(Stage.NEGOTIATION, since=D - days(60), curator=curator)
    scan(D)
    digest = Reminder.objects.get(kind=Kind.DIGEST)

    with at(D, hours=1):
        project_record_progress(project=project, by=curator, note="Встреча назначена")
        counts = reminders_send_due(today=D)

    assert counts == {"released": 0, "found": 0, "cancelled": 2}  # the digest and the stale reminder
    assert_cancelled(digest, "Nothing is left to report.", mailoutbox)
