"""The ranking measured on a labelled set of generated companies (tests/partners/suggestion_world.py):
precision at 5 — the share of each company's first five suggestions that are right partners — must
be at least 0.8; and no same-region company, hidden company or generic distractor is ever suggested."""

import pytest
from django.contrib.auth.models import AnonymousUser

from partners.suggestions.selectors import suggestions_for
from partners.suggestions.services import suggestions_refresh_all
from tests import factories as f
from tests.partners.suggestion_world import build

pytestmark = pytest.mark.django_db

REGION_CODES = ("73", "74", "13", "71", "63", "86", "16", "02")


@pytest.fixture
def labelled():
    world = build([f.directory_region(code) for code in REGION_CODES])
    suggestions_refresh_all()
    return world


def test_precision_at_5_on_the_labelled_set_is_at_least_0_8(labelled):
    right = shown = 0
    for seeker in labelled.seekers:
        top = [s.partner_id for s in suggestions_for(seeker, AnonymousUser())[:5]]
        right += sum(1 for pk in top if pk in labelled.relevant[seeker.pk])
        shown += 5
    precision = right / shown
    print(f"precision@5 = {precision:.2f} over {len(labelled.seekers)} companies")

    assert precision >= 0.8


def test_no_wrong_kind_of_partner_is_ever_suggested(labelled):
    for seeker in labelled.seekers:
        suggested = {s.partner_id for s in suggestions_for(seeker, AnonymousUser())}
        assert labelled.same_region[seeker.pk] not in suggested
        assert labelled.hidden[seeker.pk] not in suggested
        assert suggested.isdisjoint(labelled.distractors)
