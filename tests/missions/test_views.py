"""Mission pages: the list and its filters, the month calendar, the outcome page, visibility, query counts."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from agreements.models import Agreement, CooperationProject
from missions.models import DelegationMember, Meeting, Mission, ProgramItem, ReportedFigure
from tests.factories import (
    AgreementFactory,
    CooperationProjectFactory,
    DelegationMemberFactory,
    MeetingFactory,
    MissionFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramItemFactory,
    ProjectPartyFactory,
    ReportedFigureFactory,
    SourceFactory,
    directory_region,
)
from tests.helpers import html_of, query_count, section_of

pytestmark = pytest.mark.django_db


def _funnel(html: str) -> list[str]:
    funnel = re.search(r'<ol class="funnel outcome">(.*?)</ol>', html, re.S)[1]
    return [value.strip() for value in re.findall(r'<b class="value">(.*?)</b>', funnel)]


def _at(day: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 2, day, hour, 0))


# --- The mission page ------------------------------------------------------------------------


@pytest.fixture
def mission_with_outcomes():
    mission = MissionFactory(title="Бизнес-миссия в Челябинскую область", slug="ulyanovsk-chelyabinsk")
    plant, fund, ministry = (
        OrganizationFactory(name="Завод приводных валов"),
        OrganizationFactory(name="Фонд развития промышленности"),
        OrganizationFactory(name="Министерство промышленности Ульяновской области"),
    )
    head = PersonFactory(organization=ministry, last_name="Петров", first_name="Пётр", position="Министр")
    DelegationMemberFactory(mission=mission, organization=ministry, person=head, role=DelegationMember.Role.HEAD)
    DelegationMemberFactory(mission=mission, organization=ministry, role=DelegationMember.Role.ORGANIZER)
    DelegationMemberFactory(mission=mission, organization=plant)
    DelegationMemberFactory(mission=mission, organization=fund)
    ProgramItemFactory(
        mission=mission,
        kind=ProgramItem.Kind.SITE_VISIT,
        title="Посещение Челябинского тракторного завода",
        starts_at=_at(3, 14),
        ends_at=_at(3, 16),
    )
    ProgramItemFactory(mission=mission, title="Пленарная сессия", starts_at=_at(3, 10), ends_at=_at(3, 12))
    held = {"status": Meeting.Status.HELD, "outcome": Meeting.Outcome.PROJECT_OPENED}
    MeetingFactory(mission=mission, organization_a=plant, topic="Поставка датчиков давления", **held)
    MeetingFactory(mission=mission, organization_a=fund, topic="Совместное финансирование", **held)
    MeetingFactory(mission=mission, organization_a=plant, status=Meeting.Status.CANCELLED, topic="Отменённая встреча")
    signed = CooperationProjectFactory(
        title="Поставка эталонных датчиков давления",
        origin_mission=mission,
        stage=CooperationProject.Stage.CONTRACT_SIGNED,
        expected_value=1_000_000,
        currency="RUB",
    )
    ProjectPartyFactory(project=signed, organization=plant)
    CooperationProjectFactory(
        title="Экспорт карданных валов",
        origin_mission=mission,
        stage=CooperationProject.Stage.NEGOTIATION,
        expected_value=250_000,
        currency="USD",
    )
    return mission


def test_mission_page_shows_programme_in_time_order(en, mission_with_outcomes):
    html = section_of(html_of(en.get("/missions/ulyanovsk-chelyabinsk/")), "program-heading")

    assert html.index("Пленарная сессия") < html.index("Посещение Челябинского тракторного завода")
    assert "site visit" in html


def test_mission_page_groups_delegation_by_organization_with_people_and_links(en, mission_with_outcomes):
    html = section_of(html_of(en.get("/missions/ulyanovsk-chelyabinsk/")), "delegation-heading")

    assert "3 organizations, 1 person" in html
    assert html.count("Министерство промышленности Ульяновской области") == 1
    assert "Пётр Петров" in html and "head of delegation" in html and "organizer" in html
    plant = mission_with_outcomes.delegation.get(organization__name="Завод приводных валов").organization
    assert f'href="/companies/{plant.slug}/"' in html


def test_mission_page_counts_meetings_by_status_and_outcome_and_lists_held_ones(en, mission_with_outcomes):
    html = section_of(html_of(en.get("/missions/ulyanovsk-chelyabinsk/")), "meetings-heading")

    assert "<dt>held</dt><dd>2</dd>" in html
    assert "<dt>cancelled</dt><dd>1</dd>" in html
    assert "<dt>total</dt><dd>3</dd>" in html
    assert '<dt>project opened</dt><dd><a href="?outcome=project_opened#meetings-table">2</a></dd>' in html
    assert "Поставка датчиков давления" in html and "Совместное финансирование" in html
    assert "Отменённая встреча" not in html


def test_mission_funnel_counts_delegation_meetings_projects_contracts_and_roubles(en, mission_with_outcomes):
    html = html_of(en.get("/missions/ulyanovsk-chelyabinsk/"))

    assert _funnel(html) == ["3", "2", "2", "1"]
    funnel_section = section_of(html, "funnel-heading")
    assert 'class="pct-100"' in funnel_section and 'class="pct-33"' in funnel_section
    # The value is a figure beside the bars, never a bar on the scale of the organizations.
    assert re.search(r'data-figure="value">[^<]*<strong>1,000,000 ₽</strong>', funnel_section)
    assert funnel_section.count('class="bar"') == 4
    # The dollar project is listed at its own currency, never added to the roubles.
    assert "250,000 $" in section_of(html, "projects-heading")
    assert "1,250,000" not in html


def test_mission_funnel_lists_signed_contracts_in_other_currencies_apart(en, mission_with_outcomes):
    CooperationProject.objects.filter(currency="USD").update(stage=CooperationProject.Stage.IN_IMPLEMENTATION)
    AgreementFactory(
        kind=Agreement.Kind.CONTRACT,
        signed_at_mission=mission_with_outcomes,
        value=500_000,
        currency="RUB",
        title="Договор поставки валов",
    )

    html = html_of(en.get("/missions/ulyanovsk-chelyabinsk/"))

    assert _funnel(html) == ["3", "2", "2", "3"]
    assert "<strong>1,500,000 ₽</strong>" in section_of(html, "funnel-heading")
    other = re.search(r'<p class="other-currencies">(.*?)</p>', html, re.S)[1]
    assert "250,000 $" in other
    assert "Договор поставки валов" in section_of(html, "agreements-heading")


def test_mission_page_shows_stage_of_each_project_born_there(en, mission_with_outcomes):
    html = section_of(html_of(en.get("/missions/ulyanovsk-chelyabinsk/")), "projects-heading")

    assert re.search(r"Поставка эталонных датчиков давления.*?contract signed", html, re.S)
    assert re.search(r"Экспорт карданных валов.*?negotiation", html, re.S)


def test_return_mission_linked_both_ways(en, mission_with_outcomes):
    answer = MissionFactory(
        title="Ответный визит челябинской делегации",
        slug="chelyabinsk-ulyanovsk",
        origin_region=directory_region("74"),
        destination_regions=[directory_region("73")],
        reciprocal_of=mission_with_outcomes,
    )

    first = html_of(en.get("/missions/ulyanovsk-chelyabinsk/"))
    second = html_of(en.get("/missions/chelyabinsk-ulyanovsk/"))

    assert re.search(r"Return missions</dt><dd><a href=\"/missions/chelyabinsk-ulyanovsk/\">", first)
    assert answer.title in first
    assert re.search(r"Return mission of</dt><dd><a href=\"/missions/ulyanovsk-chelyabinsk/\">", second)


def test_reported_figures_stand_beside_the_counted_rows(en, mission_with_outcomes):
    source = SourceFactory(title="Пресс-релиз министерства", url="https://example.org/news/1")
    ReportedFigureFactory(
        source=source,
        mission=mission_with_outcomes,
        metric=ReportedFigure.Metric.CONTRACTS,
        qualifier=ReportedFigure.Qualifier.MORE_THAN,
        number=50,
        quote="Заключено более 50 новых контрактов",
    )
    ReportedFigureFactory(
        source=source,
        mission=mission_with_outcomes,
        metric=ReportedFigure.Metric.MEETINGS,
        qualifier=ReportedFigure.Qualifier.EXACTLY,
        number=2,
    )
    mission_with_outcomes.sources.add(source)

    html = section_of(html_of(en.get("/missions/ulyanovsk-chelyabinsk/")), "sources-heading")

    contracts = re.search(r"<th scope=\"row\">contracts signed</th>(.*?)</tr>", html, re.S)[1]
    assert "more than 50" in contracts
    assert re.search(
        r'<td><span data-counted="contracts">contracts signed: 1</span> '
        r'<span class="badge warn">49 records fewer than reported</span>',
        contracts,
    )
    assert "Заключено более 50 новых контрактов" in contracts
    meetings = re.search(r"<th scope=\"row\">B2B meetings</th>(.*?)</tr>", html, re.S)[1]
    assert "exactly 2" in meetings
    assert (
        '<td><span data-counted="meetings">meetings held: 2</span> <span class="muted">as many as reported</span></td>'
        in meetings
    )
    assert 'href="https://example.org/news/1"' in html


# --- The list and its filters ----------------------------------------------------------------


@pytest.fixture
def four_missions():
    ulyanovsk, chelyabinsk, tula, mordovia = (directory_region(code) for code in ("73", "74", "71", "13"))
    return {
        "out": MissionFactory(
            title="Ульяновск → Челябинск", origin_region=ulyanovsk, destination_regions=[chelyabinsk]
        ),
        "in": MissionFactory(
            title="Челябинск → Ульяновск",
            origin_region=chelyabinsk,
            destination_regions=[ulyanovsk],
            start_date=datetime.date(2023, 5, 10),
            end_date=datetime.date(2023, 5, 11),
        ),
        "planned": MissionFactory(
            title="Ульяновск → Тула",
            origin_region=ulyanovsk,
            destination_regions=[tula, chelyabinsk],
            status=Mission.Status.PLANNED,
        ),
        "other": MissionFactory(title="Мордовия → Тула", origin_region=mordovia, destination_regions=[tula]),
    }


def _titles(html: str) -> set[str]:
    return set(re.findall(r'<th scope="row"><a href="/missions/[^"]+/">([^<]+)</a>', html))


def test_mission_list_shows_route_dates_status_organizer_and_delegation_size(en, four_missions):
    mission = four_missions["out"]
    DelegationMemberFactory.create_batch(2, mission=mission)

    html = html_of(en.get("/missions/"))

    row = re.search(r"Ульяновск → Челябинск</a></th>(.*?)</tr>", html, re.S)[1]
    assert "Ulyanovsk" in row or "Ульяновская" in row
    assert "3 February 2025" in row and "4 February 2025" in row
    assert '<span class="badge ok">completed</span>' in row
    assert str(mission.organizer) in row
    assert '<td class="num">2</td>' in row
    assert "4 missions" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"out", "in", "planned", "other"}),
        ("region={ulyanovsk}", {"out", "in", "planned"}),
        ("region={ulyanovsk}&direction=outgoing", {"out", "planned"}),
        ("region={ulyanovsk}&direction=incoming", {"in"}),
        ("region={ulyanovsk}&direction=outgoing&status=completed", {"out"}),
        ("region={chelyabinsk}&direction=incoming&status=planned", {"planned"}),
        ("status=planned", {"planned"}),
        ("year=2023", {"in"}),
        ("direction=incoming", {"out", "in", "planned", "other"}),
    ],
)
def test_mission_list_filters_by_region_direction_status_and_year(en, four_missions, query, expected):
    query = query.format(ulyanovsk=directory_region("73").slug, chelyabinsk=directory_region("74").slug)

    html = html_of(en.get(f"/missions/?{query}"))

    assert _titles(html) == {four_missions[key].title for key in expected}


@pytest.mark.parametrize(
    "query",
    [
        "region=atlantis",
        "year=abc",
        "year=99999",
        "status=bogus",
        "direction=sideways",
        "page=abc",
        "page=99999",
        "page=-1",
        "region=atlantis&year=1&page=0&status=&direction=incoming",
    ],
)
def test_mission_list_bad_filter_input_gives_a_page(en, four_missions, query):
    html = html_of(en.get(f"/missions/?{query}"))

    assert _titles(html) == {mission.title for mission in four_missions.values()}


def test_mission_list_unknown_region_is_reported_beside_the_field(en, four_missions):
    html = html_of(en.get("/missions/?region=atlantis"))

    assert "Select a valid choice" in html and "The filter was ignored." in html


def test_mission_list_paginates_and_keeps_the_filters(en):
    MissionFactory.create_batch(25, status=Mission.Status.PLANNED)

    first = html_of(en.get("/missions/?status=planned"))
    last = html_of(en.get("/missions/?status=planned&page=99999"))

    assert len(_titles(first)) == 20 and len(_titles(last)) == 5
    assert 'href="?status=planned&amp;page=2"' in first
    assert "Page 2 of 2" in last


def test_list_and_calendar_link_to_each_other(en):
    assert 'href="/missions/calendar/' in html_of(en.get("/missions/"))
    assert 'href="/missions/' in html_of(en.get("/missions/calendar/"))


# --- The calendar ----------------------------------------------------------------------------


def _calendar_cell(html: str, day: str) -> str:
    match = re.search(rf'<td[^>]*>\s*<span class="day-number"><time datetime="{day}">.*?</td>', html, re.S)
    assert match, day
    return match[0]


def test_calendar_places_a_mission_on_each_of_its_days(en):
    MissionFactory(title="Миссия в Тулу", start_date=datetime.date(2025, 2, 3), end_date=datetime.date(2025, 2, 4))

    html = html_of(en.get("/missions/calendar/?month=2025-02"))

    assert "<h1>Missions calendar: February 2025</h1>" in html
    assert "Миссия в Тулу" in _calendar_cell(html, "2025-02-03")
    assert "Миссия в Тулу" in _calendar_cell(html, "2025-02-04")
    assert "Миссия в Тулу" not in _calendar_cell(html, "2025-02-05")
    assert "Миссия в Тулу" not in _calendar_cell(html, "2025-02-02")
    assert 'href="?month=2025-01"' in html and 'href="?month=2025-03"' in html


def test_calendar_shows_a_mission_that_started_the_month_before(en):
    MissionFactory(title="Долгая миссия", start_date=datetime.date(2025, 1, 30), end_date=datetime.date(2025, 2, 2))

    html = html_of(en.get("/missions/calendar/?month=2025-02"))

    assert "Долгая миссия" in _calendar_cell(html, "2025-02-01")
    assert "Долгая миссия" in _calendar_cell(html, "2025-02-02")
    assert "Долгая миссия" not in _calendar_cell(html, "2025-02-03")


def test_calendar_filters_by_region(en, four_missions):
    html = html_of(en.get(f"/missions/calendar/?month=2025-02&region={directory_region('13').slug}"))

    cell = _calendar_cell(html, "2025-02-03")
    assert "Мордовия → Тула" in cell and "Ульяновск → Челябинск" not in cell


@pytest.mark.parametrize("month", ["2025-13", "abc", "0000-01", "2025-02-01", "99999-01", "2025-0"])
def test_calendar_bad_month_shows_current_month_with_a_message(en, month):
    MissionFactory(title="Миссия этого месяца", start_date=datetime.date(2025, 2, 10), end_date=None)

    with time_machine.travel(datetime.datetime(2025, 2, 12, 12, 0, tzinfo=datetime.UTC), tick=False):
        html = html_of(en.get("/missions/calendar/", {"month": month}))

    assert "<h1>Missions calendar: February 2025</h1>" in html
    assert "is not a month in the form YYYY-MM" in html
    assert "Миссия этого месяца" in _calendar_cell(html, "2025-02-10")


def test_calendar_without_month_shows_current_month_quietly(en):
    with time_machine.travel(datetime.datetime(2025, 7, 1, 12, 0, tzinfo=datetime.UTC), tick=False):
        html = html_of(en.get("/missions/calendar/"))

    assert "<h1>Missions calendar: July 2025</h1>" in html
    assert "is not a month" not in html
    assert 'aria-current="date"' in _calendar_cell(html, "2025-07-01")


# --- Who sees what ---------------------------------------------------------------------------


@pytest.fixture
def hidden_rows():
    """A public mission carrying non-public rows of every kind, and a non-public mission."""
    mission = MissionFactory(title="Открытая миссия", slug="open-mission")
    secret_org = OrganizationFactory(name="Закрытое предприятие", is_public=False)
    secret_person = PersonFactory(organization=secret_org, last_name="Скрытный")
    DelegationMemberFactory(mission=mission, organization=secret_org, person=secret_person)
    DelegationMemberFactory(mission=mission, organization=OrganizationFactory(name="Открытое предприятие"))
    MeetingFactory(
        mission=mission,
        organization_a=secret_org,
        status=Meeting.Status.HELD,
        topic="Тайные переговоры",
    )
    CooperationProjectFactory(title="Закрытый проект", origin_mission=mission, is_public=False)
    AgreementFactory(title="Закрытое соглашение", signed_at_mission=mission, is_public=False)
    hidden_mission = MissionFactory(title="Закрытая миссия", slug="hidden-mission", is_public=False)
    MissionFactory(title="Ответ на закрытую", reciprocal_of=hidden_mission, slug="answer")
    ProgramItemFactory(mission=mission, title="Визит на завод", host=secret_org)
    return mission


SECRETS = (
    "Закрытое предприятие",
    "Скрытный",
    "Тайные переговоры",
    "Закрытый проект",
    "Закрытое соглашение",
    "Закрытая миссия",
)
PAGES = ("/missions/", "/missions/calendar/?month=2025-02", "/missions/open-mission/", "/missions/answer/")


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_never_sees_non_public_rows(en, hidden_rows, url):
    html = html_of(en.get(url))

    assert [secret for secret in SECRETS if secret in html] == []


def test_anonymous_funnel_counts_only_public_rows(en, hidden_rows):
    html = html_of(en.get("/missions/open-mission/"))

    assert _funnel(html)[:3] == ["1", "0", "0"]


def test_staff_sees_non_public_rows(staff_en, hidden_rows):
    html = "".join(html_of(staff_en.get(url)) for url in (*PAGES, "/missions/hidden-mission/"))

    assert [secret for secret in SECRETS if secret not in html] == []
    assert _funnel(html_of(staff_en.get("/missions/open-mission/")))[:3] == ["2", "1", "1"]


def test_non_public_mission_is_404_like_a_missing_one(client, hidden_rows):
    hidden = client.get("/missions/hidden-mission/")
    missing = client.get("/missions/no-such-mission/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content.replace(b"hidden-mission", b"X") == missing.content.replace(b"no-such-mission", b"X")
    assert "Закрытая миссия".encode() not in hidden.content


# --- A fixed number of queries ---------------------------------------------------------------


def _add_missions(count: int) -> None:
    for _ in range(count):
        mission = MissionFactory(destination_regions=[directory_region("74"), directory_region("71")])
        DelegationMemberFactory(mission=mission)


def _fill_mission(mission: Mission, count: int) -> None:
    for _ in range(count):
        organization = OrganizationFactory()
        DelegationMemberFactory(mission=mission, organization=organization)
        DelegationMemberFactory(
            mission=mission, organization=organization, person=PersonFactory(organization=organization)
        )
        ProgramItemFactory(mission=mission, host=organization)
        MeetingFactory(mission=mission, status=Meeting.Status.HELD, outcome=Meeting.Outcome.FOLLOW_UP_AGREED)
        project = CooperationProjectFactory(origin_mission=mission, stage=CooperationProject.Stage.CONTRACT_SIGNED)
        ProjectPartyFactory(project=project, organization=organization)
        AgreementFactory(signed_at_mission=mission)
        ReportedFigureFactory(mission=mission)
        MissionFactory(reciprocal_of=mission)


@pytest.mark.parametrize("as_staff", [False, True])
@pytest.mark.parametrize("url", ["/missions/", "/missions/calendar/?month=2025-02"])
def test_mission_lists_run_the_same_queries_for_2_and_50_missions(client, staff_user, url, as_staff):
    if as_staff:
        client.force_login(staff_user)
    _add_missions(2)
    few = query_count(client, url)
    _add_missions(48)
    many = query_count(client, url)

    assert few == many


@pytest.mark.parametrize("as_staff", [False, True])
def test_mission_page_runs_the_same_queries_for_2_and_50_rows(client, staff_user, as_staff):
    if as_staff:
        client.force_login(staff_user)
    mission = MissionFactory(slug="busy")
    _fill_mission(mission, 2)
    few = query_count(client, "/missions/busy/")
    _fill_mission(mission, 48)
    many = query_count(client, "/missions/busy/")

    assert few == many
