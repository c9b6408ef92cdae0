"""What the public pages show of missions entered the way real visits are: a foreign country's page
and a region pair roll up the country's regions and cities; the mission page shows its cities, its
times in the venue's zone with one note, a day without a time, and a head known by position; the
calendar feed gives meetings in the venue's zone."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from companies.models import Person, Region
from config.portal.account.calendar import meetings_ical
from config.portal.selectors import regions_with_counts
from tests import factories as f
from tests.helpers import html_of, section_of

pytestmark = pytest.mark.django_db

TASHKENT = ZoneInfo("Asia/Tashkent")


@pytest.fixture
def trips(partner, ulyanovsk_ministry):
    """Missions between Ulyanovsk and Dalstan entered at every level, and one that is not between them."""
    ulyanovsk, kazakhstan = f.directory_region("73"), Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="KZ")

    def mission(title, origin, destinations, places=(), **kwargs):
        m = f.MissionFactory(title=title, origin_region=origin, destination_regions=destinations, **kwargs)
        m.places.set(places)
        return m

    mission("В столицу Дальстана", ulyanovsk, [partner.country], [partner.capital], organizer=ulyanovsk_ministry)
    mission("В Северную область", ulyanovsk, [partner.north], [partner.north_city], organizer=ulyanovsk_ministry)
    mission(
        "Ответный визит Восточной области",
        partner.east,
        [ulyanovsk],
        organizer=partner.government,
        recorded_by=ulyanovsk_ministry,
    )
    mission(
        "По городам Дальстана через Казахстан",
        ulyanovsk,
        [kazakhstan, partner.country],
        [partner.east_city],
        organizer=ulyanovsk_ministry,
    )
    mission("В Казахстан", ulyanovsk, [kazakhstan], organizer=ulyanovsk_ministry)
    return partner


def _titles(missions) -> list[str]:
    return sorted(m.title for m in missions)


def test_country_page_rolls_up_its_regions_and_cities(client, trips):
    context = client.get(trips.country.get_absolute_url()).context

    assert _titles(context["missions_in"]) == [
        "В Северную область",
        "В столицу Дальстана",
        "По городам Дальстана через Казахстан",
    ]
    assert _titles(context["missions_out"]) == ["Ответный визит Восточной области"]
    assert [(p["region"].name, p["missions"]) for p in context["partners"]] == [("Ульяновская область", 4)]


def test_region_of_a_country_page_lists_the_trips_to_its_cities(client, trips):
    context = client.get(trips.east.get_absolute_url()).context

    assert _titles(context["missions_in"]) == ["По городам Дальстана через Казахстан"]
    assert _titles(context["missions_out"]) == ["Ответный визит Восточной области"]


def test_region_pair_with_a_country_rolls_up_its_regions_and_cities(client, trips):
    url = reverse("companies:region-pair", args=[f.directory_region("73").slug, trips.country.slug])

    context = client.get(url).context

    assert _titles(context["missions"]) == [
        "В Северную область",
        "В столицу Дальстана",
        "Ответный визит Восточной области",
        "По городам Дальстана через Казахстан",
    ]
    assert (context["missions_a_to_b"], context["missions_b_to_a"]) == (3, 1)


def test_region_list_counts_a_country_with_its_regions(trips):
    regions = {r.slug: r for r in regions_with_counts(AnonymousUser())}

    assert (regions["dalstan"].missions_in_count, regions["dalstan"].missions_out_count) == (3, 1)
    assert (regions["dalstan-east"].missions_in_count, regions["dalstan-east"].missions_out_count) == (1, 1)


# --- The mission page ------------------------------------------------------------------------------


@pytest.fixture
def visit(partner, ulyanovsk_ministry):
    head = Person.objects.create(
        organization=partner.government,
        position="заместитель председателя правительства — министр промышленности",
    )
    mission = f.MissionFactory(
        title="Визит в Дальстан",
        origin_region=f.directory_region("73"),
        destination_regions=[partner.country],
        organizer=ulyanovsk_ministry,
        head_of_delegation=head,
    )
    mission.places.set([partner.capital, partner.north_city])
    f.ProgramItemFactory(mission=mission, title="Деловой форум", date=datetime.date(2025, 5, 12), place=partner.capital)
    f.ProgramItemFactory(
        mission=mission,
        title="Посещение фабрики",
        place=partner.north_city,
        starts_at=datetime.datetime(2025, 5, 13, 10, 0, tzinfo=TASHKENT),
        ends_at=datetime.datetime(2025, 5, 13, 12, 30, tzinfo=TASHKENT),
    )
    return mission


def test_mission_page_shows_cities_local_times_a_date_without_time_and_the_head(client, visit):
    html = html_of(client.get(visit.get_absolute_url()))

    assert '<dd class="places">Даль-Сити <span class="muted">(Республика Дальстан)</span>, Северград' in html
    assert (
        '<dd class="head">заместитель председателя правительства — министр промышленности, '
        "Правительство Республики Дальстан</dd>"
    ) in html
    program = section_of(html, "program-heading")
    assert program.count("Время местное: Asia/Tashkent (UTC+5).") == 1
    assert '<time datetime="2025-05-12">12 мая</time> <span class="muted">время не указано</span>' in program
    assert '<time datetime="2025-05-13T10:00:00+05:00">13 мая, 10:00</time>–12:30' in program


def test_mission_page_without_times_has_no_zone_note(client, partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    f.ProgramItemFactory(mission=mission, date=datetime.date(2025, 5, 12))

    program = section_of(html_of(client.get(mission.get_absolute_url())), "program-heading")

    assert "Время местное" not in program


def test_calendar_feed_gives_meetings_in_the_venue_zone_and_a_day_without_time(partner, ulyanovsk_ministry):
    company = f.OrganizationFactory(name="Завод Волга", region=f.directory_region("73"))
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    f.MeetingFactory(
        mission=mission,
        organization_a=company,
        organization_b=partner.government,
        starts_at=datetime.datetime(2025, 5, 12, 10, 0, tzinfo=TASHKENT),
        ends_at=datetime.datetime(2025, 5, 12, 10, 30, tzinfo=TASHKENT),
    )
    f.MeetingFactory(
        mission=mission,
        organization_a=company,
        organization_b=f.OrganizationFactory(region=partner.north),
        starts_at=None,
        ends_at=None,
        date=datetime.date(2025, 5, 13),
    )
    body = meetings_ical(organization=company, host="testserver")

    lines = body.replace("\r\n ", "").split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 2
    assert "DTSTART;TZID=Asia/Tashkent:20250512T100000" in lines
    assert "DTEND;TZID=Asia/Tashkent:20250512T103000" in lines
    assert "TZOFFSETTO:+0500" in lines
    day = lines.index("DTSTART;VALUE=DATE:20250513")
    assert lines[day + 1] == "DTEND;VALUE=DATE:20250514"


def test_our_meetings_page_gives_times_in_the_venue_zone_with_one_note(client, partner, ulyanovsk_ministry):
    company = f.OrganizationFactory(name="Завод Волга", region=f.directory_region("73"))
    user = f.UserFactory()
    f.PersonFactory(organization=company, user=user)
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    f.MeetingFactory(
        mission=mission,
        organization_a=company,
        organization_b=partner.government,
        starts_at=datetime.datetime(2025, 5, 12, 10, 0, tzinfo=TASHKENT),
        ends_at=datetime.datetime(2025, 5, 12, 10, 30, tzinfo=TASHKENT),
    )
    client.force_login(user)

    html = html_of(client.get(reverse("account:meetings")))

    assert html.count("Время местное: Asia/Tashkent (UTC+5).") == 1
    assert '<time datetime="2025-05-12T10:00:00+05:00">12 мая, 10:00</time>–10:30' in html


def test_api_gives_the_places_the_recording_ministry_and_local_days(client, visit, ulyanovsk_ministry):
    data = client.get(f"/api/v1/missions/{visit.slug}/").json()

    assert [(p["slug"], p["region"]) for p in data["places"]] == [
        ("dal-city", "dalstan"),
        ("severgrad", "dalstan-north"),
    ]
    assert data["recorded_by"]["name"] == str(ulyanovsk_ministry)
    assert [
        (i["title"], i["date"], i["starts_at"], i["time_zone"], i["place"] and i["place"]["slug"])
        for i in data["programme"]
    ] == [
        ("Деловой форум", "2025-05-12", None, "Asia/Tashkent", "dal-city"),
        ("Посещение фабрики", "2025-05-13", "2025-05-13T08:00:00+03:00", "Asia/Tashkent", "severgrad"),
    ]
