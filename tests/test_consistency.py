"""One truth per fact: the mission page, the region pages, the region-pair page, the dashboard, the home
figures and the API give the same numbers for the same scope — built here with the awkward cases: a contract a project
produced (counted once), a draft contract (not counted), a contract in another currency (summed apart,
never converted), a hidden project (counted for those who may see it), meetings with a hidden party or
not held (not counted), a hidden delegation member."""

import datetime
import re
from decimal import Decimal

import pytest

from agreements.models import Agreement, CooperationProject
from missions.models import Meeting, ReportedFigure
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    CooperationProjectFactory,
    DelegationMemberFactory,
    MeetingFactory,
    MinistryFactory,
    MissionFactory,
    OrganizationFactory,
    ProjectPartyFactory,
    ReportedFigureFactory,
    SourceFactory,
    StaffUserFactory,
    directory_region,
)

pytestmark = pytest.mark.django_db

Stage, Kind, Status = CooperationProject.Stage, Agreement.Kind, Agreement.Status


@pytest.fixture
def one_mission():
    """Everything happens at one mission from Ulyanovsk to Chelyabinsk, between organizations of the two."""
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    ministry = MinistryFactory(region=ulyanovsk)
    mission = MissionFactory(
        slug="the-mission", origin_region=ulyanovsk, destination_regions=[chelyabinsk], organizer=ministry
    )
    guest = OrganizationFactory(region=ulyanovsk, slug="guest")
    hidden_guest = OrganizationFactory(region=ulyanovsk, slug="hidden-guest", is_public=False)
    host = OrganizationFactory(region=chelyabinsk, slug="host")
    for organization in (ministry, guest, hidden_guest):
        DelegationMemberFactory(mission=mission, organization=organization)

    start = datetime.datetime(2025, 2, 3, 10, tzinfo=datetime.UTC)
    slot = iter(start + datetime.timedelta(hours=h) for h in range(10))
    MeetingFactory(mission=mission, organization_a=guest, organization_b=host, status=Meeting.Status.HELD,
                   starts_at=(t := next(slot)), ends_at=t + datetime.timedelta(minutes=30))  # fmt: skip
    MeetingFactory(mission=mission, organization_a=hidden_guest, organization_b=host, status=Meeting.Status.HELD,
                   starts_at=(t := next(slot)), ends_at=t + datetime.timedelta(minutes=30))  # fmt: skip
    MeetingFactory(mission=mission, organization_a=guest, organization_b=host, status=Meeting.Status.CANCELLED,
                   starts_at=(t := next(slot)), ends_at=t + datetime.timedelta(minutes=30))  # fmt: skip

    def contract(slug, status, value, currency, **kwargs):
        agreement = AgreementFactory(
            slug=slug, kind=Kind.CONTRACT, status=status, value=Decimal(value), currency=currency,
            signed_at_mission=mission, **kwargs,
        )  # fmt: skip
        for organization in (guest, host):
            AgreementPartyFactory(agreement=agreement, organization=organization)
        return agreement

    produced = contract("produced", Status.SIGNED, "100", "RUB")
    contract("draft", Status.DRAFT, "50", "RUB", signed_on=None, valid_from=None)
    contract("in-dollars", Status.IN_FORCE, "10", "USD")

    def project(slug, stage, value, **kwargs):
        p = CooperationProjectFactory(slug=slug, stage=stage, expected_value=value, origin_mission=mission, **kwargs)
        for organization in (guest, host):
            ProjectPartyFactory(project=p, organization=organization)
        return p

    project("signed", Stage.CONTRACT_SIGNED, Decimal("100"), resulting_agreement=produced)
    project("talking", Stage.NEGOTIATION, None)
    project("hidden", Stage.IN_IMPLEMENTATION, Decimal("1000"), is_public=False)
    return mission


# What each audience should read, everywhere, for this mission.
EXPECTED = {
    # a visitor: 2 delegation organizations (the hidden one is not shown), of them 1 company (the ministry is
    # not one), 1 meeting held between visible
    # parties, 2 public projects, 2 contracts (the project and the dollar contract; the produced contract is
    # that project, the draft is not signed), 100 RUB + 10 USD
    "anonymous": {
        "organizations": 2,
        "companies": 1,
        "meetings": 1,
        "projects": 2,
        "contracts": 2,
        "RUB": Decimal("100"),
        "other": [("USD", Decimal("10"))],
    },  # fmt: skip
    # staff see the hidden guest (a second company), its meeting and the hidden project at a contract stage
    "staff": {
        "organizations": 3,
        "companies": 2,
        "meetings": 2,
        "projects": 3,
        "contracts": 3,
        "RUB": Decimal("1100"),
        "other": [("USD", Decimal("10"))],
    },  # fmt: skip
}


def _client(client, who):
    if who == "staff":
        client.force_login(StaffUserFactory(username="consistency-staff"))
    return client


def mission_page(client):
    funnel = client.get("/missions/the-mission/").context["funnel"]
    steps = {step.label: step.value for step in funnel.steps}
    return {
        "organizations": steps["Delegation (organizations)"],
        "companies": funnel.companies,
        "meetings": steps["Meetings held"],
        "projects": steps["Projects opened"],
        "contracts": funnel.contracts,
        "RUB": funnel.roubles,
        "other": funnel.other_currencies,
    }


def dashboard_page(client):
    context = client.get("/dashboard/").context
    total = context["total"]
    (pair,) = context["by_region_pair"]
    (year,) = context["by_year"]
    rows = [
        {"organizations": row.organizations, "companies": row.companies, "meetings": row.meetings,
         "projects": row.projects,
         "contracts": row.contracts, "RUB": row.value_rub, "other": row.other_values}
        for row in (total, pair, year)
    ]  # fmt: skip
    assert rows[0] == rows[1] == rows[2], "the dashboard's total, region-pair row and year row differ"
    return rows[0]


def home_page(client):
    figures = client.get("/").context["figures"]
    return {"organizations": figures.organizations, "companies": figures.companies, "meetings": figures.meetings,
            "contracts": figures.contracts, "RUB": figures.value_rub, "other": figures.values_other}  # fmt: skip


def region_pair_page(client):
    signed = client.get("/regions/ulyanovsk-oblast/chelyabinsk-oblast/").context["contracts_signed"]
    return {"contracts": signed.count, "RUB": signed.roubles, "other": signed.other_currencies}


def region_page(client):
    """Both regions of the mission: every project and contract here has a party from each."""
    pages = [client.get(f"/regions/{slug}/").context for slug in ("ulyanovsk-oblast", "chelyabinsk-oblast")]
    figures = [
        {"projects": len(c["projects"]), "contracts": c["contracts_signed"].count,
         "RUB": c["contracts_signed"].roubles, "other": c["contracts_signed"].other_currencies}
        for c in pages
    ]  # fmt: skip
    assert figures[0] == figures[1], "the two regions' pages differ"
    return figures[0]


def api_outcomes(client):
    data = client.get("/api/v1/missions/the-mission/outcomes/").json()
    values = {v["currency"]: Decimal(v["amount"]) for v in data["contract_values"]}
    return {
        "organizations": data["delegation_organizations"],
        "meetings": data["meetings_held"],
        "projects": data["projects"],
        "contracts": data["contracts_signed"],
        "RUB": values.pop("RUB", Decimal(0)),
        "other": sorted(values.items()),
    }


@pytest.mark.parametrize("who", ["anonymous", "staff"])
@pytest.mark.parametrize("page", [mission_page, dashboard_page, home_page, region_page, region_pair_page, api_outcomes])
def test_every_page_gives_the_same_numbers_for_one_mission(client, one_mission, who, page, settings):
    settings.LANGUAGE_CODE = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    figures = page(_client(client, who))

    expected = {key: value for key, value in EXPECTED[who].items() if key in figures}
    assert figures == expected


def test_region_slugs_used_here_are_the_directory_ones(one_mission):
    """The region-pair address above names the two regions of the mission."""
    assert [one_mission.origin_region.slug, *[r.slug for r in one_mission.destination_regions.all()]] == [
        "ulyanovsk-oblast",
        "chelyabinsk-oblast",
    ]


@pytest.mark.parametrize(
    ("who", "counted"),
    [
        ("anonymous", "компаний в делегации: 1 (всего в делегации 2 организации)"),
        ("staff", "компаний в делегации: 2 (всего в делегации 3 организации)"),
    ],
)
def test_a_reported_figure_says_what_the_portal_counted_beside_it(client, one_mission, who, counted):
    """ "Учтено 1" beside a delegation of several organizations said nothing: the count is named, with
    the delegation's organizations of every kind beside its companies, from the same funnel."""
    source = SourceFactory(title="Пресс-релиз")
    one_mission.sources.add(source)
    ReportedFigureFactory(source=source, mission=one_mission, metric=ReportedFigure.Metric.DELEGATION_COMPANIES,
                          qualifier=ReportedFigure.Qualifier.EXACTLY, number=4)  # fmt: skip

    html = _client(client, who).get("/missions/the-mission/").content.decode()

    cell = re.search(r'<span data-counted="delegation_companies">(.*?)</span>', html, re.S)
    assert cell and re.sub(r"\s+", " ", cell[1]).strip() == counted


def test_the_home_page_and_the_dashboard_name_organizations_and_companies_alike(client, one_mission):
    home = client.get("/").content.decode()
    dashboard = client.get("/dashboard/").content.decode()

    assert re.search(r'data-figure="organizations"><span class="value">2</span> <span class="label">организации в '
                     r"составе делегаций</span>", home)  # fmt: skip
    for html in (home, dashboard):
        assert re.search(r'data-figure="companies">из них 1 компания</span>', html)
    assert "Организации в составе делегаций" in dashboard
