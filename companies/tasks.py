"""Celery tasks of the directory (Celery's autodiscovery reads this module)."""

from .imports.tasks import run_import_task

__all__ = ["run_import_task"]
