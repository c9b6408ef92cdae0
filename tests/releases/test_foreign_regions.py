"""A region of a foreign country the directory lacks ("провинция Ляонин", its country named) is added
to the directory when the release is confirmed, once; the review's row asks for it by name and country."""

import pytest

from companies.exceptions import PortalError
from companies.models import Region
from releases.draft import RegionItem, Span
from releases.forms import RegionForm
from releases.proposals import decisions_proposed
from releases.services import draft_confirm
from tests import factories as f
from tests.releases.drafts import yugra_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    ministry = f.MinistryFactory(region=f.directory_region("74"), slug="minprom-74")
    return f.MinistryStaffFactory(username="staff-74", organization=ministry)


def _to_liaoning(draft):
    draft.destination_regions.append(
        RegionItem(name="провинция Ляонин", region_id=None, spans=[Span(0, 16, "провинции Ляонин")], country="Китай")
    )
    return draft


def test_a_new_region_of_a_foreign_country_is_added_once(staff):
    china = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, name="Китай")

    first = draft_confirm(draft=(d := _to_liaoning(yugra_draft())), decisions=decisions_proposed(d), by=staff)
    second_draft = _to_liaoning(yugra_draft())
    draft_confirm(draft=second_draft, decisions=decisions_proposed(second_draft), by=staff)

    liaoning = Region.objects.get(kind=Region.Kind.FOREIGN_REGION, country=china)
    assert (liaoning.name, liaoning.recorded_by) == ("провинция Ляонин", staff.person.organization)
    assert sorted(r.name for r in first.mission.destination_regions.all()) == [
        "Ханты-Мансийский автономный округ — Югра",
        "провинция Ляонин",
    ]
    assert first.counts["regions"] == 1
    assert Region.objects.filter(kind=Region.Kind.FOREIGN_REGION).count() == 1


def test_a_new_region_of_a_country_the_directory_lacks_is_refused_on_its_row(staff):
    draft = _to_liaoning(yugra_draft())
    draft.destination_regions[1].country = "Атлантида"

    with pytest.raises(PortalError) as refused:
        draft_confirm(draft=draft, decisions=decisions_proposed(draft), by=staff)

    assert refused.value.message_dict == {"destination_regions-1": ["“Атлантида” is not a country of the directory."]}
    assert not Region.objects.filter(kind=Region.Kind.FOREIGN_REGION).exists()


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"keep": "on", "region": "", "country": "{china}", "name": "провинция Ляонин"}, True),
        ({"keep": "on", "region": "", "country": "", "name": "провинция Ляонин"}, False),
        ({"keep": "on", "region": "", "country": "{china}", "name": " "}, False),
        ({"keep": "", "region": "", "country": "", "name": ""}, True),
    ],
)
def test_the_review_row_takes_a_new_foreign_region_by_name_and_country(data, valid):
    china = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, name="Китай")
    choices = {"regions": [("", "—")], "countries": [("", "—"), (china.pk, china.name)]}
    data = {key: value.format(china=china.pk) for key, value in data.items()}

    form = RegionForm(data=data, choices=choices, labels={})

    assert form.is_valid() is valid, form.errors
