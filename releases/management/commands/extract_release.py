"""Read press releases and print what the extraction found, in the gold labels' schema."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from releases.extraction.pipeline import analyse
from releases.extraction.texts import read_release_file


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Give the date as YYYY-MM-DD, e.g. 2026-03-02.")) from None


class Command(BaseCommand):
    help = (
        "Read press releases (.txt, UTF-8 or Windows-1251) and print what the extraction found: with --json one JSON "
        'object per file and line, {"file": …, "gold": {…}}, in the schema of the gold labels.'
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Release files, read in the order given.")
        parser.add_argument(
            "--published", type=_date, default=None, help="The releases' publication date (YYYY-MM-DD)."
        )
        parser.add_argument("--json", action="store_true", help="One JSON object per line (for scorers).")

    def handle(self, *args, files, published=None, json=False, **options):
        if isinstance(published, str):  # call_command(published="…") skips argparse's type
            published = _date(published)
        for name in files:
            try:
                text = read_release_file(Path(name))
            except PortalError as error:
                raise CommandError(error.messages[0]) from None
            draft = analyse(text, published=published)
            record = {"file": Path(name).name, "gold": draft.to_gold()}
            if json:
                self.stdout.write(_json_line(record))
            else:
                self.stdout.write(_json_block(record, draft.title, draft.head_of_delegation))


def _json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def _json_block(record: dict, title: str, head: str | None) -> str:
    lines = [f"== {record['file']}", _("Headline: %(title)s") % {"title": title or "—"}]
    lines.append(_("Head of delegation: %(name)s") % {"name": head or "—"})
    lines.append(json.dumps(record["gold"], ensure_ascii=False, indent=2))
    return "\n".join(lines)
