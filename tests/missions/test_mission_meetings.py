"""A mission's meetings at scale on its page: counted by status, outcome and day in SQL, the held ones
paged and filtered by the summary's links, the meetings outside the delegation paged too; the same
queries for 3 meetings and for 300; the printed report still lists every meeting held."""

import datetime
import re

import pytest

from missions.models import Meeting, Mission
from tests.factories import (
    DelegationMemberFactory,
    MeetingFactory,
    MissionFactory,
    OrganizationFactory,
    directory_region,
)
from tests.helpers import html_of, section_of

pytestmark = pytest.mark.django_db

FEB_3, FEB_4 = datetime.date(2025, 2, 3), datetime.date(2025, 2, 4)
HELD, CANCELLED, SCHEDULED = Meeting.Status.HELD, Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED
OPENED, FOLLOW_UP = Meeting.Outcome.PROJECT_OPENED, Meeting.Outcome.FOLLOW_UP_AGREED


@pytest.fixture
def mission():
    """Ulyanovsk → Chelyabinsk: a delegation of two companies, two Chelyabinsk hosts, a Tula outsider."""
    mission = MissionFactory(
        slug="busy", origin_region=directory_region("73"), destination_regions=[directory_region("74")]
    )
    guests = [OrganizationFactory(region=directory_region("73"), name=f"Ульяновский завод {n}") for n in (1, 2)]
    for guest in guests:
        DelegationMemberFactory(mission=mission, organization=guest)
    mission.guests = guests
    mission.hosts = [OrganizationFactory(region=directory_region("74"), name=f"Челябинский завод {n}") for n in (1, 2)]
    mission.outsider = OrganizationFactory(region=directory_region("71"), name="Тульский оружейный завод")
    return mission


def add_meetings(mission: Mission, count: int, *, date=FEB_3, status=HELD, outcome="", b=None, topic="Встреча"):
    """`count` untimed meetings of one day (no time slot: any number of them fit), numbered in their topics."""
    first = Meeting.objects.filter(mission=mission).count()
    Meeting.objects.bulk_create(
        Meeting(
            mission=mission,
            date=date,
            organization_a=mission.guests[n % 2],
            organization_b=b or mission.hosts[n % 2],
            status=status,
            outcome=outcome,
            topic=f"{topic} {first + n + 1:03d}",
        )
        for n in range(count)
    )


def topics(html: str) -> list[str]:
    table = re.search(r'<table class="meetings-table">(.*?)</table>', html, re.S)
    return re.findall(r"<td>((?:Встреча|Тема)[^<]*)</td>", table[1]) if table else []


def meetings_section(client, query: str = "") -> str:
    return section_of(html_of(client.get(f"/missions/busy/{query}")), "meetings-heading")


def by_day(html: str) -> list[str]:
    """The by-day summary as text, a line per day."""
    days = re.search(r'<dl class="facts meeting-days">(.*?)</dl>', html, re.S)[1]
    return [" ".join(re.sub(r"<[^>]+>", " ", pair).split()) for pair in re.findall(r"<dt>.*?</dd>", days, re.S)]


# --- The summary ---------------------------------------------------------------------------------


def test_summary_counts_meetings_by_status_outcome_and_day(en, mission):
    add_meetings(mission, 2, date=FEB_3, outcome=OPENED)
    add_meetings(mission, 1, date=FEB_3, outcome="")
    add_meetings(mission, 1, date=FEB_4, outcome=FOLLOW_UP)
    add_meetings(mission, 2, date=FEB_4, status=CANCELLED)
    add_meetings(mission, 1, date=None, status=SCHEDULED)

    html = meetings_section(en)

    status = re.search(r'<dl class="facts meeting-status">(.*?)</dl>', html, re.S)[1]
    assert re.findall(r"<dt>(.*?)</dt><dd>(\d+)</dd>", status) == [
        ("scheduled", "1"),
        ("held", "4"),
        ("cancelled", "2"),
        ("total", "7"),
    ]
    outcome = re.search(r'<dl class="facts meeting-outcome">(.*?)</dl>', html, re.S)[1]
    assert re.findall(r'<dt>(.*?)</dt><dd><a href="([^"]*)">(\d+)</a></dd>', outcome) == [
        ("follow-up agreed", "?outcome=follow_up_agreed#meetings-table", "1"),
        ("project opened", "?outcome=project_opened#meetings-table", "2"),
        ("not recorded", "?outcome=none#meetings-table", "1"),
    ]
    assert by_day(html) == [
        "3 February 2025 3 meetings, 3 held",
        "4 February 2025 3 meetings, 1 held",
        "day not set 1 meeting",
    ]
    assert '<a href="?day=2025-02-03#meetings-table">3 held</a>' in html
    assert '<a href="?day=2025-02-04#meetings-table">1 held</a>' in html


def test_summary_agrees_with_the_funnel_and_hides_a_meeting_with_a_hidden_party(en, mission):
    add_meetings(mission, 3, outcome=OPENED)
    add_meetings(mission, 1, status=CANCELLED)
    hidden = OrganizationFactory(region=directory_region("74"), name="Закрытый завод", is_public=False)
    add_meetings(mission, 2, b=hidden, topic="Тема")

    html = html_of(en.get("/missions/busy/"))

    funnel = re.search(r'<ol class="funnel outcome">(.*?)</ol>', html, re.S)[1]
    meetings_held_bar = re.search(r"Meetings held</span>.*?<b class=\"value\">(\d+)</b>", funnel, re.S)[1]
    section = section_of(html, "meetings-heading")
    assert meetings_held_bar == "3"
    assert "<dt>held</dt><dd>3</dd>" in section and "<dt>total</dt><dd>4</dd>" in section
    assert by_day(section) == ["3 February 2025 4 meetings, 3 held"]
    assert "Закрытый завод" not in html and "Тема" not in html


def test_staff_count_the_meeting_with_a_hidden_party(staff_en, mission):
    add_meetings(mission, 3, outcome=OPENED)
    hidden = OrganizationFactory(region=directory_region("74"), name="Закрытый завод", is_public=False)
    add_meetings(mission, 2, b=hidden, topic="Тема")

    html = meetings_section(staff_en)

    assert "<dt>held</dt><dd>5</dd>" in html
    assert len(topics(html)) == 5


# --- The table of meetings held: paged and filtered ---------------------------------------------


def test_meetings_held_are_paged_fifty_at_a_time_in_the_page_order(en, mission):
    add_meetings(mission, 30, date=FEB_4)
    add_meetings(mission, 23, date=FEB_3)
    add_meetings(mission, 2, status=CANCELLED)

    first, second = meetings_section(en), meetings_section(en, "?meetings=2")

    assert topics(first) == [f"Встреча {n:03d}" for n in range(31, 54)] + [f"Встреча {n:03d}" for n in range(1, 28)]
    assert topics(second) == [f"Встреча {n:03d}" for n in range(28, 31)]
    assert 'href="?meetings=2#meetings-table" rel="next"' in first
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert 'id="meetings-table"' in first


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99", "2.5", "%00"])
def test_a_bad_page_number_shows_the_nearest_page(en, mission, page):
    add_meetings(mission, 53)

    html = meetings_section(en, f"?meetings={page}")

    shown = topics(html)
    assert shown in ([f"Встреча {n:03d}" for n in range(1, 51)], [f"Встреча {n:03d}" for n in range(51, 54)])


def test_the_summary_links_filter_the_table_by_day(en, mission):
    add_meetings(mission, 2, date=FEB_3)
    add_meetings(mission, 3, date=FEB_4, outcome=OPENED)
    add_meetings(mission, 1, date=None)

    feb_4, undated = meetings_section(en, "?day=2025-02-04"), meetings_section(en, "?day=none")

    assert topics(feb_4) == ["Встреча 003", "Встреча 004", "Встреча 005"]
    assert "Day: <b>4 February 2025</b>. 3 meetings held." in feb_4
    assert 'href="/missions/busy/#meetings-table">Show all meetings held</a>' in feb_4
    assert topics(undated) == ["Встреча 006"]
    assert "Day: <b>day not set</b>. 1 meeting held." in undated


def test_the_summary_links_filter_the_table_by_outcome_and_by_both(en, mission):
    add_meetings(mission, 2, date=FEB_3, outcome=OPENED)
    add_meetings(mission, 1, date=FEB_3, outcome="")
    add_meetings(mission, 2, date=FEB_4, outcome=OPENED)

    opened = meetings_section(en, "?outcome=project_opened")
    not_recorded = meetings_section(en, "?outcome=none")
    both = meetings_section(en, "?day=2025-02-04&outcome=project_opened")

    assert topics(opened) == ["Встреча 001", "Встреча 002", "Встреча 004", "Встреча 005"]
    assert "Outcome: <b>project opened</b>. 4 meetings held." in opened
    assert topics(not_recorded) == ["Встреча 003"]
    assert topics(both) == ["Встреча 004", "Встреча 005"]
    assert "Day: <b>4 February 2025</b>. Outcome: <b>project opened</b>. 2 meetings held." in both


def test_a_filtered_table_is_paged_and_its_pager_keeps_the_filter(en, mission):
    add_meetings(mission, 5, date=FEB_3)
    add_meetings(mission, 52, date=FEB_4)

    first, second = meetings_section(en, "?day=2025-02-04"), meetings_section(en, "?day=2025-02-04&meetings=2")

    assert len(topics(first)) == 50 and topics(first)[0] == "Встреча 006"
    assert topics(second) == ["Встреча 056", "Встреча 057"]
    assert 'href="?day=2025-02-04&amp;meetings=2#meetings-table" rel="next"' in first


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("?day=tomorrow", "“tomorrow” is not a day with meetings at this mission"),
        ("?day=2025-02-30", "“2025-02-30” is not a day with meetings at this mission"),
        ("?day=2025-02-05", "“2025-02-05” is not a day with meetings at this mission"),
        ("?day=%3Cb%3E", "“&lt;b&gt;” is not a day with meetings at this mission"),
        ("?outcome=won", "“won” is not an outcome of the meetings held here"),
        ("?outcome=agreement_reached", "“agreement_reached” is not an outcome of the meetings held here"),
    ],
)
def test_a_bad_filter_shows_the_whole_list_with_a_note(en, mission, query, note):
    add_meetings(mission, 2, date=FEB_3, outcome=OPENED)
    add_meetings(mission, 1, date=FEB_4)

    html = meetings_section(en, query)

    assert topics(html) == ["Встреча 001", "Встреча 002", "Встреча 003"]
    assert note in html
    assert 'class="notices" role="status"' in html


def test_a_day_without_meetings_held_shows_an_empty_table_with_a_way_back(en, mission):
    add_meetings(mission, 2, date=FEB_3)
    add_meetings(mission, 1, date=FEB_4, status=CANCELLED)

    html = meetings_section(en, "?day=2025-02-04")

    assert topics(html) == []
    assert "No meetings held match the choice." in html
    assert "Show all meetings held" in html


# --- Meetings outside the delegation -------------------------------------------------------------


def test_meetings_outside_the_delegation_are_counted_and_paged(en, mission):
    add_meetings(mission, 25, b=mission.outsider, status=SCHEDULED)
    add_meetings(mission, 3)

    first = section_of(html_of(en.get("/missions/busy/")), "meetings-heading")
    second = section_of(html_of(en.get("/missions/busy/?off=2")), "meetings-heading")

    off_first = re.search(r'<div class="card" id="off-the-mission".*?</ul>', first, re.S)[0]
    off_second = re.search(r'<div class="card" id="off-the-mission".*?</ul>', second, re.S)[0]
    assert "25 meetings are with an organization that is neither in the delegation" in first
    assert off_first.count("<li>") == 20 and off_second.count("<li>") == 5
    assert off_first.count('Тульский оружейный завод</a> <span class="badge warn" data-off-the-mission>') == 20
    assert 'href="?off=2#off-the-mission" rel="next"' in first
    assert "not in the delegation" not in re.search(r'<table class="meetings-table">.*?</table>', first, re.S)[0]


def test_an_organization_of_a_destination_countrys_region_is_on_the_host_side(en, partner):
    mission = MissionFactory(slug="busy", destination_regions=[partner.country])
    guest = OrganizationFactory(region=directory_region("73"), name="Ульяновский завод")
    DelegationMemberFactory(mission=mission, organization=guest)
    MeetingFactory(
        mission=mission, organization_a=guest, organization_b=OrganizationFactory(region=partner.north), status=HELD
    )
    MeetingFactory(
        mission=mission,
        organization_a=guest,
        organization_b=OrganizationFactory(region=directory_region("71")),
        status=HELD,
    )

    html = meetings_section(en)

    assert "1 meeting is with an organization that is neither in the delegation" in html
    assert html.count('<span class="badge warn" data-off-the-mission>') == 2  # the list's row and the table's


# --- The same queries for 3 meetings and for 300 -------------------------------------------------


def _fill(mission: Mission, count: int) -> None:
    """Meetings of every kind: held on two days with outcomes, cancelled, undated, with the outsider."""
    add_meetings(mission, count // 3, date=FEB_3, outcome=OPENED)
    add_meetings(mission, count // 3, date=FEB_4, status=CANCELLED)
    add_meetings(mission, count - 2 * (count // 3) - 1, date=None, status=SCHEDULED)
    add_meetings(mission, 1, date=FEB_4, b=mission.outsider)


@pytest.mark.parametrize(
    ("who", "query", "queries"),
    [
        ("anonymous", "", 19),
        ("anonymous", "?day=2025-02-03&meetings=2", 19),
        ("anonymous", "?outcome=nonsense&day=1", 19),
        ("staff", "", 22),
    ],
)
@pytest.mark.parametrize("count", [3, 300])
def test_the_mission_page_runs_the_same_queries_for_3_and_300_meetings(
    client, staff_user, django_assert_num_queries, mission, who, query, queries, count
):
    if who == "staff":
        client.force_login(staff_user)
    _fill(mission, count)
    client.get(f"/missions/busy/{query}")  # what is cached once per process stays out of the count

    with django_assert_num_queries(queries):
        response = client.get(f"/missions/busy/{query}")

    assert response.status_code == 200
    assert Meeting.objects.filter(mission=mission).count() == count


# --- The printed report is a document: every meeting held -----------------------------------------


def test_the_printed_report_lists_every_meeting_held(en, mission):
    add_meetings(mission, 60)
    add_meetings(mission, 2, status=CANCELLED)

    html = html_of(en.get("/missions/busy/report/"))

    table = re.search(r'<table class="meetings-table">(.*?)</table>', html, re.S)[1]
    assert re.findall(r"<td>(Встреча \d+)</td>", table) == [f"Встреча {n:03d}" for n in range(1, 61)]
    assert 'class="pagination"' not in html
