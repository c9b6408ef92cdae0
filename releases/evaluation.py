"""Scoring an extraction against gold labels, by the matching rules of the seeds' gold README.

Both sides are in the gold schema (`Draft.to_gold()`). Every label type is matched on its own key,
each gold item at most once (a maximum one-to-one matching, so the order of the lists does not
matter); the counts of all files are summed before precision, recall and F1 are computed (micro
average). An empty gold list is part of the test: anything predicted there is a false hit.

The rules, as the README gives them:

- every string is trimmed, its whitespace collapsed, lower-cased, "ё" read as "е", quotes dropped;
- regions and cities: the normalised string; "regions" scores origin and destination together;
- organizations: on the name, legal-form prefixes dropped; equal, or the quoted part of one equals
  the other, or the shorter has two words or more and the longer begins with it at a word boundary;
- people: the surname and the first name agree (a patronymic is ignored, an initial matches a first
  name with that letter); positions and organizations are scored for the matched people;
- dates: on `iso` (a null iso on the normalised text); the role (`what`) for the matched dates;
- figures: metric, qualifier, number and currency together;
- agreements: the kind, the set of parties (each party an organization or a region name, matched by
  the rules above) and a description alike enough (`DESCRIPTION_THRESHOLD`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

QUOTES = "«»„“”‟\"'‹›‘’‚`"
_QUOTE_TABLE = str.maketrans("", "", QUOTES)
QUOTED = re.compile(r"[«\"„“”]([^«»\"„“”]+)[»\"“”]")
LEGAL_FORM_PREFIXES = ("ооо", "ао", "оао", "зао", "пао", "нпо", "по", "ук", "тк")
_LEGAL_PREFIX = re.compile(r"^(?:(?:" + "|".join(LEGAL_FORM_PREFIXES) + r")\s+)+")
_PUNCTUATION = re.compile(r"[^\w\s]+")
# How alike two agreements' descriptions must be (rapidfuzz's token set ratio, 0..100) once their
# kind and parties agree.
DESCRIPTION_THRESHOLD = 55

# Label types in the order the table prints them: the gold keys, then the derived ones.
TYPES = (
    "regions",
    "origin_regions",
    "destination_regions",
    "cities",
    "organizations",
    "organization_kinds",
    "people",
    "positions",
    "person_organizations",
    "dates",
    "date_roles",
    "figures",
    "agreements",
)


def normalise(text: str | None) -> str:
    """Trimmed, whitespace collapsed, lower case, "ё" as "е", no quotes of any kind."""
    if text is None:
        return ""
    return " ".join(str(text).translate(_QUOTE_TABLE).lower().replace("ё", "е").split())


def _lower(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def _strip_legal_form(text: str) -> str:
    return _LEGAL_PREFIX.sub("", text).strip()


def _quoted_parts(name: str) -> list[str]:
    return [_strip_legal_form(normalise(part)) for part in QUOTED.findall(name)]


def _words(text: str) -> list[str]:
    return _PUNCTUATION.sub(" ", text).split()


def organization_names_match(a: str, b: str) -> bool:
    """The README's rule for two organization names (also used for agreements' parties)."""
    x, y = _strip_legal_form(normalise(a)), _strip_legal_form(normalise(b))
    if not x or not y:
        return False
    if x == y:
        return True
    if any(part == y for part in _quoted_parts(a)) or any(part == x for part in _quoted_parts(b)):
        return True
    short, long = sorted((_words(x), _words(y)), key=len)
    return len(short) >= 2 and long[: len(short)] == short


def _name_parts(name: str) -> tuple[str, str] | None:
    """(first name or its initial, surname) of "Имя [Отчество] Фамилия", "И. Фамилия", "И.О. Фамилия"."""
    words = [w for w in re.split(r"[\s.]+", normalise(name)) if w]
    if len(words) < 2:
        return None
    return words[0], words[-1]


def person_names_match(a: str, b: str) -> bool:
    x, y = _name_parts(a), _name_parts(b)
    if x is None or y is None or x[1] != y[1]:
        return False
    first_x, first_y = x[0], y[0]
    if len(first_x) == 1 or len(first_y) == 1:
        return first_x[0] == first_y[0]
    return first_x == first_y


def _parties_match(gold: list[str], predicted: list[str]) -> bool:
    if len(gold) != len(predicted):
        return False
    pairs = _matching(gold, predicted, organization_names_match)
    return len(pairs) == len(gold)


def agreements_match(gold: dict, predicted: dict) -> bool:
    if gold.get("kind") != predicted.get("kind"):
        return False
    if not _parties_match(list(gold.get("parties") or []), list(predicted.get("parties") or [])):
        return False
    description = fuzz.token_set_ratio(
        normalise(gold.get("title_or_description")), normalise(predicted.get("title_or_description"))
    )
    return description >= DESCRIPTION_THRESHOLD


def dates_match(gold: dict, predicted: dict) -> bool:
    if gold.get("iso") is None:
        return predicted.get("iso") is None and normalise(gold.get("text")) == normalise(predicted.get("text"))
    return str(gold.get("iso")) == str(predicted.get("iso"))


def figures_match(gold: dict, predicted: dict) -> bool:
    try:
        same_number = float(gold.get("number")) == float(predicted.get("number"))
    except (TypeError, ValueError):
        return False
    return (
        same_number
        and gold.get("metric") == predicted.get("metric")
        and gold.get("qualifier") == predicted.get("qualifier")
        and (gold.get("currency") or None) == (predicted.get("currency") or None)
    )


def _matching(gold: list, predicted: list, match: Callable[[object, object], bool]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of gold to predicted items (Kuhn's augmenting paths).

    Exact (normalised-equal) pairs are tried first, so that a looser rule never takes a prediction
    away from the gold item it equals when another assignment exists.
    """
    edges = [[j for j, p in enumerate(predicted) if match(g, p)] for g in gold]
    for i, g in enumerate(gold):
        exact = [j for j in edges[i] if _key(predicted[j]) == _key(g)]
        edges[i] = exact + [j for j in edges[i] if j not in exact]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _key(item) -> str:
    if isinstance(item, dict):
        return normalise(item.get("name") or item.get("title_or_description") or item.get("text"))
    return normalise(item)


@dataclass
class Score:
    """Counts of one label type, summed over files, with every miss and false hit."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    misses: list[tuple[str, object]] = field(default_factory=list)  # (file, gold item)
    false_hits: list[tuple[str, object]] = field(default_factory=list)  # (file, predicted item)

    @property
    def gold(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def predicted(self) -> int:
        return self.true_positives + self.false_positives

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.true_positives,
        }


def _string_match(a: str, b: str) -> bool:
    return normalise(a) == normalise(b)


def _organizations_match(gold: dict, predicted: dict) -> bool:
    return organization_names_match(gold.get("name", ""), predicted.get("name", ""))


def _people_match(gold: dict, predicted: dict) -> bool:
    return person_names_match(gold.get("name", ""), predicted.get("name", ""))


MATCHERS: dict[str, Callable[[object, object], bool]] = {
    "regions": _string_match,
    "origin_regions": _string_match,
    "destination_regions": _string_match,
    "cities": _string_match,
    "organizations": _organizations_match,
    "people": _people_match,
    "dates": dates_match,
    "figures": figures_match,
    "agreements": agreements_match,
}


def _items(gold: dict, label: str) -> list:
    if label == "regions":
        return list(gold.get("origin_regions") or []) + list(gold.get("destination_regions") or [])
    return list(gold.get(label) or [])


class Evaluation:
    """Scores accumulated over any number of (gold, predicted) pairs."""

    def __init__(self):
        self.scores: dict[str, Score] = {label: Score() for label in TYPES}

    def add(self, gold: dict, predicted: dict, *, file: str = "") -> None:
        for label, match in MATCHERS.items():
            gold_items, predicted_items = _items(gold, label), _items(predicted, label)
            pairs = _matching(gold_items, predicted_items, match)
            self._count(label, file, gold_items, predicted_items, pairs)
            if label == "organizations":
                self._attribute("organization_kinds", file, gold_items, predicted_items, pairs, "kind", _string_match)
            elif label == "people":
                self._attribute("positions", file, gold_items, predicted_items, pairs, "position", _string_match)
                self._attribute(
                    "person_organizations", file, gold_items, predicted_items, pairs, "organization",
                    organization_names_match,
                )  # fmt: skip
            elif label == "dates":
                self._attribute("date_roles", file, gold_items, predicted_items, pairs, "what", _string_match)

    def _count(self, label: str, file: str, gold: list, predicted: list, pairs: list[tuple[int, int]]) -> None:
        score = self.scores[label]
        matched_gold, matched_predicted = {i for i, _ in pairs}, {j for _, j in pairs}
        score.true_positives += len(pairs)
        for i, item in enumerate(gold):
            if i not in matched_gold:
                score.false_negatives += 1
                score.misses.append((file, item))
        for j, item in enumerate(predicted):
            if j not in matched_predicted:
                score.false_positives += 1
                score.false_hits.append((file, item))

    def _attribute(
        self,
        label: str,
        file: str,
        gold: list[dict],
        predicted: list[dict],
        pairs: Iterable[tuple[int, int]],
        key: str,
        same: Callable[[str, str], bool],
    ) -> None:
        """An attribute of the matched items: a stated gold value is to be found, a stated
        prediction is to be right; both empty is neither."""
        score = self.scores[label]
        for i, j in pairs:
            expected, found = gold[i].get(key), predicted[j].get(key)
            if expected and found and same(expected, found):
                score.true_positives += 1
                continue
            owner = gold[i].get("name") or gold[i].get("text")
            if expected:
                score.false_negatives += 1
                score.misses.append((file, {"of": owner, key: expected}))
            if found:
                score.false_positives += 1
                score.false_hits.append((file, {"of": owner, key: found}))

    def as_dict(self) -> dict:
        return {label: score.as_dict() for label, score in self.scores.items()}

    def table(self) -> str:
        """The per-type table as the command prints it."""
        header = f"{'type':<22}{'gold':>6}{'found':>7}{'match':>7}{'P':>8}{'R':>8}{'F1':>8}"
        lines = [header, "-" * len(header)]
        for label, s in self.scores.items():
            lines.append(
                f"{label:<22}{s.gold:>6}{s.predicted:>7}{s.true_positives:>7}"
                f"{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}"
            )
        return "\n".join(lines)


def evaluate(pairs: Iterable[tuple[str, dict, dict]]) -> Evaluation:
    """(file, gold, predicted) triples scored together."""
    evaluation = Evaluation()
    for file, gold, predicted in pairs:
        evaluation.add(gold, predicted, file=file)
    return evaluation
