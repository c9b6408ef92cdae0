"""The background jobs of `make bench`, each in a process of its own (its peak memory is its own):

    .venv/bin/python tests/bench/jobs.py scan|send|export|import [N]

run by `run_bench.py` with the bench database's environment. Each job works inside one transaction
that it rolls back at the end, so the generated data stays as it was for the next run. It prints one
line of JSON: the seconds of each step, the rows, and the process's peak resident memory (MB) —
`baseline_mb` is the peak after Django and the models were loaded, before the job's work.

- scan: the hourly follow-up scan (`agreements.followup.scan.reminders_scan`) over every project: the
  time to select the keys of the first batch of projects that may be due, to load that batch with what
  the rules read, the first scan (it writes the rows), a second one that finds nothing new.
- send: the scan, then up to N (10,000) of the reminders it wrote sent one by one
  (`agreements.followup.delivery.reminder_send`, as the workers do) to an SMTP server of this process.
- export: N meetings (5,000 or 50,000) written as an XLSX file the way every export writes
  (`companies.exports.xlsx_write` over a queryset read in chunks).
- import: a delegation list of N rows (10,000) checked and then imported into a new mission through
  the import services (`companies.imports.services`), as the admin's import page runs them.
"""

import csv
import io
import json
import logging
import os
import resource
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Rollback(Exception):
    """Raised at the end of a job: the transaction it ran in is rolled back."""


def peak_mb() -> float:
    """The process's peak resident memory: /proc's VmHWM, of this program only (getrusage's ru_maxrss
    keeps the peak of the process before its exec, i.e. of the parent that started this job)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def job_scan(result: dict) -> None:
    from django.utils import timezone

    from agreements.followup import scan

    today = timezone.localdate()
    policy = scan.reminder_policy_get()
    maybe_due = scan.projects_maybe_due(scan.projects_followed(), policy, today)
    ids, result["select_batch_s"] = timed(lambda: list(maybe_due.values_list("pk", flat=True)[: scan.SCAN_BATCH]))
    result["batch_rows"] = len(ids)
    _first, result["load_batch_s"] = timed(next, scan._batches(maybe_due), [])  # the keys, then their rows
    result["written"], result["scan_s"] = timed(scan.reminders_scan, today=today)
    result["written_again"], result["scan_again_s"] = timed(scan.reminders_scan, today=today)


def job_send(result: dict, n: int) -> None:
    from aiosmtpd.controller import Controller
    from django.test import override_settings
    from django.utils import timezone

    from agreements.followup.delivery import reminder_send
    from agreements.followup.scan import reminders_scan
    from agreements.models import Reminder

    class Sink:
        received = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            Sink.received += 1
            return "250 OK"

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO
    result["written"], result["scan_s"] = timed(reminders_scan, today=timezone.localdate())
    ids = list(Reminder.objects.filter(state=Reminder.State.PENDING).order_by("pk").values_list("pk", flat=True)[:n])
    with socket.socket() as probe:  # a free port (aiosmtpd checks it is up by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ):
            outcomes, result["send_s"] = timed(lambda: [reminder_send(pk) for pk in ids])
    finally:
        controller.stop()
    result["to_send"] = len(ids)
    result["sent"] = outcomes.count("sent")
    result["cancelled"] = outcomes.count("cancelled")
    result["received"] = Sink.received


def job_export(result: dict, n: int) -> None:
    from companies.exports import model_columns, xlsx_write
    from missions.models import Meeting

    columns = model_columns(Meeting, ["mission", "organization_a", "organization_b", "date", "status", "outcome"])
    rows = Meeting.objects.select_related("mission", "organization_a", "organization_b").order_by("pk")[:n]
    with tempfile.TemporaryFile() as target:
        result["rows"], result["export_s"] = timed(xlsx_write, rows, columns, target, title="Meetings")
        result["file_kb"] = target.tell() // 1024


def job_import(result: dict, n: int) -> None:
    from django.contrib.auth import get_user_model

    from companies.imports.services import import_job_claim, import_job_create, import_job_run
    from companies.models import Organization
    from missions.imports import DelegationImporter
    from missions.models import Mission

    by = get_user_model().objects.filter(is_superuser=True).order_by("pk").first() or get_user_model().objects.create(
        username="bench-importer", is_staff=True, is_superuser=True
    )
    template = Mission.objects.order_by("pk").first()
    mission = Mission.objects.create(
        title="Бенчмарк: делегация на 10 000 строк",
        slug="bench-import-mission",
        organizer=template.organizer,
        recorded_by=template.recorded_by,
        origin_region=template.origin_region,
        start_date=template.start_date,
        end_date=template.end_date,
    )
    mission.destination_regions.set(template.destination_regions.all())
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Организация", "ИНН", "Регион", "ФИО", "Должность", "Телефон", "E-mail", "Роль"])
    organizations = Organization.objects.select_related("region").exclude(inn="").order_by("pk")[:n]
    for i, organization in enumerate(organizations):
        writer.writerow(
            [organization.name, organization.inn, organization.region.name, f"Иванов Иван Иванович {i}",
             "Директор", "", f"person{i}@bench.example", "участник"]
        )  # fmt: skip
    data = buffer.getvalue().encode("utf-8")
    result["rows"] = len(organizations)
    with override_rows(n):
        job, result["read_s"] = timed(
            import_job_create,
            importer=DelegationImporter(),
            data=data,
            filename="delegation.csv",
            target=mission,
            by=by,
        )
        import_job_claim(job=job, apply=False, by=by)
        job, result["check_s"] = timed(import_job_run, job_id=job.pk, apply=False)
        result["errors"] = len(job.errors or [])
        import_job_claim(job=job, apply=True, by=by)
        job, result["import_s"] = timed(import_job_run, job_id=job.pk, apply=True)
    result["members"] = mission.delegation.count()


def override_rows(n: int):
    from django.test import override_settings

    return override_settings(IMPORT_MAX_ROWS=max(n, 5000), IMPORT_MAX_BYTES=64 * 1024 * 1024)


def main(argv: list[str]) -> None:
    name, n = argv[0], int(argv[1]) if len(argv) > 1 else 0
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import transaction

    import agreements.models  # noqa: F401 - the models loaded before the baseline is taken
    import missions.models  # noqa: F401

    result = {"job": name, "n": n, "baseline_mb": round(peak_mb(), 1)}
    jobs = {"scan": job_scan, "send": job_send, "export": job_export, "import": job_import}
    try:
        with transaction.atomic():
            jobs[name](result) if name == "scan" else jobs[name](result, n)
            raise Rollback
    except Rollback:
        pass
    result["peak_mb"] = round(peak_mb(), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
