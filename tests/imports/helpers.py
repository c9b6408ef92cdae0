from companies.imports.services import import_job_claim, import_job_create, import_job_run


def check_and_import(importer, data: bytes, name: str, *, by, target=None):
    """Upload, preview and confirm as the pages do; returns (the preview's job, the import's job)."""
    job = import_job_create(importer=importer, data=data, filename=name, target=target, by=by)
    assert import_job_claim(job=job, apply=False, by=by)
    preview = import_job_run(job_id=job.pk, apply=False)
    preview_counts = (preview.created, preview.updated, preview.unchanged, list(preview.errors))
    if preview.errors:
        return preview_counts, None
    assert import_job_claim(job=preview, apply=True, by=by)
    done = import_job_run(job_id=job.pk, apply=True)
    return preview_counts, done
