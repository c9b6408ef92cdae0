"""Celery task of the imports: a thin, named wrapper over the service (found through companies.tasks)."""

from celery import shared_task

from .services import import_job_run


@shared_task(name="companies.run_import", acks_late=True, reject_on_worker_lost=True)
def run_import_task(job_id: int, apply: bool) -> None:
    """Check or import a large uploaded file; a job that is gone is skipped."""
    import_job_run(job_id=job_id, apply=apply)
