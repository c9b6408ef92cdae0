"""Celery tasks of the follow-up engine: thin, named wrappers over its services. They take ids and
return quietly when a row is gone.

The database holds what is due and what was sent; a task that runs twice, or on two workers,
sends nothing twice (see agreements.followup.delivery).
"""

from celery import shared_task

from .delivery import SEND_TASK, reminder_send, reminders_due_ids, reminders_enqueue, reminders_release_stuck
from .scan import reminders_scan


@shared_task(name="agreements.scan_reminders", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def scan_reminders_task() -> int:
    """Write the reminders due today (hourly, by beat), then hand the due ones to the workers."""
    found = reminders_scan()
    reminders_enqueue(reminders_due_ids())
    return found


@shared_task(name="agreements.dispatch_reminders", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def dispatch_reminders_task() -> int:
    """Release reminders whose worker died and hand every due one to the workers (every minute)."""
    reminders_release_stuck()
    due = reminders_due_ids()
    reminders_enqueue(due)
    return len(due)


@shared_task(name=SEND_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_reminder_task(reminder_id: int) -> str:
    """Send one reminder unless it is sent, taken by another worker, or not due."""
    return reminder_send(reminder_id)
