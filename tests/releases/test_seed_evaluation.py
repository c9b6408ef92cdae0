"""The evaluation on the five seed releases (read from ../shared/seeds or RELEASE_SEEDS_DIR, never
copied into the repository) against the thresholds of issue 16."""

import os
from pathlib import Path

import pytest

from releases.evaluation import evaluate
from releases.extraction.pipeline import analyse
from releases.management.commands.evaluate_extraction import gold_cases

pytestmark = pytest.mark.django_db

SEEDS = Path(os.environ.get("RELEASE_SEEDS_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "seeds")
THRESHOLD = {"regions": 0.9, "organizations": 0.9, "people": 0.9, "figures": 0.8, "dates": 0.8}
LABELS = ("regions", "organizations", "people", "dates", "figures")


@pytest.fixture(scope="module")
def scores(django_db_blocker):
    if not (SEEDS / "gold").is_dir():
        pytest.skip(f"the seed releases are not here: {SEEDS}/gold (set RELEASE_SEEDS_DIR to their folder)")
    with django_db_blocker.unblock():
        cases = gold_cases(SEEDS / "gold", SEEDS)
        return evaluate((name, gold, analyse(text).to_gold()) for name, gold, text in cases).scores


@pytest.mark.parametrize("label", LABELS)
def test_precision_and_recall_meet_the_threshold(scores, label):
    score = scores[label]
    assert score.precision >= THRESHOLD[label] and score.recall >= THRESHOLD[label], (score.misses, score.false_hits)


def test_the_other_types_are_measured_too(scores):
    """Cities, positions and agreements have no threshold in the issue; they are kept from falling."""
    for label in ("cities", "positions", "agreements"):
        assert scores[label].f1 >= 0.8, (label, scores[label].misses, scores[label].false_hits)
