"""Run the extraction over a folder of gold-labelled releases and score it (the gold README's rules)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from releases.evaluation import evaluate
from releases.extraction.pipeline import analyse
from releases.extraction.texts import read_release_file


def gold_cases(folder: Path, texts: Path | None = None) -> list[tuple[str, dict, str]]:
    """(name, gold, text) of every `*.json` gold file in `folder`, in name order.

    A gold file holds "gold" and either the release as "text" or a "file" name looked up in `texts`
    (by default the gold folder's parent).
    """
    if not folder.is_dir():
        raise CommandError(_("%(folder)s is not a folder.") % {"folder": folder})
    texts = texts or folder.parent
    cases = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(_("%(file)s is not a JSON file: %(error)s") % {"file": path, "error": error}) from None
        if not isinstance(data, dict) or not isinstance(data.get("gold"), dict):
            raise CommandError(_('%(file)s has no "gold" object.') % {"file": path})
        if isinstance(data.get("text"), str):
            text = data["text"]
        elif isinstance(data.get("file"), str):
            try:
                text = read_release_file(texts / data["file"])
            except PortalError as error:
                raise CommandError(error.messages[0]) from None
        else:
            raise CommandError(_('%(file)s has neither "text" nor "file".') % {"file": path})
        cases.append((data.get("file") or path.name, data["gold"], text))
    if not cases:
        raise CommandError(_("No gold files (*.json) in %(folder)s.") % {"folder": folder})
    return cases


class Command(BaseCommand):
    help = (
        "Extract every gold-labelled release of a folder and print precision, recall and F1 per label type, "
        "then every miss and false hit (--json: the figures as one JSON object)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder of gold files (*.json).")
        parser.add_argument(
            "--texts", default=None, help="Where the gold files' \"file\" names are (default: the folder's parent)."
        )
        parser.add_argument("--json", action="store_true", help="Print {type: {precision, recall, f1, …}} as JSON.")

    def handle(self, *args, folder, texts=None, json=False, **options):
        cases = gold_cases(Path(folder), Path(texts) if texts else None)
        evaluation = evaluate((name, gold, analyse(text).to_gold()) for name, gold, text in cases)
        if json:
            self.stdout.write(_dumps(evaluation.as_dict()))
            return
        self.stdout.write(evaluation.table())
        for label, score in evaluation.scores.items():
            if not score.misses and not score.false_hits:
                continue
            self.stdout.write("")
            self.stdout.write(f"## {label}")
            for file, item in score.misses:
                self.stdout.write(_("missed     %(file)s: %(item)s") % {"file": file, "item": _dumps(item)})
            for file, item in score.false_hits:
                self.stdout.write(_("false hit  %(file)s: %(item)s") % {"file": file, "item": _dumps(item)})


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
