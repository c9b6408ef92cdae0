"""The confirm service: a reviewed draft becomes the mission record, in one transaction, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from agreements.models import Agreement, AgreementParty
from companies import roles
from companies.exceptions import PortalError
from companies.models import Organization, Person, Place
from missions.models import DelegationMember, Mission, ProgramItem, ReportedFigure, Source
from releases.draft import FigureItem, OrganizationItem, RegionItem
from releases.proposals import decisions_proposed
from releases.services import draft_confirm, person_name_parts
from tests import factories as f
from tests.releases.drafts import CHELYABINSK, NEW_COMPANIES, PLAN, YUGRA, yugra_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return f.MinistryFactory(
        region=f.directory_region("74"), name="Министерство промышленности Челябинской области", slug="minprom-74"
    )


@pytest.fixture
def staff(ministry):
    return f.MinistryStaffFactory(username="staff-74", organization=ministry)


@pytest.fixture
def machine_plant():
    return f.OrganizationFactory(name="Тестовый станкозавод", slug="test-plant", region=f.directory_region("74"))


def _rows():
    return {
        "missions": Mission.objects.count(),
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "places": Place.objects.count(),
        "delegation": DelegationMember.objects.count(),
        "programme": ProgramItem.objects.count(),
        "agreements": Agreement.objects.count(),
        "sources": Source.objects.count(),
        "figures": ReportedFigure.objects.count(),
    }


def test_confirm_creates_the_mission_record(staff, ministry, machine_plant):
    draft = yugra_draft(existing_company=machine_plant)
    decisions = decisions_proposed(draft)
    decisions.source_outlet, decisions.source_url = "Пресс-служба", "https://example.org/news/1"
    before = _rows()

    confirmed = draft_confirm(draft=draft, decisions=decisions, by=staff)

    mission = confirmed.mission
    assert confirmed.created is True
    assert mission.title == "Губернатор Челябинской области Пётр Сидоренко открыл бизнес-миссию в Югре"
    assert mission.origin_region.name == CHELYABINSK
    assert [r.name for r in mission.destination_regions.all()] == [YUGRA]
    assert [p.name for p in mission.places.all()] == ["Ханты-Мансийск"]
    assert (mission.start_date, mission.end_date, mission.dates_precision) == (datetime.date(2025, 8, 9), None, "day")
    assert mission.status == Mission.Status.COMPLETED
    assert (mission.organizer, mission.recorded_by) == (ministry, ministry)
    assert mission.head_of_delegation.full_name == "Пётр Сидоренко"
    assert mission.head_of_delegation.position == "губернатор Челябинской области"
    assert mission.head_of_delegation.organization.name == "Правительство Челябинской области"

    members = sorted((m.organization.name, m.person.full_name if m.person else None, m.role)
                     for m in mission.delegation.select_related("organization", "person"))  # fmt: skip
    assert members == sorted(
        [(name, None, "participant") for name in [*NEW_COMPANIES, "Тестовый станкозавод"]]
        + [("Правительство Челябинской области", "Пётр Сидоренко", "head")]
    )
    new_orgs = Organization.objects.exclude(pk__in=[ministry.pk, machine_plant.pk])
    assert sorted((o.name, o.kind, o.region.name, o.recorded_by_id) for o in new_orgs) == sorted(
        [(name, "company", CHELYABINSK, ministry.pk) for name in NEW_COMPANIES]
        + [("Правительство ХМАО", "government", YUGRA, ministry.pk),
           ("Правительство Челябинской области", "government", CHELYABINSK, ministry.pk)]
    )  # fmt: skip
    lebedeva = Person.objects.get(last_name="Лебедева")
    assert (lebedeva.first_name, lebedeva.position, lebedeva.organization.name) == (
        "Мария",
        "губернатор Югры",
        "Правительство ХМАО",
    )
    assert [(p.kind, p.title, p.date) for p in mission.program.all()] == [
        ("round_table", "Круглый стол по кооперации", datetime.date(2025, 8, 9))
    ]
    agreement = Agreement.objects.get()
    assert agreement.title == PLAN[0].upper() + PLAN[1:]
    assert (agreement.kind, agreement.signed_at_mission, agreement.status) == ("intergovernmental", mission, "expired")
    assert (agreement.valid_from, agreement.valid_until) == (datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))
    assert agreement.signed_on == datetime.date(2025, 8, 9)
    assert sorted(p.organization.name for p in AgreementParty.objects.filter(agreement=agreement)) == [
        "Правительство ХМАО",
        "Правительство Челябинской области",
    ]
    source = Source.objects.get()
    assert (source.title, source.outlet, source.url, source.recorded_by) == (
        mission.title,
        "Пресс-служба",
        "https://example.org/news/1",
        ministry,
    )
    assert list(source.missions.all()) == [mission] and list(agreement.sources.all()) == [source]
    figures = sorted(
        (r.metric, r.qualifier, r.number, r.currency) for r in ReportedFigure.objects.filter(mission=mission)
    )
    assert figures == [
        ("agreements", "up_to", Decimal(10), ""),
        ("contracts", "more_than", Decimal(50), ""),
        ("value", "more_than", Decimal(2_000_000_000), "RUB"),
    ]
    assert ReportedFigure.objects.get(metric="contracts").quote == (
        "По итогам заключено более 50 новых контрактов на сумму свыше 2 млрд рублей, и до 10 соглашений."
    )
    assert confirmed.notes == ["“около 70 компаний” is not recorded as a figure: the portal has no metric for it."]
    after = _rows()
    assert {name: after[name] - before[name] for name in after} == {
        "missions": 1, "organizations": 5, "people": 2, "places": 1, "delegation": 5, "programme": 1,
        "agreements": 1, "sources": 1, "figures": 3,
    }  # fmt: skip
    assert confirmed.counts == {
        "places": 1, "organizations": 5, "people": 2, "delegation": 5, "programme": 1, "sources": 1,
        "agreements": 1, "figures": 3,
    }  # fmt: skip


def test_an_error_in_the_last_row_writes_nothing(staff, machine_plant):
    draft = yugra_draft(existing_company=machine_plant)
    draft.figures.append(FigureItem("на 5 млн", "value", "about", Decimal(5_000_000), None, []))
    before = _rows()

    with pytest.raises(PortalError) as refused:
        draft_confirm(draft=draft, decisions=decisions_proposed(draft), by=staff)

    assert refused.value.message_dict == {"figures-4": ["Choose the currency of “на 5 млн”."]}
    assert _rows() == before


def test_an_unresolved_region_is_an_error_on_its_row_and_the_row_keys_name_the_forms(staff):
    draft = yugra_draft()
    draft.destination_regions.append(RegionItem("Гондор", None, []))
    draft.organizations.append(OrganizationItem("ООО Ромашка", "company", region_name="Мордор"))
    before = _rows()

    with pytest.raises(PortalError) as refused:
        draft_confirm(
            draft=draft,
            decisions=decisions_proposed(draft),
            by=staff,
            row_keys={("destination_regions", 1): "destination_regions-3"},
        )

    assert refused.value.message_dict == {
        "destination_regions-3": [
            "“Гондор” is not a region of the directory: choose the destination region from the list."
        ],
        "organizations-6": ["Choose the region of the new organization “ООО Ромашка”."],
    }
    assert _rows() == before


@pytest.fixture
def existing_mission(ministry, machine_plant):
    mission = f.MissionFactory(
        title="Бизнес-миссия в Югру",
        origin_region=f.directory_region("74"),
        organizer=ministry,
        recorded_by=ministry,
        start_date=datetime.date(2025, 8, 9),
        end_date=None,
        status=Mission.Status.COMPLETED,
        destination_regions=[f.directory_region("86")],
    )
    f.DelegationMemberFactory(mission=mission, organization=machine_plant)
    government = f.OrganizationFactory(
        name="Правительство ХМАО", kind="government", region=f.directory_region("86"), slug="gov-86"
    )
    agreement = f.AgreementFactory(
        title=PLAN[0].upper() + PLAN[1:], kind="intergovernmental", signed_at_mission=mission
    )
    f.AgreementPartyFactory(agreement=agreement, organization=government)
    return mission


def test_a_release_for_an_existing_mission_adds_to_it_without_duplicating(staff, machine_plant, existing_mission):
    draft = yugra_draft(existing_company=machine_plant)
    decisions = decisions_proposed(draft)
    decisions.source_url = "https://example.org/news/2"
    before = _rows()

    confirmed = draft_confirm(draft=draft, decisions=decisions, mission=existing_mission, by=staff)

    assert (confirmed.mission, confirmed.created) == (existing_mission, False)
    after = _rows()
    # The government of Yugra is in the directory already (a party of the plan): found by its name, not made twice.
    assert {name: after[name] - before[name] for name in after} == {
        "missions": 0, "organizations": 4, "people": 2, "places": 1, "delegation": 4, "programme": 1,
        "agreements": 0, "sources": 1, "figures": 3,
    }  # fmt: skip
    assert sorted(existing_mission.delegation.values_list("organization__name", "role")) == sorted(
        [(name, "participant") for name in [*NEW_COMPANIES, "Тестовый станкозавод"]]
        + [("Правительство Челябинской области", "head")]
    )
    existing_mission.refresh_from_db()
    assert existing_mission.head_of_delegation.full_name == "Пётр Сидоренко"
    assert [p.name for p in existing_mission.places.all()] == ["Ханты-Мансийск"]
    assert list(Source.objects.get(url="https://example.org/news/2").missions.all()) == [existing_mission]

    # The same release from another outlet: a second source and its claims; nothing else twice.
    decisions.source_url = "https://example.org/news/3"
    draft_confirm(
        draft=yugra_draft(existing_company=machine_plant), decisions=decisions, mission=existing_mission, by=staff
    )
    again = _rows()
    assert {name: again[name] - after[name] for name in again} == {
        "missions": 0, "organizations": 0, "people": 0, "places": 0, "delegation": 0, "programme": 0,
        "agreements": 0, "sources": 1, "figures": 3,
    }  # fmt: skip


def test_the_same_release_address_twice_is_refused_on_the_source(staff, machine_plant, existing_mission):
    decisions = decisions_proposed(yugra_draft())
    decisions.source_url = "https://example.org/news/4"
    draft_confirm(
        draft=yugra_draft(existing_company=machine_plant), decisions=decisions, mission=existing_mission, by=staff
    )
    before = _rows()

    with pytest.raises(PortalError) as refused:
        draft_confirm(
            draft=yugra_draft(existing_company=machine_plant), decisions=decisions, mission=existing_mission, by=staff
        )

    title = decisions.source_title
    assert refused.value.message_dict == {"source": [f"The source at this address is already recorded: “{title}”."]}
    assert _rows() == before


def _company_representative():
    user = f.UserFactory(username="rep")
    f.PersonFactory(organization=f.OrganizationFactory(region=f.directory_region("74")), user=user)
    return user


def _official():
    user = f.UserFactory(username="official")
    user.groups.add(Group.objects.get(name=roles.OFFICIALS_GROUP))
    return user


@pytest.mark.parametrize("who", ["anonymous", "company", "official", "staff without a ministry"])
def test_only_ministry_staff_confirm(who, machine_plant):
    user = {
        "anonymous": AnonymousUser,
        "company": _company_representative,
        "official": _official,
        "staff without a ministry": lambda: f.UserFactory(username="bare-staff", is_staff=True),
    }[who]()
    draft = yugra_draft(existing_company=machine_plant)
    before = _rows()

    with pytest.raises(PortalError) as refused:
        draft_confirm(draft=draft, decisions=decisions_proposed(draft), by=user)

    assert refused.value.messages == [
        "Only ministry staff whose login belongs to their ministry create missions from press releases."
    ]
    assert _rows() == before


def test_staff_of_another_ministry_cannot_add_to_a_mission_it_does_not_keep(machine_plant, existing_mission):
    other = f.MinistryStaffFactory(
        username="staff-86", organization=f.MinistryFactory(region=f.directory_region("86"), slug="minprom-86")
    )
    draft = yugra_draft(existing_company=machine_plant)
    before = _rows()

    with pytest.raises(PortalError) as refused:
        draft_confirm(draft=draft, decisions=decisions_proposed(draft), mission=existing_mission, by=other)

    assert refused.value.message_dict == {
        "mission": ["The mission “Бизнес-миссия в Югру” is kept by another ministry: a release cannot be added to it."]
    }
    assert _rows() == before
    assert list(existing_mission.delegation.values_list("organization__name", flat=True)) == ["Тестовый станкозавод"]


def test_staff_cannot_create_a_mission_between_two_other_regions(machine_plant):
    ulyanovsk = f.MinistryFactory(region=f.directory_region("73"), slug="minprom-73", name="Минпром 73")
    other = f.MinistryStaffFactory(username="staff-73", organization=ulyanovsk)
    draft = yugra_draft(existing_company=machine_plant)
    before = _rows()

    with pytest.raises(PortalError) as refused:
        draft_confirm(draft=draft, decisions=decisions_proposed(draft), by=other)

    assert list(refused.value.message_dict) == ["mission"]
    assert "Минпром 73 cannot keep the record of this mission" in refused.value.message_dict["mission"][0]
    assert _rows() == before


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Алексей Леонидович Текслер", ("Текслер", "Алексей", "Леонидович")),
        ("Текслер Алексей Леонидович", ("Текслер", "Алексей", "Леонидович")),
        ("Алексей Текслер", ("Текслер", "Алексей", "")),
        ("Текслер", ("Текслер", "", "")),
    ],
)
def test_person_name_parts(name, parts):
    assert person_name_parts(name) == parts
