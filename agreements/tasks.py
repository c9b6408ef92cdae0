"""Celery tasks: thin, named wrappers over services. They take ids and return quietly when a row is gone.

The database holds what is due and what was sent; a task that runs twice, or on two workers,
sends nothing twice (see agreements.services.delivery).
"""

from celery import shared_task


@shared_task(name="agreements.refresh_statuses", acks_late=True, reject_on_worker_lost=True)
def refresh_agreement_statuses_task() -> int:
    """Bring signed agreements into force and expire those past their term (daily, by beat)."""
    from agreements.services import agreements_refresh_statuses

    return agreements_refresh_statuses()


@shared_task(name="agreements.scan_reminders", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def scan_reminders_task() -> int:
    """Write the reminders due today (hourly, by beat), then hand the due ones to the workers."""
    from agreements.services.delivery import reminders_due_ids, reminders_enqueue
    from agreements.services.reminders import reminders_scan

    found = reminders_scan()
    reminders_enqueue(reminders_due_ids())
    return found


@shared_task(name="agreements.dispatch_reminders", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def dispatch_reminders_task() -> int:
    """Release reminders whose worker died and hand every due one to the workers (every minute)."""
    from agreements.services.delivery import reminders_due_ids, reminders_enqueue, reminders_release_stuck

    reminders_release_stuck()
    due = reminders_due_ids()
    reminders_enqueue(due)
    return len(due)


@shared_task(name="agreements.send_reminder", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_reminder_task(reminder_id: int) -> str:
    """Send one reminder unless it is sent, taken by another worker, or not due."""
    from agreements.services.delivery import reminder_send

    return reminder_send(reminder_id)
