"""The admin's «Выгрузить в Excel» and «CSV» links: every changelist exports what it shows, after its
filters and search (companies.export_jobs); a large workbook is written by a task and offered on a
status page that asks for news (static/js/export_job.js)."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .export_jobs import (
    changelist_columns,
    changelist_filename,
    changelist_rows,
    export_job_create,
    export_job_path,
)
from .exports import csv_response, xlsx_response
from .models import ExportJob
from .tasks import export_changelist_task


class ExportMixin:
    """For a ModelAdmin: /export/csv/ and /export/xlsx/ beside its changelist, with its query string."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        view = self.admin_site.admin_view(self.export_view)
        return [
            path("export/csv/", view, {"export_format": "csv"}, name=f"{name}_csv"),
            path("export/xlsx/", view, {"export_format": "xlsx"}, name=f"{name}_xlsx"),
            *super().get_urls(),
        ]

    def export_view(self, request, export_format):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        changelist_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(request, _("The list's filters could not be read: nothing was exported."), messages.ERROR)
            return redirect(changelist_url)
        if export_format == "xlsx" and changelist.result_count > settings.EXPORT_INLINE_MAX_ROWS:
            job = export_job_create(
                user=request.user, model=self.model, query=request.GET.urlencode(), language=request.LANGUAGE_CODE
            )
            transaction.on_commit(lambda: export_changelist_task.delay(str(job.pk)))
            return redirect("exports:job", job_id=job.pk)
        rows, columns = changelist_rows(changelist), changelist_columns(self, changelist)
        filename = changelist_filename(self.model)
        if export_format == "csv":
            return csv_response(rows, columns, filename=filename)
        return xlsx_response(rows, columns, filename=filename, title=str(capfirst(self.opts.verbose_name_plural)))


# --- A large export's page ------------------------------------------------------------------------


def _job_of(request, job_id) -> ExportJob:
    """The user's own export; anyone else's is not found."""
    return get_object_or_404(ExportJob, pk=job_id, user=request.user)


def _status(job: ExportJob) -> dict:
    return {
        "state": job.state,
        "label": str(job.get_state_display()),
        "rows": job.row_count,
        "download_url": reverse("exports:job-download", args=[job.pk]) if job.state == ExportJob.State.DONE else "",
    }


def job_view(request, job_id):
    job = _job_of(request, job_id)
    context = {
        **admin.site.each_context(request),
        "title": _("Export to Excel"),
        "job": job,
        "status": _status(job),
        "status_url": reverse("exports:job-status", args=[job.pk]),
    }
    return TemplateResponse(request, "admin/export_job.html", context)


def job_status_view(request, job_id):
    return JsonResponse(_status(_job_of(request, job_id)))


def job_download_view(request, job_id):
    job = _job_of(request, job_id)
    if job.state != ExportJob.State.DONE or not export_job_path(job).is_file():
        raise Http404(_("This export is not ready."))
    return FileResponse(export_job_path(job).open("rb"), as_attachment=True, filename=job.download_name)


urlpatterns = [
    path("<uuid:job_id>/", admin.site.admin_view(job_view), name="job"),
    path("<uuid:job_id>/status/", admin.site.admin_view(job_status_view), name="job-status"),
    path("<uuid:job_id>/download/", admin.site.admin_view(job_download_view), name="job-download"),
]
