"""Missions known to their month or year ("in May 2024"): stored as the first day, shown as written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from companies.dates import DatePrecision
from missions.models import Mission
from missions.services.missions import mission_create, mission_update
from tests import factories as f
from tests.helpers import html_of

pytestmark = pytest.mark.django_db


def _route():
    return {"origin_region": f.directory_region("73"), "destination_regions": [f.directory_region("74")]}


def test_a_mission_known_to_its_month_is_stored_on_the_first_day_and_shown_as_the_month(client):
    organizer = f.MinistryFactory(region=f.directory_region("73"))
    mission = mission_create(
        title="Визит в мае",
        organizer=organizer,
        start_date=datetime.date(2024, 5, 17),
        dates_precision=DatePrecision.MONTH,
        is_public=True,
        **_route(),
    )

    mission.refresh_from_db()
    with translation.override("ru"):
        assert (mission.start_date, mission.start_date_as_given) == (datetime.date(2024, 5, 1), "май 2024")
    html = html_of(client.get(reverse("missions:detail", args=[mission.slug]), HTTP_ACCEPT_LANGUAGE="ru"))
    assert "май 2024" in html
    assert "1 мая 2024" not in html


def test_a_mission_known_to_its_year_shows_the_year_in_the_list(client):
    organizer = f.MinistryFactory(region=f.directory_region("73"))
    mission_create(
        title="Визит в 2019 году",
        organizer=organizer,
        start_date=datetime.date(2019, 9, 3),
        dates_precision=DatePrecision.YEAR,
        is_public=True,
        **_route(),
    )

    html = html_of(client.get(reverse("missions:list"), HTTP_ACCEPT_LANGUAGE="ru"))
    assert '<time datetime="2019-01-01">2019</time>' in html


def test_an_end_date_with_a_month_only_start_is_refused_on_the_end_date_and_nothing_is_saved():
    organizer = f.MinistryFactory(region=f.directory_region("73"))
    with translation.override("ru"):
        with pytest.raises(ValidationError) as excinfo:
            mission_create(
                title="Визит в мае",
                organizer=organizer,
                start_date=datetime.date(2024, 5, 1),
                end_date=datetime.date(2024, 5, 3),
                dates_precision=DatePrecision.MONTH,
                **_route(),
            )
        assert excinfo.value.message_dict == {
            "end_date": ["Оставьте дату окончания пустой, если известны только месяц или год миссии."]
        }
    assert not Mission.objects.filter(title="Визит в мае").exists()


def test_a_day_precise_mission_keeps_its_day_and_a_later_month_precision_truncates_it():
    mission = f.MissionFactory(start_date=datetime.date(2024, 5, 17), end_date=None)
    with translation.override("ru"):
        assert mission.start_date_as_given == "17.05.2024"

    mission = mission_update(mission=mission, dates_precision=DatePrecision.MONTH)

    mission.refresh_from_db()
    assert (mission.start_date, mission.dates_precision) == (datetime.date(2024, 5, 1), DatePrecision.MONTH)
