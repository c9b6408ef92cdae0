"""The front page figures and the officials' dashboard: numbers on the page, visibility, query counts."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from agreements.models import Agreement, CooperationProject, PlanItem, StaleAfter
from companies.models import Organization
from companies.roles import OFFICIALS_GROUP
from config.portal import charts
from missions.models import Meeting, Mission
from tests.factories import (
    AgreementFactory,
    CooperationProjectFactory,
    DelegationMemberFactory,
    MeetingFactory,
    MinistryFactory,
    MissionFactory,
    OrganizationFactory,
    PlanItemFactory,
    ProjectPartyFactory,
    RegionFactory,
    SectorFactory,
    UserFactory,
    directory_region,
)
from tests.helpers import query_count

pytestmark = pytest.mark.django_db

Stage = CooperationProject.Stage
HELD = Meeting.Status.HELD


# --- reading the page ----------------------------------------------------------------------


def _text(fragment: str) -> str:
    """Inner text without tags and without any whitespace (grouping uses no-break spaces)."""
    return re.sub(r"\s", "", re.sub(r"<[^>]+>", "", fragment))


def figure(response, name: str) -> str:
    html = response.content.decode()
    match = re.search(rf'data-figure="{name}"[^>]*>\s*<span class="value">(.*?)</span>', html, re.S)
    assert match, f"figure {name} not on the page"
    return _text(match.group(1))


def table(response, table_id: str) -> dict[str, dict[str, str]]:
    """{data-row: {data-col: text}} of one table of the page."""
    html = response.content.decode()
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"table {table_id} not on the page"
    rows = {}
    for ref, body in re.findall(r'<tr data-row="([^"]*)">(.*?)</tr>', match.group(0), re.S):
        rows[ref] = {col: _text(cell) for col, cell in re.findall(r'data-col="([^"]+)">(.*?)</td>', body, re.S)}
    return rows


def funnel_cells(organizations, meetings, projects, contracts, value, other="—") -> dict[str, str]:
    return {
        "organizations": str(organizations),
        "meetings": str(meetings),
        "projects": str(projects),
        "contracts": str(contracts),
        "value": value,
        "other": other,
    }


def company(**kwargs) -> Organization:
    return OrganizationFactory(**kwargs)


# --- the front page ------------------------------------------------------------------------


@pytest.fixture
def known_data():
    """Two public missions and a hidden one, with delegations, meetings, projects and contracts."""
    tula, chelyabinsk, yugra = directory_region("71"), directory_region("74"), directory_region("86")
    public_a = MissionFactory(destination_regions=[chelyabinsk])
    public_b = MissionFactory(destination_regions=[chelyabinsk, tula])
    hidden = MissionFactory(is_public=False, destination_regions=[yugra])
    MissionFactory(status=Mission.Status.CANCELLED, destination_regions=[directory_region("13")])

    c1, c2 = company(), company()
    DelegationMemberFactory(mission=public_a, organization=c1)
    DelegationMemberFactory(mission=public_b, organization=c1)  # the same company twice counts once
    DelegationMemberFactory(mission=public_b, organization=c2)
    DelegationMemberFactory(mission=public_a, organization=MinistryFactory())  # not a company
    DelegationMemberFactory(mission=public_a, organization=company(is_public=False))
    DelegationMemberFactory(mission=hidden, organization=company())

    MeetingFactory(mission=public_a, status=HELD)
    MeetingFactory(mission=public_b, status=HELD)
    MeetingFactory(mission=public_b, status=Meeting.Status.SCHEDULED)
    for _ in range(3):
        MeetingFactory(mission=hidden, status=HELD)

    contract = AgreementFactory(kind=Agreement.Kind.CONTRACT, value=Decimal(400_000), currency="RUB")
    CooperationProjectFactory(stage=Stage.NEGOTIATION, expected_value=Decimal(999))
    # A signed project and the contract registered for it are one contract, not two.
    CooperationProjectFactory(
        stage=Stage.CONTRACT_SIGNED, expected_value=Decimal(1_000_000), resulting_agreement=contract
    )
    CooperationProjectFactory(stage=Stage.IN_IMPLEMENTATION, expected_value=Decimal(500_000), is_public=False)
    CooperationProjectFactory(stage=Stage.COMPLETED, expected_value=Decimal(2_000), currency="USD")
    CooperationProjectFactory(stage=Stage.DROPPED, expected_value=Decimal(10))

    AgreementFactory(kind=Agreement.Kind.CONTRACT, value=Decimal(300_000), currency="RUB")
    AgreementFactory(kind=Agreement.Kind.CONTRACT, value=Decimal(100), currency="CNY", is_public=False)
    AgreementFactory(
        kind=Agreement.Kind.CONTRACT, status=Agreement.Status.DRAFT, signed_on=None, value=7, currency="RUB"
    )
    AgreementFactory(kind=Agreement.Kind.CONTRACT, status=Agreement.Status.TERMINATED, value=5, currency="RUB")
    AgreementFactory(kind=Agreement.Kind.INTERGOVERNMENTAL)


def test_home_figures_count_only_public_records_for_visitors(client, known_data):
    response = client.get("/")

    assert response.status_code == 200
    assert figure(response, "missions") == "2"
    assert figure(response, "regions") == "2"  # Chelyabinsk and Tula; Yugra only by the hidden mission
    # three organizations in the public delegations (c1 twice counts once), the ministry not a company
    assert figure(response, "organizations") == "3"
    assert response.context["figures"].companies == 2
    assert figure(response, "meetings") == "2"
    assert figure(response, "projects-open") == "2"
    # Two signed projects (RUB 1 000 000, USD 2 000) and the contract with no project behind it.
    assert figure(response, "contracts") == "3"
    assert figure(response, "value") == "1300000₽"
    other = re.search(r'data-figure="value-other">(.*?)</span>\s*</li>', response.content.decode(), re.S)
    assert "2000$" in _text(other.group(1))
    assert "¥" not in _text(other.group(1))


def test_home_figures_count_hidden_records_for_staff(staff_client, known_data):
    response = staff_client.get("/")

    assert figure(response, "missions") == "3"
    assert figure(response, "regions") == "3"
    assert figure(response, "organizations") == "5"
    assert response.context["figures"].companies == 4
    assert figure(response, "meetings") == "5"
    assert figure(response, "projects-open") == "3"
    assert figure(response, "contracts") == "5"
    assert figure(response, "value") == "1800000₽"
    assert response.context["figures"].values_other == [("CNY", Decimal(100)), ("USD", Decimal(2_000))]


def test_home_figures_empty_portal_shows_zeros(client):
    response = client.get("/")

    assert [figure(response, name) for name in ("missions", "regions", "organizations", "contracts")] == ["0"] * 4
    assert figure(response, "value") == "0₽"


def test_home_upcoming_missions_soonest_first_at_most_five(client):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        MissionFactory(slug="past", start_date=datetime.date(2026, 2, 1), end_date=None)
        MissionFactory(
            slug="cancelled", start_date=datetime.date(2026, 3, 5), end_date=None, status=Mission.Status.CANCELLED
        )
        MissionFactory(slug="hidden", start_date=datetime.date(2026, 3, 3), end_date=None, is_public=False)
        MissionFactory(slug="undated", start_date=None, end_date=None, status=Mission.Status.PLANNED)
        MissionFactory(slug="today", start_date=datetime.date(2026, 3, 2), end_date=None)
        for day in (20, 9, 14):
            MissionFactory(slug=f"march-{day}", start_date=datetime.date(2026, 3, day), end_date=None)
        MissionFactory(slug="april", start_date=datetime.date(2026, 4, 1), end_date=None)

        response = client.get("/")

    slugs = re.findall(r'data-mission="([^"]+)"', response.content.decode())
    assert slugs == ["today", "march-9", "march-14", "march-20", "april"]
    assert 'href="/missions/today/"' in response.content.decode()


def test_home_upcoming_missions_include_planned_without_date_last(client):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        MissionFactory(slug="undated", start_date=None, end_date=None, status=Mission.Status.CONFIRMED)
        MissionFactory(slug="soon", start_date=datetime.date(2026, 3, 10), end_date=None, status=Mission.Status.PLANNED)

        response = client.get("/")

    assert re.findall(r'data-mission="([^"]+)"', response.content.decode()) == ["soon", "undated"]


def test_home_recent_agreements_newest_first_without_drafts_or_hidden(client):
    for day in range(1, 8):
        AgreementFactory(slug=f"signed-{day}", signed_on=datetime.date(2025, 3, day))
    AgreementFactory(slug="draft", status=Agreement.Status.DRAFT, signed_on=None)
    AgreementFactory(slug="hidden", signed_on=datetime.date(2025, 4, 1), is_public=False)

    response = client.get("/")

    slugs = re.findall(r'data-agreement="([^"]+)"', response.content.decode())
    assert slugs == ["signed-7", "signed-6", "signed-5", "signed-4", "signed-3"]
    assert 'href="/agreements/signed-7/"' in response.content.decode()


def test_home_recent_agreement_does_not_name_a_hidden_mission(client):
    hidden = MissionFactory(title="Секретная миссия", is_public=False)
    AgreementFactory(signed_at_mission=hidden, signing_place="Челябинск")

    response = client.get("/")

    assert "Секретная миссия" not in response.content.decode()
    assert "Челябинск" in response.content.decode()


# --- the dashboard: funnels ----------------------------------------------------------------


@pytest.fixture
def missions_by_year():
    tula, chelyabinsk, mordovia = directory_region("71"), directory_region("74"), directory_region("13")
    y2024 = MissionFactory(start_date=datetime.date(2024, 5, 10), end_date=None, destination_regions=[chelyabinsk])
    y2025 = MissionFactory(start_date=datetime.date(2025, 2, 3), destination_regions=[tula, mordovia])
    undated = MissionFactory(
        start_date=None, end_date=None, status=Mission.Status.PLANNED, destination_regions=[chelyabinsk]
    )
    hidden = MissionFactory(start_date=datetime.date(2024, 9, 1), end_date=None, is_public=False)

    for organization in (company(), company(), MinistryFactory()):
        DelegationMemberFactory(mission=y2024, organization=organization)
    DelegationMemberFactory(mission=y2025, organization=company())
    DelegationMemberFactory(mission=undated, organization=company())
    DelegationMemberFactory(mission=hidden, organization=company())

    MeetingFactory(mission=y2024, status=HELD)
    MeetingFactory(mission=y2024, status=HELD)
    MeetingFactory(mission=y2024, status=Meeting.Status.CANCELLED)
    MeetingFactory(mission=y2025, status=HELD)
    for _ in range(4):
        MeetingFactory(mission=hidden, status=HELD)

    CooperationProjectFactory(origin_mission=y2024, stage=Stage.LEAD, expected_value=100)
    CooperationProjectFactory(origin_mission=y2024, stage=Stage.CONTRACT_SIGNED, expected_value=1_000_000)
    CooperationProjectFactory(origin_mission=y2025, stage=Stage.COMPLETED, expected_value=5_000, currency="USD")
    AgreementFactory(kind=Agreement.Kind.CONTRACT, signed_at_mission=y2025, value=200_000, currency="RUB")
    # A public project from the hidden mission is not attributed to that mission's year.
    CooperationProjectFactory(origin_mission=hidden, stage=Stage.CONTRACT_SIGNED, expected_value=7_000_000)
    CooperationProjectFactory(origin_mission=None, stage=Stage.CONTRACT_SIGNED, expected_value=50)
    return {"2024": y2024, "2025": y2025, "undated": undated, "hidden": hidden}


def test_dashboard_funnel_by_year_for_visitors(client, missions_by_year):
    response = client.get("/dashboard/")

    assert response.status_code == 200
    rows = table(response, "funnel-by-year")
    assert list(rows) == ["2025", "2024", "undated"]
    assert rows["2024"] == funnel_cells(3, 2, 2, 1, "1000000₽")
    assert rows["2025"] == funnel_cells(1, 1, 1, 2, "200000₽", "5000$")
    assert rows["undated"] == funnel_cells(1, 0, 0, 0, "0₽")


def test_dashboard_funnel_by_year_counts_hidden_mission_for_staff(staff_client, missions_by_year):
    rows = table(staff_client.get("/dashboard/"), "funnel-by-year")

    assert rows["2024"] == funnel_cells(4, 6, 3, 2, "8000000₽")


def test_dashboard_funnel_total_includes_projects_without_mission(client, missions_by_year):
    total = client.get("/dashboard/").context["total"]

    # Delegations and meetings of public missions only; every public project counts.
    assert (total.organizations, total.meetings) == (5, 3)
    assert (total.projects, total.contracts) == (5, 5)
    assert total.value_rub == Decimal(8_200_050)
    assert total.other_values == [("USD", Decimal(5_000))]


def test_dashboard_funnel_by_region_pair(client, missions_by_year):
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    tula, mordovia = directory_region("71"), directory_region("13")

    response = client.get("/dashboard/")

    rows = table(response, "funnel-by-region-pair")
    assert set(rows) == {
        f"{ulyanovsk.slug}/{chelyabinsk.slug}",
        f"{ulyanovsk.slug}/{tula.slug}",
        f"{ulyanovsk.slug}/{mordovia.slug}",
    }
    assert rows[f"{ulyanovsk.slug}/{chelyabinsk.slug}"] == funnel_cells(4, 2, 2, 1, "1000000₽")
    # A mission to two regions counts for each pair.
    assert rows[f"{ulyanovsk.slug}/{tula.slug}"] == funnel_cells(1, 1, 1, 2, "200000₽", "5000$")
    assert rows[f"{ulyanovsk.slug}/{mordovia.slug}"] == rows[f"{ulyanovsk.slug}/{tula.slug}"]
    assert f'href="/regions/{ulyanovsk.slug}/{tula.slug}/"' in response.content.decode()


def test_dashboard_funnel_by_sector(client):
    machinery = SectorFactory(name="Машиностроение", slug="machinery")
    bearings = SectorFactory(name="Подшипники", slug="bearings", parent=machinery)
    mission = MissionFactory()
    tagged = company()
    tagged.sectors.set([machinery])
    DelegationMemberFactory(mission=mission, organization=tagged)
    DelegationMemberFactory(mission=mission, organization=company())
    meeting = MeetingFactory(mission=mission, status=HELD)
    meeting.sectors.set([bearings])
    MeetingFactory(mission=mission, status=HELD)

    CooperationProjectFactory(origin_mission=mission, stage=Stage.LEAD).sectors.set([machinery])
    CooperationProjectFactory(stage=Stage.CONTRACT_SIGNED, expected_value=1_000_000).sectors.set([machinery, bearings])
    CooperationProjectFactory(stage=Stage.COMPLETED, expected_value=5_000, currency="USD").sectors.set([bearings])
    CooperationProjectFactory(stage=Stage.IN_IMPLEMENTATION, expected_value=50)
    CooperationProjectFactory(stage=Stage.CONTRACT_SIGNED, is_public=False).sectors.set([machinery])

    response = client.get("/dashboard/")

    rows = table(response, "funnel-by-sector")
    assert list(rows) == ["machinery", "bearings", "-"]
    assert rows["machinery"] == funnel_cells(1, 0, 2, 1, "1000000₽")
    assert rows["bearings"] == funnel_cells(0, 1, 2, 2, "1000000₽", "5000$")
    assert rows["-"] == funnel_cells(1, 1, 1, 1, "50₽")
    assert "Машиностроение › Подшипники" in response.content.decode()


def test_dashboard_projects_by_stage_table_and_chart(client):
    CooperationProjectFactory.create_batch(3, stage=Stage.NEGOTIATION)
    CooperationProjectFactory(stage=Stage.COMPLETED)
    CooperationProjectFactory(stage=Stage.DROPPED, is_public=False)

    response = client.get("/dashboard/")

    rows = table(response, "projects-by-stage")
    assert rows["negotiation"] == {"count": "3"}
    assert rows["completed"] == {"count": "1"}
    assert rows["dropped"] == {"count": "0"}


def test_dashboard_charts_are_accessible_svg(client, missions_by_year):
    html = client.get("/dashboard/").content.decode()

    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg
        chart_id = re.search(r'id="([^"]+)"', svg).group(1)
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', svg)
    # The year chart draws the same numbers the table gives: 2024 had 3 organizations and 2 meetings.
    assert ">2024</text>" in svgs[0]
    assert ">3</text>" in svgs[0] and ">2</text>" in svgs[0]


def test_dashboard_without_data_has_no_charts(client):
    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    assert table(response, "funnel-by-year") == {}


def test_chart_labels_are_escaped():
    svg = charts.grouped_bar_chart(
        chart_id="c",
        title="<b>t</b>",
        desc="d & e",
        categories=["<script>alert(1)</script>"],
        series=[("x", [1])],
    )

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '<title id="c-title">&lt;b&gt;t&lt;/b&gt;</title>' in svg
    assert "d &amp; e" in svg


# --- the dashboard: follow-up --------------------------------------------------------------


def test_dashboard_overdue_plan_items_oldest_first_with_days_overdue(client):
    responsible = MinistryFactory(name="Министерство промышленности Тульской области")
    hidden_responsible = MinistryFactory(name="Закрытое министерство", is_public=False)
    agreement = AgreementFactory(slug="tula-plan")
    ten_days = PlanItemFactory(agreement=agreement, due_date=datetime.date(2026, 2, 20))
    thirty_days = PlanItemFactory(
        agreement=agreement, due_date=datetime.date(2026, 1, 31), responsible_organization=responsible
    )
    in_progress = PlanItemFactory(
        agreement=agreement,
        due_date=datetime.date(2025, 12, 2),
        status=PlanItem.Status.IN_PROGRESS,
        responsible_organization=hidden_responsible,
    )
    PlanItemFactory(agreement=agreement, due_date=datetime.date(2026, 3, 2))  # due today: not overdue
    PlanItemFactory(
        agreement=agreement, due_date=datetime.date(2026, 1, 1), status="done", completed_on=datetime.date(2026, 1, 5)
    )
    PlanItemFactory(agreement=agreement, due_date=datetime.date(2026, 1, 1), status="cancelled")
    hidden_item = PlanItemFactory(agreement=AgreementFactory(is_public=False), due_date=datetime.date(2026, 1, 1))

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        response = client.get("/dashboard/")

    rows = table(response, "overdue-plan-items")
    assert list(rows) == [f"plan-item-{item.pk}" for item in (in_progress, thirty_days, ten_days)]
    assert [row["days-overdue"] for row in rows.values()] == ["90", "30", "10"]
    html = response.content.decode()
    assert f'data-row="plan-item-{hidden_item.pk}"' not in html
    assert 'href="/agreements/tula-plan/"' in html
    assert "Министерство промышленности Тульской области" in html
    assert "Закрытое министерство" not in html
    assert response.context["overdue_count"] == 3


def test_dashboard_overdue_plan_items_of_hidden_agreement_for_staff(staff_client):
    hidden_item = PlanItemFactory(agreement=AgreementFactory(is_public=False), due_date=datetime.date(2026, 1, 1))

    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        rows = table(staff_client.get("/dashboard/"), "overdue-plan-items")

    assert rows == {f"plan-item-{hidden_item.pk}": {"days-overdue": "60"}}


@pytest.fixture
def idle_projects():
    now = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)

    def idle(days, **kwargs):
        return CooperationProjectFactory(last_activity_at=now - datetime.timedelta(days=days), **kwargs)

    idle(10, slug="idle-10")
    idle(45, slug="idle-45")
    idle(90, slug="idle-90", stage=Stage.PROPOSAL)
    idle(120, slug="idle-120", stage=Stage.IN_IMPLEMENTATION)
    idle(200, slug="completed", stage=Stage.COMPLETED)
    idle(200, slug="dropped", stage=Stage.DROPPED)
    idle(200, slug="suspended", stage=Stage.SUSPENDED)
    idle(200, slug="hidden", is_public=False)
    with time_machine.travel(now, tick=False):
        yield


def stale_rows(response) -> dict[str, str]:
    return {ref: cells["days-idle"] for ref, cells in table(response, "stale-projects").items()}


def test_dashboard_stale_projects_default_is_the_follow_up_policy(client, idle_projects):
    """The policy's periods (negotiation 30, proposal 21, in implementation 60, suspended 90 days) decide,
    as they do for the reminders; completed and dropped projects are not followed."""
    response = client.get("/dashboard/")

    assert list(stale_rows(response).items()) == [
        ("suspended", "200"),
        ("idle-120", "120"),
        ("idle-90", "90"),
        ("idle-45", "45"),
    ]
    assert response.context["stale_days"] is None
    assert list(response.context["messages"]) == []


def test_dashboard_stale_projects_follow_a_changed_policy(client, idle_projects):
    StaleAfter.objects.filter(stage=Stage.NEGOTIATION).update(days=46)
    StaleAfter.objects.filter(stage=Stage.SUSPENDED).update(days=201)

    assert list(stale_rows(client.get("/dashboard/"))) == ["idle-120", "idle-90"]


def test_dashboard_stale_projects_threshold_from_query(client, idle_projects):
    response = client.get("/dashboard/", {"days": "45"})

    assert list(stale_rows(response)) == ["suspended", "idle-120", "idle-90", "idle-45"]
    assert list(stale_rows(client.get("/dashboard/", {"days": "46"}))) == ["suspended", "idle-120", "idle-90"]
    assert 'name="days" id="id_days" min="1" max="3650" step="1" value="45"' in response.content.decode()


@pytest.mark.parametrize("bad", ["abc", "0", "-5", "3.5", "99999", "1e3"])
def test_dashboard_stale_projects_bad_threshold_gives_default_and_message(client, idle_projects, bad):
    response = client.get("/dashboard/", {"days": bad})

    assert response.status_code == 200
    assert list(stale_rows(response)) == ["suspended", "idle-120", "idle-90", "idle-45"]
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1 and f"«{bad}»" in messages[0]  # the page speaks Russian by default
    assert messages[0] in response.content.decode()


def test_dashboard_stale_projects_include_hidden_for_staff(staff_client, idle_projects):
    assert "hidden" in stale_rows(staff_client.get("/dashboard/"))


def _official():
    user = UserFactory(username="official")
    user.groups.add(Group.objects.get(name=OFFICIALS_GROUP))
    return user


@pytest.mark.parametrize("who", ["staff", "official"])
def test_dashboard_lists_a_stale_project_without_a_curator(client, staff_user, idle_projects, who):
    """The curator column says nobody curates the project (`curator.username` on None was a 500)."""
    CooperationProject.objects.filter(slug="idle-45").update(curator=None)
    client.force_login(staff_user if who == "staff" else _official())

    response = client.get("/dashboard/")

    assert response.status_code == 200
    row = re.search(r'<tr data-row="idle-45">(.*?)</tr>', response.content.decode(), re.S).group(1)
    assert row.strip().endswith('<td><span class="muted">куратор не назначен</span></td>')
    assert response.content.decode().count("куратор не назначен") == 1


def test_dashboard_stale_project_lists_only_public_parties(client, idle_projects):
    project = CooperationProject.objects.get(slug="idle-90")
    ProjectPartyFactory(project=project, organization=company(name="Открытый завод"))
    ProjectPartyFactory(project=project, organization=company(name="Скрытый завод", is_public=False))

    html = client.get("/dashboard/").content.decode()

    assert "Открытый завод" in html
    assert "Скрытый завод" not in html


# --- query counts --------------------------------------------------------------------------


def _add_rows(count: int) -> None:
    """`count` missions with a delegation and a meeting, projects, contracts and overdue plan items."""
    now = timezone.now()
    for index in range(count):
        mission = MissionFactory(
            start_date=datetime.date(2020 + index % 7, 1, 1) if index % 5 else None,
            end_date=None,
            status=Mission.Status.PLANNED if index % 2 else Mission.Status.COMPLETED,
            destination_regions=[RegionFactory()],
        )
        DelegationMemberFactory(mission=mission)
        MeetingFactory(mission=mission, status=HELD)
        project = CooperationProjectFactory(
            origin_mission=mission,
            stage=Stage.CONTRACT_SIGNED if index % 2 else Stage.NEGOTIATION,
            expected_value=1000,
            currency="RUB" if index % 3 else "USD",
            last_activity_at=now - datetime.timedelta(days=100 + index),
        )
        project.sectors.set([SectorFactory()])
        ProjectPartyFactory(project=project)
        agreement = AgreementFactory(kind=Agreement.Kind.CONTRACT, signed_at_mission=mission, value=10, currency="RUB")
        PlanItemFactory(agreement=agreement, due_date=datetime.date(2000, 1, 1))


@pytest.mark.parametrize("who", ["anonymous", "staff"])
@pytest.mark.parametrize("url", ["/", "/dashboard/"])
def test_query_count_same_for_2_and_50_rows(request, client, who, url):
    if who == "staff":
        client = request.getfixturevalue("staff_client")
    _add_rows(2)
    client.get(url)  # warm up per-process caches (content types, sessions)
    with_two = query_count(client, url)

    _add_rows(48)
    response = client.get(url)
    with_fifty = query_count(client, url)

    assert with_two == with_fifty
    if url == "/dashboard/":
        assert len(response.context["stale_projects"]) == 50
        assert len(response.context["by_region_pair"]) == 50
        assert response.context["overdue_count"] == 50
    else:
        assert figure(response, "missions") == "50"
