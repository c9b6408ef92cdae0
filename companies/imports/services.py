"""The writes of an import: reading the upload into a job, the dry run that is its preview, and the
import itself — every row through the app's services, all in one transaction or none.

The preview is the import run inside a transaction that is rolled back: what it says will be
created, updated or left alone is what the same code does on confirmation, rows that depend on
earlier rows of the file (a person of an organization the file adds) included.
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import PortalError
from ..models import ImportJob
from .base import Context, Importer, RowError, importer_for
from .columns import match_headers
from .reader import read_table

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 20


def _encode(value):
    """A cell as JSON: dates and times tagged, so the run reads them back as they were."""
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    if isinstance(value, int | float | str) or value is None:
        return value
    return str(value)


def _decode(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return datetime.date.fromisoformat(value["date"])
        if "time" in value:
            return datetime.time.fromisoformat(value["time"])
    return value


@transaction.atomic
def import_job_create(*, importer: Importer, data: bytes, filename: str, target=None, by) -> ImportJob:
    """Read an uploaded file into a new job (nothing else is written). Refuses a user who may not
    import into the target, a hostile or unreadable file, and one without the columns it needs."""
    importer.check_target(by=by, target=target)
    table = read_table(data, filename)
    matched = match_headers(table.headers, importer.columns)
    if matched.missing:
        raise PortalError(
            _("The file has no column %(columns)s. The first row of the sheet holds the headers; see the template.")
            % {"columns": ", ".join(f"«{column.header}»" for column in matched.missing)},
            code="missing_columns",
        )
    if not table.rows:
        raise PortalError(_("The file has headers but no rows to import."), code="no_rows")
    rows = []
    for line, cells in table.rows:
        values = {key: _encode(cells[index]) if index < len(cells) else "" for key, index in matched.positions.items()}
        rows.append({"line": line, "cells": values})
    job = ImportJob(
        kind=importer.kind,
        target_id=getattr(target, "pk", None),
        created_by=by,
        filename=filename[:255],
        headers=[str(header) for header in table.headers],
        ignored_headers=matched.ignored,
        rows=rows,
        total=len(rows),
    )
    job.full_clean()
    job.save()
    return job


def import_job_target(job: ImportJob):
    importer = importer_for(job.kind)
    if importer.target_model is None:
        return None
    return importer.target_model._default_manager.filter(pk=job.target_id).first()


def runs_in_background(job: ImportJob) -> bool:
    return job.total > int(getattr(settings, "IMPORT_INLINE_MAX_ROWS", 300))


def import_job_claim(*, job: ImportJob, apply: bool, by) -> bool:
    """Mark a job as being checked (apply=False) or imported, for its run to follow (inline, or a
    Celery task for a large file: runs_in_background). False: it is already running or imported."""
    if job.created_by_id != by.pk and not by.is_superuser:
        raise PortalError(_("This import was started by another user."), code="foreign_job")
    if apply and job.status != ImportJob.Status.CHECKED:
        raise PortalError(_("Check the file before importing it."), code="not_checked")
    if apply and job.errors:
        raise PortalError(_("Correct the rows with errors and upload the file again."), code="has_errors")
    running = ImportJob.Status.APPLYING if apply else ImportJob.Status.CHECKING
    claimed = (
        ImportJob.objects.filter(pk=job.pk)
        .exclude(status__in=(*ImportJob.RUNNING, ImportJob.Status.DONE))
        .update(status=running, processed=0)
    )
    job.refresh_from_db()
    return claimed == 1


def progress_key(job_id: int) -> str:
    return f"imports:job:{job_id}:processed"


def import_job_progress(job: ImportJob) -> int:
    """Rows processed so far: the running transaction's count (in the cache, as the job row is
    written only when the transaction ends), else the job's."""
    if job.is_running:
        return int(cache.get(progress_key(job.pk)) or 0)
    return job.processed


class _DryRun(Exception):
    """Rolls the dry run (or a refused import) back."""


def import_job_run(*, job_id: int, apply: bool) -> ImportJob | None:
    """Run the rows of a job through its importer in one transaction: kept when `apply` and no row
    failed, else rolled back. Records per-row results and errors on the job."""
    job = ImportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None:
        return None
    importer = importer_for(job.kind)
    target = import_job_target(job)
    results, errors = [], []
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    refused = None
    try:
        with transaction.atomic():
            if importer.target_model is not None and target is None:
                raise PortalError(_("The record to import into no longer exists."), code="target_gone")
            importer.check_target(by=job.created_by, target=target)
            context = Context(target=target, by=job.created_by)
            for number, row in enumerate(job.rows, start=1):
                cells = {key: _decode(value) for key, value in row["cells"].items()}
                try:
                    with transaction.atomic():
                        action, described = importer.import_row(context, cells)
                except RowError as exc:
                    errors.append(_row_error(importer, row["line"], exc.column, exc.message))
                except ValidationError as exc:
                    for key, message in importer.error_column(exc):
                        errors.append(_row_error(importer, row["line"], key, message))
                except IntegrityError:
                    errors.append(
                        _row_error(importer, row["line"], "", _("The row contradicts a record saved before."))
                    )
                except (ValueError, TypeError, ArithmeticError):
                    # A cell no rule foresaw (a number where text belongs, an overflow): the row is
                    # refused and the rest of the file still checked; the log keeps the details.
                    logger.exception("import job %s: row %s could not be read", job.pk, row["line"])
                    errors.append(_row_error(importer, row["line"], "", _("The row cannot be read.")))
                else:
                    counts[action] += 1
                    results.append({"line": row["line"], "action": action, "text": described})
                if number % PROGRESS_EVERY == 0:
                    cache.set(progress_key(job.pk), number, timeout=3600)
            if errors or not apply:
                raise _DryRun
    except _DryRun:
        pass
    except PortalError as exc:
        refused = exc
    cache.delete(progress_key(job.pk))
    job.refresh_from_db()
    job.processed = len(job.rows)
    job.results, job.errors = results, errors
    job.created, job.updated, job.unchanged = counts["created"], counts["updated"], counts["unchanged"]
    if refused is not None:
        job.errors = [_row_error(importer, None, "", message) for message in refused.messages]
        job.status = ImportJob.Status.FAILED
    elif apply and not errors:
        job.status = ImportJob.Status.DONE
    else:
        job.status = ImportJob.Status.CHECKED
    if job.status != ImportJob.Status.CHECKED or job.errors:
        job.rows = []  # imported, refused or to be uploaded again corrected: the file's rows are not kept
    job.finished_at = timezone.now()
    job.save()
    return job


def _row_error(importer: Importer, line, key: str, message) -> dict:
    return {"line": line, "column": importer.header(key) if key else "", "message": str(message)}
