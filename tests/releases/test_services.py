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
    figures = sorted((r.metric, r.qualifier, r.number, r.currency) for r in ReportedFigure.objects.filter(mission=mission))
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
