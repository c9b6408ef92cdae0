"""The admin's import pages, for any ModelAdmin that lists its imports (ImportAdminMixin.imports):
the upload form, the job's page (the preview with its confirmation, the progress of a large file,
the result), its JSON status for the progress bar, and each import's template workbook.

An import into a mission or an agreement is reached from that record's page
(`<id>/import/<kind>/`); one into the directory from the changelist (`import/<kind>/`)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..exceptions import PortalError
from ..models import ImportJob
from ..roles import can_edit
from .base import Importer
from .services import (
    import_job_claim,
    import_job_create,
    import_job_progress,
    import_job_run,
    import_job_target,
    runs_in_background,
)
from .tasks import run_import_task
from .workbook import rows_workbook, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file (.csv, UTF-8 or Windows-1251, “;” or “,” between columns)."
        ),
    )


def import_start(job: ImportJob, *, apply: bool, by) -> ImportJob:
    """Claim the job and run it: inline for a small file, in a Celery task after the commit for a large one."""
    if import_job_claim(job=job, apply=apply, by=by):
        if runs_in_background(job):
            transaction.on_commit(lambda: run_import_task.delay(job.pk, apply))
        else:
            import_job_run(job_id=job.pk, apply=apply)
        job.refresh_from_db()
    return job


class ImportAdminMixin:
    imports: tuple[Importer, ...] = ()

    def _url_name(self, suffix: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        urls = []
        if self.imports:
            upload = "<int:object_id>/import/<slug:kind>/" if self.imports[0].target_model else "import/<slug:kind>/"
            urls = [
                path(upload, wrap(self.import_upload_view), name=self._url_name("import")),
                path(
                    "import/<slug:kind>/template/",
                    wrap(self.import_template_view),
                    name=self._url_name("import_template"),
                ),
                path("import/job/<int:job_id>/", wrap(self.import_job_view), name=self._url_name("import_job")),
                path(
                    "import/job/<int:job_id>/status/",
                    wrap(self.import_status_view),
                    name=self._url_name("import_status"),
                ),
            ]
            if any(hasattr(importer, "export_rows") for importer in self.imports):
                urls.append(
                    path(
                        "<int:object_id>/import/<slug:kind>/rows/",
                        wrap(self.import_rows_view),
                        name=self._url_name("import_rows"),
                    )
                )
        return [*urls, *super().get_urls()]

    def import_links(self, request, obj=None) -> list[dict]:
        """The import buttons of a changelist (obj None) or of a record's page: those the user may use."""
        links = []
        for importer in self.imports:
            if importer.target_model is not None and (obj is None or not can_edit(request.user, obj)):
                continue
            if importer.target_model is None and not can_edit(request.user):
                continue
            kwargs = {"kind": importer.kind} | ({"object_id": obj.pk} if importer.target_model else {})
            links.append({"title": importer.title, "url": reverse(f"admin:{self._url_name('import')}", kwargs=kwargs)})
        return links

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_links": self.import_links(request)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "import_links": self.import_links(request, obj) if obj else []}
        return super().change_view(request, object_id, form_url, extra_context)

    def _importer(self, kind: str) -> Importer:
        for importer in self.imports:
            if importer.kind == kind:
                return importer
        raise Http404

    def _context(self, request, importer: Importer, target, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "importer": importer,
            "target": target,
            "title": gettext("Import: %(what)s") % {"what": importer.title},
            "template_url": reverse(f"admin:{self._url_name('import_template')}", kwargs={"kind": importer.kind}),
            "columns": importer.columns,
            "max_megabytes": int(getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)) // (1024 * 1024),
            **extra,
        }

    def import_upload_view(self, request, kind, object_id=None):
        importer = self._importer(kind)
        target = None
        if importer.target_model is not None:
            target = get_object_or_404(importer.target_model, pk=object_id)
        refusal = None
        try:
            importer.check_target(by=request.user, target=target)
        except PortalError as exc:
            refusal = " ".join(exc.messages)
        # The admin's model permissions too: an import adds and changes rows as the admin's forms do.
        allowed = self.has_change_permission(request, target) if target else self.has_add_permission(request)
        if refusal is None and not allowed:
            refusal = gettext("You may not import records.")
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if refusal is None and request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                limit = int(getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024))
                data = upload.read(limit + 1)  # a larger file is refused without reading it all
                job = import_job_create(
                    importer=importer, data=data, filename=upload.name, target=target, by=request.user
                )
                import_start(job, apply=False, by=request.user)
            except PortalError as exc:
                form.add_error("file", exc)
            else:
                return redirect(f"admin:{self._url_name('import_job')}", job_id=job.pk)
        rows_url = None
        if target is not None and hasattr(importer, "export_rows") and self.has_view_permission(request, target):
            rows_url = reverse(
                f"admin:{self._url_name('import_rows')}", kwargs={"object_id": target.pk, "kind": importer.kind}
            )
        context = self._context(request, importer, target, form=form, refusal=refusal, rows_url=rows_url)
        return TemplateResponse(request, "admin/imports/upload.html", context, status=403 if refusal else 200)

    def import_rows_view(self, request, object_id, kind):
        """The record's current rows in the import's own layout (a delegation or a B2B schedule), to
        import into another mission: anyone who may view the record in the admin downloads them."""
        importer = self._importer(kind)
        if not hasattr(importer, "export_rows"):
            raise Http404
        target = get_object_or_404(importer.target_model, pk=object_id)
        if not self.has_view_permission(request, target):
            raise PermissionDenied
        response = HttpResponse(rows_workbook(importer, importer.export_rows(target)), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{importer.kind}-{target.pk}.xlsx"'
        return response

    def _job(self, request, job_id: int) -> ImportJob:
        jobs = ImportJob.objects.filter(kind__in=[importer.kind for importer in self.imports])
        if not request.user.is_superuser:
            jobs = jobs.filter(created_by=request.user)
        return get_object_or_404(jobs, pk=job_id)

    def import_job_view(self, request, job_id):
        job = self._job(request, job_id)
        importer = self._importer(job.kind)
        target = import_job_target(job)
        if request.method == "POST":
            try:
                import_start(job, apply=True, by=request.user)
            except PortalError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect(f"admin:{self._url_name('import_job')}", job_id=job.pk)
        context = self._context(
            request,
            importer,
            target,
            job=job,
            processed=import_job_progress(job),
            status_url=reverse(f"admin:{self._url_name('import_status')}", kwargs={"job_id": job.pk}),
            upload_url=reverse(
                f"admin:{self._url_name('import')}",
                kwargs={"kind": importer.kind} | ({"object_id": job.target_id} if importer.target_model else {}),
            )
            if importer.target_model is None or target is not None
            else "",
            target_url=self._target_url(target),
            results=[result for result in job.results if result["action"] != "unchanged"],
        )
        return TemplateResponse(request, "admin/imports/job.html", context)

    def _target_url(self, target) -> str:
        if target is None:
            return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return reverse(f"admin:{target._meta.app_label}_{target._meta.model_name}_change", args=[target.pk])

    def import_status_view(self, request, job_id):
        job = self._job(request, job_id)
        return JsonResponse(
            {
                "status": job.status,
                "running": job.is_running,
                "processed": import_job_progress(job),
                "total": job.total,
            }
        )

    def import_template_view(self, request, kind):
        importer = self._importer(kind)
        if not can_edit(request.user):
            raise PermissionDenied
        response = HttpResponse(template_workbook(importer), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="import-{importer.kind}.xlsx"'
        return response
