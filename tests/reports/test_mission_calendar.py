"""A mission's programme as iCal: timed items in their venue's zone (TZID and its VTIMEZONE), items
with a day and no time as all-day events, items without a day left out; a hidden mission is a 404."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db


def calendar_of(client, mission) -> icalendar.Calendar:
    response = client.get(reverse("reports:mission-calendar", kwargs={"slug": mission.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_mission_calendar_has_the_programme_in_the_venue_zones():
    mission = f.MissionFactory(title="Миссия в Челябинск")  # to Chelyabinsk: Asia/Yekaterinburg
    start = timezone.make_aware(datetime.datetime(2025, 2, 3, 5, 0), datetime.UTC)  # 10:00 in Chelyabinsk
    f.ProgramItemFactory(
        mission=mission,
        title="Пленарное заседание",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        venue="Конгресс-холл",
    )
    tashkent = f.PlaceFactory(name="Ташкент", region__time_zone="Asia/Tashkent")
    f.ProgramItemFactory(
        mission=mission,
        title="Визит в Ташкент",
        place=tashkent,
        starts_at=start + datetime.timedelta(days=1),
        ends_at=None,
    )
    f.ProgramItemFactory(mission=mission, title="Выставка", date=datetime.date(2025, 2, 4))
    f.ProgramItemFactory(mission=mission, title="Когда-нибудь", date=None)

    calendar = calendar_of(Client(), mission)

    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert sorted(events) == ["Визит в Ташкент", "Выставка", "Пленарное заседание"]
    plenary = events["Пленарное заседание"]
    assert plenary["DTSTART"].params["TZID"] == "Asia/Yekaterinburg"
    assert plenary.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2025, 2, 3, 10, 0)
    assert plenary.decoded("DTEND").replace(tzinfo=None) == datetime.datetime(2025, 2, 3, 12, 0)
    assert str(plenary["LOCATION"]) == "Конгресс-холл"
    visit = events["Визит в Ташкент"]
    assert visit["DTSTART"].params["TZID"] == "Asia/Tashkent"
    assert visit.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2025, 2, 4, 10, 0)
    exhibition = events["Выставка"]
    assert exhibition.decoded("DTSTART") == datetime.date(2025, 2, 4)  # all day
    assert exhibition.decoded("DTEND") == datetime.date(2025, 2, 5)
    assert sorted(str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")) == ["Asia/Tashkent", "Asia/Yekaterinburg"]
    assert str(calendar["X-WR-CALNAME"]) == "Миссия в Челябинск"


@pytest.mark.parametrize("role", ["anonymous", "company"])
def test_a_hidden_mission_calendar_is_not_found(role):
    mission = f.MissionFactory(is_public=False)
    f.ProgramItemFactory(mission=mission, title="Тайная встреча", date=datetime.date(2025, 2, 3))
    client = Client()
    if role == "company":
        user = f.UserFactory()
        f.PersonFactory(user=user, organization=f.OrganizationFactory())
        client.force_login(user)

    response = client.get(reverse("reports:mission-calendar", kwargs={"slug": mission.slug}))

    assert response.status_code == 404
    assert "Тайная встреча" not in response.content.decode()
