"""Sending reminders: claim, send, mark sent — or put back with the error, and give up after a limit.

A row moves pending → sending (claimed with a conditional update, so only one worker has it) →
sent; a failure puts it back to pending with its error, attempt count and the time of the next
try, or, past REMINDER_MAX_ATTEMPTS, to failed, where the admin shows it. A row whose worker died
stays in sending until REMINDER_SENDING_TIMEOUT_SECONDS passes and is then released.
"""

import datetime
import logging

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CooperationProject, Reminder
from .digest import followup_digest_for
from .letters import REGISTERED_LETTERS, reminder_message
from .policy import ACTIVE_PLAN_STATUSES, activity_date, reminder_policy_get
from .scan import reminders_scan

logger = logging.getLogger(__name__)

MAX_BACKOFF = datetime.timedelta(hours=6)
SEND_TASK = "agreements.send_reminder"


# --- The state machine ------------------------------------------------------------------------


def reminder_obsolete_reason(reminder: Reminder) -> str:
    """Why a pending reminder should no longer go out ('' if it should): things changed since the scan."""
    registered = REGISTERED_LETTERS.get(reminder.kind)
    if registered is not None:
        return registered.obsolete(reminder) if registered.obsolete else ""
    project, item = reminder.project, reminder.plan_item
    if project is not None and project.stage in CooperationProject.CLOSED_STAGES:
        return _("The project is closed.")
    if reminder.kind in (Reminder.Kind.PROJECT_STALE, Reminder.Kind.ESCALATION):
        since = reminder.period.split("#")[0]
        if activity_date(project).isoformat() != since:
            return _("The project has had activity since.")
    step_kinds = (Reminder.Kind.NEXT_STEP_DUE, Reminder.Kind.NEXT_STEP_OVERDUE)
    if reminder.kind in step_kinds and (
        not project.next_step_due or project.next_step_due.isoformat() != reminder.period
    ):
        return _("The next step has changed since.")
    if item is not None and (
        item.status not in ACTIVE_PLAN_STATUSES or not item.due_date or item.due_date.isoformat() != reminder.period
    ):
        return _("The plan item has changed since.")
    if (
        reminder.kind == Reminder.Kind.DIGEST
        and followup_digest_for(reminder.organization, today=reminder.due_on, policy=reminder_policy_get()).is_empty
    ):
        return _("Nothing is left to report.")
    return ""


def retry_delay(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(seconds=settings.REMINDER_RETRY_SECONDS * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def reminder_claim(reminder_id: int) -> Reminder | None:
    """Take a pending reminder whose time has come, for this worker only; None if it is not there
    to take (sent, taken by another worker, not due yet, gone)."""
    now = timezone.now()
    claimed = Reminder.objects.filter(pk=reminder_id, state=Reminder.State.PENDING, next_attempt_at__lte=now).update(
        state=Reminder.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return None
    return Reminder.objects.select_related(
        "project__curator", "plan_item__agreement", "plan_item__responsible_organization", "organization",
        "recipient_user", "recipient_person",
    ).get(pk=reminder_id)  # fmt: skip


def _finish(reminder: Reminder, **fields) -> bool:
    """Leave the sending state, only if this worker still holds the claim."""
    return bool(
        Reminder.objects.filter(pk=reminder.pk, state=Reminder.State.SENDING, claimed_at=reminder.claimed_at).update(
            claimed_at=None, **fields
        )
    )


def reminder_send(reminder_id: int) -> str:
    """Send one reminder if it is due and nobody else has it. Returns what happened: 'sent',
    'cancelled' (no longer relevant), 'retry' (failed, will be tried again), 'failed' (gave up), or
    'skipped' (not ours to send)."""
    reminder = reminder_claim(reminder_id)
    if reminder is None:
        return "skipped"
    reason = reminder_obsolete_reason(reminder)
    if reason:
        _finish(reminder, state=Reminder.State.CANCELLED, last_error=reason)
        return "cancelled"
    try:
        reminder_message(reminder).send()
    except Exception as exc:  # noqa: BLE001 - any failure of rendering or the mail server is recorded on the row
        logger.warning("Reminder %s: attempt %s failed: %s", reminder.pk, reminder.attempts, exc)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
            _finish(reminder, state=Reminder.State.FAILED, last_error=error)
            return "failed"
        _finish(
            reminder,
            state=Reminder.State.PENDING,
            last_error=error,
            next_attempt_at=timezone.now() + retry_delay(reminder.attempts),
        )
        return "retry"
    if not _finish(reminder, state=Reminder.State.SENT, sent_at=timezone.now(), last_error=""):
        logger.error("Reminder %s was sent after its claim had been released.", reminder.pk)
    return "sent"


def reminders_release_stuck() -> int:
    """Put back reminders whose worker died while sending (claimed longer ago than the timeout)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.REMINDER_SENDING_TIMEOUT_SECONDS)
    stuck = Reminder.objects.filter(state=Reminder.State.SENDING, claimed_at__lt=cutoff)
    note = _("Released: the worker sending it stopped before finishing.")
    gave_up = stuck.filter(attempts__gte=settings.REMINDER_MAX_ATTEMPTS).update(
        state=Reminder.State.FAILED, claimed_at=None, last_error=note
    )
    released = stuck.update(state=Reminder.State.PENDING, claimed_at=None, last_error=note)
    if gave_up or released:
        logger.warning("Released %s stuck reminders, gave up on %s.", released, gave_up)
    return released + gave_up


def reminders_due_ids(limit: int = 1000) -> list[int]:
    return list(
        Reminder.objects.filter(state=Reminder.State.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def reminders_enqueue(ids) -> None:
    """Hand reminders to the workers once the transaction that made them commits. A broker that
    does not answer loses nothing: the rows stay pending and the next dispatch sends them."""

    def publish():
        for pk in ids:
            try:
                # By name: the task module imports this one (a task is a thin wrapper over a service).
                current_app.signature(SEND_TASK, args=(pk,)).delay()
            except Exception as exc:  # noqa: BLE001 - kombu raises several kinds when the broker is down
                logger.warning("Broker unavailable, %s reminders wait for the next dispatch: %s", len(ids), exc)
                return

    transaction.on_commit(publish)


@transaction.atomic
def reminders_retry(*, queryset, by=None) -> int:
    """Send failed or cancelled reminders again, from the first attempt."""
    ids = list(
        Reminder.objects.filter(
            pk__in=queryset.values("pk"), state__in=[Reminder.State.FAILED, Reminder.State.CANCELLED]
        ).values_list("pk", flat=True)
    )
    changed = Reminder.objects.filter(pk__in=ids).update(
        state=Reminder.State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    reminders_enqueue(ids)
    return changed


@transaction.atomic
def reminders_cancel(*, queryset, by=None) -> int:
    """Stop reminders that have not gone out (pending or failed)."""
    rows = Reminder.objects.filter(pk__in=queryset.values("pk"))
    return rows.filter(state__in=[Reminder.State.PENDING, Reminder.State.FAILED]).update(
        state=Reminder.State.CANCELLED, last_error=_("Cancelled by %(who)s.") % {"who": by or "—"}
    )


def reminders_send_due(*, today: datetime.date | None = None) -> dict[str, int]:
    """Scan and send in this process, without a broker (`manage.py send_reminders`, cron, the
    embedded default). Returns how many reminders were found and how each send ended."""
    counts = {"released": reminders_release_stuck(), "found": reminders_scan(today=today)}
    for pk in reminders_due_ids(limit=100_000):
        outcome = reminder_send(pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
