"""Celery tasks of agreements: thin, named wrappers over services (the follow-up engine's are in
agreements.followup.tasks)."""

from celery import shared_task

from agreements.services.agreements import agreements_refresh_statuses


@shared_task(name="agreements.refresh_statuses", acks_late=True, reject_on_worker_lost=True)
def refresh_agreement_statuses_task() -> int:
    """Bring signed agreements into force and expire those past their term (daily, by beat)."""
    return agreements_refresh_statuses()
