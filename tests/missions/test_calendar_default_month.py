"""The mission calendar opens on the month of the next mission, and a month without missions says where
the nearest one is, with a link to its month."""

import datetime
import re

import pytest
import time_machine

from tests.factories import MissionFactory
from tests.helpers import html_of

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def calendar(client, **query) -> str:
    with time_machine.travel(TODAY, tick=False):
        return html_of(client.get("/missions/calendar/", query))


def heading(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html)[1]


def test_the_calendar_opens_on_the_month_of_the_next_mission(en):
    MissionFactory(title="Прошлая миссия", start_date=datetime.date(2026, 1, 20), end_date=datetime.date(2026, 1, 21))
    MissionFactory(title="Миссия в Тулу", start_date=datetime.date(2026, 5, 12), end_date=datetime.date(2026, 5, 14))
    MissionFactory(title="Миссия в Югру", start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2026, 9, 3))

    html = calendar(en)

    assert heading(html) == "Missions calendar: May 2026"
    assert "Миссия в Тулу" in html and "Миссия в Югру" not in html


def test_the_calendar_stays_on_this_month_while_a_mission_runs(en):
    MissionFactory(title="Идущая миссия", start_date=datetime.date(2026, 2, 27), end_date=datetime.date(2026, 3, 3))
    MissionFactory(title="Миссия в Тулу", start_date=datetime.date(2026, 5, 12), end_date=datetime.date(2026, 5, 14))

    assert heading(calendar(en)) == "Missions calendar: March 2026"


def test_the_calendar_ignores_a_mission_the_visitor_may_not_see(en):
    MissionFactory(title="Закрытая миссия", start_date=datetime.date(2026, 4, 1), end_date=None, is_public=False)
    MissionFactory(title="Миссия в Тулу", start_date=datetime.date(2026, 6, 8), end_date=None)

    html = calendar(en)

    assert heading(html) == "Missions calendar: June 2026"
    assert "Закрытая миссия" not in html


def test_with_nothing_to_come_the_calendar_shows_this_month_and_links_the_nearest(en):
    MissionFactory(title="Прошлая миссия", start_date=datetime.date(2025, 11, 10), end_date=datetime.date(2025, 11, 12))
    MissionFactory(title="Давняя миссия", start_date=datetime.date(2024, 6, 3), end_date=None)

    html = calendar(en)

    assert heading(html) == "Missions calendar: March 2026"
    assert re.search(
        r'<p class="card no-missions">No missions this month\. <a href="\?month=2025-11">'
        r"The nearest mission: November 2025\.</a></p>",
        html,
    )


def test_an_empty_month_asked_for_links_the_nearest_mission_after_it(en):
    MissionFactory(title="Миссия в Тулу", start_date=datetime.date(2026, 5, 12), end_date=None)
    MissionFactory(title="Прошлая миссия", start_date=datetime.date(2025, 11, 10), end_date=None)

    html = calendar(en, month="2026-04")

    assert heading(html) == "Missions calendar: April 2026"
    assert 'href="?month=2026-05">The nearest mission: May 2026.</a>' in html


def test_a_calendar_with_no_missions_at_all_says_so_without_a_link(en):
    html = calendar(en)

    assert heading(html) == "Missions calendar: March 2026"
    assert '<p class="card no-missions">No missions this month.</p>' in html
