"""Each seed release, read and confirmed as the review page proposes it, becomes its mission record:
the route, the delegation's companies, the head of delegation, the agreements, the source and its
figures (issue 16's "the same for any other seed"). The texts are read from ../shared/seeds (or
RELEASE_SEEDS_DIR), never copied into the repository; the expectations come from their gold labels."""

import json

import pytest

from agreements.models import Agreement
from companies.exceptions import PortalError
from companies.models import Organization, Region
from missions.models import ReportedFigure
from releases.evaluation import organization_names_match
from releases.extraction.pipeline import analyse
from releases.proposals import decisions_proposed, draft_fill_guesses
from releases.services import draft_confirm
from tests import factories as f
from tests.releases.test_seed_evaluation import SEEDS

pytestmark = pytest.mark.django_db


def _review(draft, errors: dict, origin: Region) -> None:
    dropped = {"people": set(), "agreements": set()}
    for key in errors:
        section, _dash, index = key.rpartition("-")
        if section == "organizations":
            draft.organizations[int(index)].region_name = origin.name
        elif section == "people" or (section == "agreements" and len(draft.agreements[int(index)].parties) < 2):
            dropped[section].add(int(index))
        elif section == "agreements":
            continue  # its parties are rows fixed above
        else:
            raise AssertionError(f"the review has no answer for {key}: {errors[key]}")
    draft.people = [p for i, p in enumerate(draft.people) if i not in dropped["people"]]
    draft.agreements = [a for i, a in enumerate(draft.agreements) if i not in dropped["agreements"]]


def _seeds():
    gold = SEEDS / "gold"
    return sorted(path.name for path in gold.glob("*.json")) if gold.is_dir() else []


@pytest.fixture
def seed(request):
    if not (SEEDS / "gold").is_dir():
        pytest.skip(f"the seed releases are not here: {SEEDS}/gold (set RELEASE_SEEDS_DIR to their folder)")
    labels = json.loads((SEEDS / "gold" / request.param).read_text(encoding="utf-8"))
    return labels["gold"], (SEEDS / labels["file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", _seeds() or ["(no seeds)"], indirect=True)
def test_a_seed_release_confirms_into_its_mission(seed):
    gold, text = seed
    origin = Region.objects.get(name=gold["origin_regions"][0])
    ministry = f.MinistryFactory(region=origin, slug="ministry-of-origin")
    staff = f.MinistryStaffFactory(username="staff-of-origin", organization=ministry)
    draft = draft_fill_guesses(analyse(text))

    try:
        confirmed = draft_confirm(draft=draft, decisions=decisions_proposed(draft), by=staff)
    except PortalError as refused:
        # What the review page asks of the staff member, done as they would: a region for a new body
        # the release does not place (its origin's), and the rows the text leaves unidentified (a
        # person known only by name with no body, an agreement whose parties are not named) dropped.
        _review(draft, refused.message_dict, origin)
        confirmed = draft_confirm(draft=draft, decisions=decisions_proposed(draft), by=staff)

    mission = confirmed.mission
    assert mission.origin_region == origin
    assert sorted(r.name for r in mission.destination_regions.all()) == sorted(gold["destination_regions"])
    names = list(Organization.objects.exclude(pk=ministry.pk).values_list("name", flat=True))
    for organization in gold["organizations"]:
        assert any(organization_names_match(organization["name"], name) for name in names), organization
    # The delegation: every company of the origin region the release names.
    delegation = set(mission.delegation.exclude(role="head").values_list("organization__name", flat=True))
    companies = [
        o["name"]
        for o in gold["organizations"]
        if o["kind"] == "company" and Organization.objects.filter(name=o["name"], region=origin).exists()
    ]
    assert all(any(organization_names_match(c, member) for member in delegation) for c in companies)
    identified = [a for a in gold["agreements"] if len(a["parties"]) >= 2]
    assert Agreement.objects.count() >= len(identified)
    assert [s.title for s in mission.sources.all()] == [mission.title]
    recorded = ReportedFigure.objects.filter(source__missions=mission).count()
    assert recorded == len([figure for figure in gold["figures"] if figure["metric"] != "other"])
