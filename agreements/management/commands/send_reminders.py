"""Scan for due reminders and send them in this process: no broker needed (embedded default, cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from agreements.followup.delivery import reminders_send_due


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Give the date as YYYY-MM-DD, e.g. 2026-03-02.")) from None


class Command(BaseCommand):
    help = "Find the follow-up reminders due and send them (the same scan and sender the Celery tasks run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=_date,
            default=None,
            help="Scan as of this day (YYYY-MM-DD) instead of today, e.g. to replay a missed day.",
        )

    def handle(self, *args, date=None, **options):
        if isinstance(date, str):  # call_command(date="…") skips argparse's type
            date = _date(date)
        counts = reminders_send_due(today=date)
        self.stdout.write(
            _("Found %(found)d new reminders; sent %(sent)d, cancelled %(cancelled)d, to retry %(retry)d, "
              "failed %(failed)d; released %(released)d stuck.")
            % {key: counts.get(key, 0) for key in ("found", "sent", "cancelled", "retry", "failed", "released")}
        )  # fmt: skip
