"""Celery tasks of the directory: thin, named wrappers over its services (Celery's autodiscovery
reads this module)."""

from celery import shared_task

from .export_jobs import export_job_run
from .imports.tasks import run_import_task

__all__ = ["export_changelist_task", "run_import_task"]


@shared_task(name="companies.export_changelist", acks_late=True, reject_on_worker_lost=True)
def export_changelist_task(job_id: str) -> int | None:
    """Write a large changelist export to its file (companies.export_jobs); the number of rows."""
    job = export_job_run(job_id)
    return job.row_count if job else None
