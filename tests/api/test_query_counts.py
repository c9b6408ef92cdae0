"""Every API list makes the same number of queries for 2 rows and for 50, nested rows included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.models import Region
from tests import factories as f
from tests.api import Api


def _regions(world, n):
    """Foreign regions (the 89 subjects are fixed), each with two key sectors."""
    for _ in range(n):
        region = f.RegionFactory()
        region.key_sectors.add(*f.SectorFactory.create_batch(2))


def _sectors(world, n):
    for _ in range(n):
        f.SectorFactory(parent=f.SectorFactory())


def _organizations(world, n):
    for _ in range(n):
        organization = f.OrganizationFactory(region=world.region_x)
        organization.sectors.add(*f.SectorFactory.create_batch(2))
        f.OfferFactory.create_batch(2, organization=organization, sector=f.SectorFactory())
        f.NeedFactory.create_batch(2, organization=organization, sector=f.SectorFactory())


def _people(world, n):
    for i in range(n):
        f.PersonFactory(organization=f.OrganizationFactory(is_public=bool(i % 2)))


def _missions(world, n):
    for i in range(n):
        head = f.PersonFactory(organization=world.orgs["ministry_x"])
        mission = f.MissionFactory(
            origin_region=world.region_x,
            destination_regions=[world.region_y, Region.objects.get(code="16")],
            organizer=world.orgs["ministry_x"],
            head_of_delegation=head,
            is_public=bool(i % 2),
        )
        for organization in f.OrganizationFactory.create_batch(2):
            f.DelegationMemberFactory(
                mission=mission, organization=organization, person=f.PersonFactory(organization=organization)
            )
        f.ProgramItemFactory.create_batch(2, mission=mission)
        f.MeetingFactory.create_batch(2, mission=mission)


def _meetings(world, n):
    f.MeetingFactory.create_batch(n, mission=world.missions["public-mission-x"])


def _agreements(world, n):
    for i in range(n):
        agreement = f.AgreementFactory(is_public=bool(i % 2), signed_at_mission=world.missions["public-mission-x"])
        ministry, company = f.MinistryFactory(), f.OrganizationFactory()
        f.AgreementPartyFactory(agreement=agreement, organization=ministry)
        f.AgreementPartyFactory(agreement=agreement, organization=company)
        f.SignatoryFactory(agreement=agreement, person=f.PersonFactory(organization=ministry), on_behalf_of=ministry)
        f.PlanItemFactory.create_batch(2, agreement=agreement, responsible_organization=company)


def _projects(world, n, *, party=None):
    for i in range(n):
        project = f.CooperationProjectFactory(
            curator=world.users["staff_x"],
            is_public=bool(i % 2),
            origin_mission=world.missions["public-mission-x"],
            resulting_agreement=world.agreements["public-agreement-x"],
        )
        project.sectors.add(*f.SectorFactory.create_batch(2))
        f.ProjectPartyFactory(project=project, organization=party or f.OrganizationFactory())
        f.ProjectPartyFactory(project=project, organization=f.OrganizationFactory(is_public=False))
        f.ProjectUpdateFactory.create_batch(2, project=project, author=world.users["staff_x"])


def _my_meetings(world, n):
    f.MeetingFactory.create_batch(n, mission=world.missions["hidden-mission-x"], organization_a=world.orgs["org_a"])


def _my_projects(world, n):
    _projects(world, n, party=world.orgs["org_a"])


LISTS = [
    ("regions/?kind=foreign_country", _regions, ["anonymous"]),
    ("sectors/", _sectors, ["anonymous"]),
    ("organizations/", _organizations, ["anonymous", "company_a", "staff_x"]),
    ("people/", _people, ["anonymous", "company_a", "staff_x"]),
    ("missions/", _missions, ["anonymous", "company_a", "staff_x"]),
    ("meetings/", _meetings, ["anonymous", "staff_x"]),
    ("agreements/", _agreements, ["anonymous", "staff_x"]),
    ("projects/", _projects, ["anonymous", "company_a", "staff_x"]),
    ("me/meetings/", _my_meetings, ["company_a"]),
    ("me/projects/", _my_projects, ["company_a"]),
]
CASES = [(path, build, role) for path, build, roles in LISTS for role in roles]


def _queries(api, path, role) -> tuple[int, int]:
    """(SQL queries, rows) of one page of 100, after a warm-up request."""
    url = path + ("&" if "?" in path else "?") + "page_size=100"
    api.get(url, role=role)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, role=role)
    assert response.status_code == 200, response.content
    return len(queries.captured_queries), response.json()["count"]


@pytest.mark.parametrize(("path", "build", "role"), CASES, ids=[f"{p}-{r}" for p, _b, r in CASES])
def test_a_list_makes_as_many_queries_for_50_rows_as_for_2(api_world, path, build, role):
    api = Api(api_world)
    build(api_world, 2)
    few, rows_before = _queries(api, path, role)

    build(api_world, 48)
    many, rows_after = _queries(api, path, role)

    assert rows_after > rows_before, "the new rows must be listed"
    assert many == few, f"{path} as {role}: {few} queries for {rows_before} rows, {many} for {rows_after}"


def test_the_nested_rows_are_in_the_answer(api_world):
    """The counts above compare full answers: delegation, programme and meetings are really there."""
    api = Api(api_world)
    _missions(api_world, 2)

    rows = api.get("missions/?page_size=100", role="staff_x").json()["results"]

    assert all(m["destination_regions"] for m in rows)
    assert sum(len(m["delegation"]) for m in rows) >= 4
    assert sum(len(m["programme"]) for m in rows) >= 4
    assert sum(len(m["meetings"]) for m in rows) >= 4
