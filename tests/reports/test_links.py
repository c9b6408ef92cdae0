"""The mission, agreement and region pages link to their reports."""

import datetime

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_mission_page_links_to_its_report_its_files_and_its_calendar():
    mission = f.MissionFactory(slug="to-chelyabinsk")

    html = Client().get("/missions/to-chelyabinsk/").content.decode()

    for href in (
        "/missions/to-chelyabinsk/report/",
        "/missions/to-chelyabinsk/report/?format=pdf",
        "/missions/to-chelyabinsk/report/?format=xlsx",
        "/missions/to-chelyabinsk/calendar.ics",
    ):
        assert f'href="{href}"' in html, href
    assert mission.slug in html


def test_agreement_page_links_to_its_status_report():
    f.AgreementFactory(slug="ul-chel")

    html = Client().get("/agreements/ul-chel/").content.decode()

    assert 'href="/agreements/ul-chel/report/"' in html
    assert 'href="/agreements/ul-chel/report/?format=pdf"' in html


def test_region_page_links_to_the_years_of_its_missions():
    ulyanovsk = f.directory_region("73")
    f.MissionFactory(start_date=datetime.date(2024, 5, 5), end_date=None)
    f.MissionFactory(start_date=datetime.date(2025, 2, 3))
    f.MissionFactory(start_date=None, end_date=None)
    f.MissionFactory(start_date=datetime.date(2023, 1, 1), end_date=None, is_public=False)  # not for a visitor

    html = Client().get(f"/regions/{ulyanovsk.slug}/").content.decode()

    links = [year for year in (2023, 2024, 2025) if f'href="/reports/{ulyanovsk.slug}/{year}/"' in html]
    assert links == [2024, 2025]
