"""Exports of the admin's changelists: the columns of a changelist (its list_display, callables
included), its rows after the filters, the search and the role scoping of get_queryset (Django's
ChangeList machinery, so the export is the list the user sees, every page of it), and the large
XLSX exports written by a Celery task (ExportJob).
"""

import datetime
import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.db import models
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation
from django.utils.text import capfirst

from .exports import Column, export_filename, xlsx_write
from .models import ExportJob

logger = logging.getLogger(__name__)

# A written workbook is kept this long for its download, then removed with its job.
EXPORT_KEEP = datetime.timedelta(days=1)


def changelist_columns(model_admin, changelist) -> list[Column]:
    """The changelist's columns, headed as on the page."""
    columns = []
    for name in changelist.list_display:
        if name == "action_checkbox":
            continue
        title = label_for_field(name, changelist.model, model_admin)
        columns.append(Column(str(capfirst(title)), _column_reader(name, model_admin)))
    return columns


def _column_reader(name, model_admin):
    def read(obj):
        field, attr, value = lookup_field(name, obj, model_admin)
        if field is None:
            if getattr(attr, "boolean", False) and value is not None:
                return bool(value)
            return value
        if isinstance(field, models.Field) and field.flatchoices and value is not None:
            return dict(field.flatchoices).get(value, value)
        return value

    return read


def changelist_rows(changelist) -> models.QuerySet:
    """All the rows of the changelist (not only its page), in its order and with its joins."""
    return changelist.queryset


def changelist_filename(model) -> str:
    return export_filename(model._meta.model_name)


# --- Large XLSX exports, written by a task --------------------------------------------------------


def export_job_create(*, user, model, query: str, language: str = "") -> ExportJob:
    """A new export job; the jobs older than EXPORT_KEEP go, with their files."""
    export_jobs_expire(now=timezone.now())
    return ExportJob.objects.create(
        user=user, app_label=model._meta.app_label, model_name=model._meta.model_name, query=query, language=language
    )


def export_jobs_expire(*, now: datetime.datetime) -> int:
    """Remove the jobs created more than EXPORT_KEEP before `now`, and their files; how many."""
    expired = list(ExportJob.objects.filter(created_at__lt=now - EXPORT_KEEP))
    for job in expired:
        if job.file_name:
            export_job_path(job).unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)


def export_job_path(job: ExportJob):
    return settings.EXPORT_DIR / job.file_name


def _request_for(job: ExportJob) -> HttpRequest:
    """The changelist's request as the user made it: their user and the page's query string."""
    request = HttpRequest()
    request.method = "GET"
    request.user = job.user
    request.GET = QueryDict(job.query)
    return request


def export_job_run(job_id) -> ExportJob | None:
    """Write the job's workbook: the changelist the user saw, rebuilt for them now (rows they can no
    longer see are left out). Claimed first, so a second delivery of the task does nothing."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.PENDING).update(state=ExportJob.State.RUNNING)
    if claimed != 1:
        return None
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):  # headers and «да»/«нет» as on the page
        _write(job)
    job.finished_at = timezone.now()
    job.save()
    return job


def _write(job: ExportJob) -> None:
    try:
        model_admin = admin.site._registry[apps.get_model(job.app_label, job.model_name)]
        model = model_admin.model
        request = _request_for(job)
        if not model_admin.has_view_or_change_permission(request):
            raise PermissionError("the user may no longer see this list")
        changelist = model_admin.get_changelist_instance(request)
        settings.EXPORT_DIR.mkdir(parents=True, exist_ok=True)
        job.file_name = f"{uuid.uuid4().hex}.xlsx"
        job.download_name = f"{changelist_filename(model)}.xlsx"
        job.row_count = xlsx_write(
            changelist_rows(changelist),
            changelist_columns(model_admin, changelist),
            export_job_path(job),
            title=str(capfirst(model._meta.verbose_name_plural)),
        )
        job.state = ExportJob.State.DONE
    except Exception as exc:  # the page says it failed; the log keeps why
        logger.exception("Export %s failed", job.pk)
        job.state, job.error = ExportJob.State.FAILED, exc.__class__.__name__
        if job.file_name:
            export_job_path(job).unlink(missing_ok=True)
