"""The rules of entering a mission, through the services: who keeps the record, places on the route,
days and times in the venue's zone, one booking per table (and the PostgreSQL constraint behind it)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from agreements.followup.scan import escalation_organization
from companies.exceptions import PortalError
from companies.roles import can_edit
from missions.models import Meeting, Mission, ProgramItem
from missions.services.missions import mission_create, mission_update
from missions.services.schedule import local_times_apply, meeting_save, meeting_schedule, program_item_save
from tests import factories as f

pytestmark = pytest.mark.django_db

TASHKENT, ALMATY = ZoneInfo("Asia/Tashkent"), ZoneInfo("Asia/Almaty")

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the table exclusion constraint exists only on PostgreSQL (missions migration 0005)",
)


def _messages(exc) -> list[str]:
    return [str(m) for m in exc.value.messages]


# --- The ministry keeping the record -------------------------------------------------------------


def test_inbound_visit_recorded_by_the_host_ministry(partner, ulyanovsk_ministry):
    mission = mission_create(
        title="Визит делегации Дальстана",
        origin_region=partner.country,
        destination_regions=[f.directory_region("73")],
        organizer=partner.government,
        recorded_by=ulyanovsk_ministry,
    )

    assert (mission.organizer, mission.recorded_by) == (partner.government, ulyanovsk_ministry)


def test_mission_between_two_other_regions_refused(ulyanovsk_ministry):
    with translation.override("ru"), pytest.raises(PortalError) as exc:
        mission_create(
            title="Миссия Челябинска в Татарстан",
            origin_region=f.directory_region("74"),
            destination_regions=[f.directory_region("16")],
            organizer=f.MinistryFactory(region=f.directory_region("74")),
            recorded_by=ulyanovsk_ministry,
        )

    assert exc.value.code == "recorder_not_party"
    assert _messages(exc) == [
        "«Министерство промышленности Ульяновской области» не может вести запись этой миссии: регион "
        "организации (Ульяновская область) — не регион отправления и не регион назначения миссии. Запись ведёт "
        "министерство региона, откуда выезжает делегация, или региона, который она посещает."
    ]
    assert not Mission.objects.exists()


def test_changing_the_route_away_from_the_recording_ministry_refused(ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[f.directory_region("74")])

    with pytest.raises(PortalError) as exc:
        mission_update(mission=mission, origin_region=f.directory_region("16"))

    assert exc.value.code == "recorder_not_party"
    mission.refresh_from_db()
    assert mission.origin_region.code == "73"


def test_mission_rows_are_kept_by_the_recording_ministry_not_the_organizer(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(
        organizer=partner.government,
        recorded_by=ulyanovsk_ministry,
        origin_region=partner.country,
        destination_regions=[f.directory_region("73")],
    )
    host_staff = f.MinistryStaffFactory(organization=ulyanovsk_ministry)
    partner_staff = f.MinistryStaffFactory(organization=partner.government)
    rows = [mission, f.MeetingFactory(mission=mission), f.ProgramItemFactory(mission=mission)]
    rows.append(f.DelegationMemberFactory(mission=mission))

    assert [can_edit(host_staff, row) for row in rows] == [True, True, True, True]
    assert [can_edit(partner_staff, row) for row in rows] == [False, False, False, False]
    assert list(Mission.ownership.filter(Mission.objects.all(), ulyanovsk_ministry)) == [mission]


def test_project_without_a_curator_escalates_to_the_recording_ministry(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(
        organizer=partner.government,
        recorded_by=ulyanovsk_ministry,
        origin_region=partner.country,
        destination_regions=[f.directory_region("73")],
    )
    project = f.CooperationProjectFactory(origin_mission=mission, curator=None)

    assert escalation_organization(project) == ulyanovsk_ministry


# --- Places on the route -------------------------------------------------------------------------


def test_places_in_a_destination_country_and_its_regions_accepted(partner, ulyanovsk_ministry):
    mission = mission_create(
        title="Миссия в Дальстан",
        origin_region=f.directory_region("73"),
        destination_regions=[partner.country],
        organizer=ulyanovsk_ministry,
        places=[partner.capital, partner.north_city, partner.east_city],
    )

    assert sorted(mission.places.values_list("name", flat=True)) == ["Востокабад", "Даль-Сити", "Северград"]


def test_place_outside_the_route_refused(partner, ulyanovsk_ministry):
    with translation.override("ru"), pytest.raises(PortalError) as exc:
        mission_create(
            title="Миссия в Северную область",
            origin_region=f.directory_region("73"),
            destination_regions=[partner.north],
            organizer=ulyanovsk_ministry,
            places=[partner.north_city, partner.east_city],
        )

    assert exc.value.code == "place_outside_route"
    assert _messages(exc) == [
        "Востокабад находится в регионе «Восточная область Дальстана», а он не регион отправления и не регион "
        "назначения миссии: добавьте этот регион или его страну в регионы назначения или выберите другое место."
    ]
    assert not Mission.objects.exists()


def test_programme_item_place_outside_its_mission_refused(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.north])
    item = ProgramItem(mission=mission, kind="round_table", title="Стол", place=partner.east_city)

    with pytest.raises(PortalError) as exc:
        program_item_save(item)

    assert list(exc.value.message_dict) == ["place"]
    assert not ProgramItem.objects.exists()


# --- Days and times in the venue's zone ------------------------------------------------------------


def test_venue_zone_is_the_place_region_else_the_first_destination(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    in_capital = f.ProgramItemFactory(mission=mission)
    in_east = f.ProgramItemFactory(mission=mission, place=partner.east_city)
    inbound = f.MissionFactory(origin_region=partner.country, destination_regions=[f.directory_region("73")])

    assert mission.venue_zone == TASHKENT
    assert (in_capital.venue_zone, in_east.venue_zone) == (TASHKENT, ALMATY)
    assert f.MeetingFactory(mission=mission, program_item=in_east).venue_zone == ALMATY
    # An inbound visit takes place in the host region: Ulyanovsk, whose directory row carries its zone.
    assert inbound.venue_zone == ZoneInfo("Europe/Ulyanovsk")


def test_local_times_are_read_in_the_venue_zone(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    item = ProgramItem(
        mission=mission, kind="site_visit", title="Фабрика", place=partner.east_city, date=datetime.date(2025, 5, 13)
    )

    local_times_apply(item, start_time=datetime.time(10, 0), end_time=datetime.time(11, 0))
    program_item_save(item)

    item.refresh_from_db()
    # Ten o'clock in Almaty (UTC+5 since 2024) is five o'clock UTC.
    assert item.starts_at == datetime.datetime(2025, 5, 13, 5, 0, tzinfo=datetime.UTC)
    assert item.ends_at == datetime.datetime(2025, 5, 13, 6, 0, tzinfo=datetime.UTC)


def test_meeting_with_a_date_and_no_time_is_saved(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])

    meeting = meeting_schedule(
        mission=mission,
        organization_a=f.OrganizationFactory(),
        organization_b=partner.government,
        date=datetime.date(2025, 5, 12),
    )

    meeting.refresh_from_db()
    assert (meeting.date, meeting.starts_at, meeting.ends_at, meeting.holds_slot) == (
        datetime.date(2025, 5, 12),
        None,
        None,
        False,
    )


def test_date_is_the_day_of_the_start_in_the_venue_zone(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    # 21:00 UTC on 12 May is 02:00 on 13 May in Tashkent.
    start = datetime.datetime(2025, 5, 12, 21, 0, tzinfo=datetime.UTC)

    meeting = meeting_schedule(
        mission=mission,
        organization_a=f.OrganizationFactory(),
        organization_b=partner.government,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
    )

    assert meeting.date == datetime.date(2025, 5, 13)


def test_date_that_disagrees_with_the_start_refused(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    start = datetime.datetime(2025, 5, 12, 21, 0, tzinfo=datetime.UTC)

    with translation.override("ru"), pytest.raises(PortalError) as exc:
        meeting_schedule(
            mission=mission,
            organization_a=f.OrganizationFactory(),
            organization_b=partner.government,
            date=datetime.date(2025, 5, 12),
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=30),
        )

    assert exc.value.message_dict == {
        "date": ["Дата 12.05.2025 не совпадает с днём начала: 13.05.2025 02:00 (Asia/Tashkent)."]
    }
    assert not Meeting.objects.exists()


# --- One booking per table -------------------------------------------------------------------------


def _meeting(mission, table: str, start: datetime.datetime, status: str = Meeting.Status.SCHEDULED) -> Meeting:
    return Meeting(
        mission=mission,
        organization_a=f.OrganizationFactory(),
        organization_b=f.OrganizationFactory(),
        table=table,
        date=start.astimezone(mission.venue_zone).date(),
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        status=status,
    )


def test_same_table_at_the_same_time_refused(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    ten = datetime.datetime(2025, 5, 12, 10, 0, tzinfo=TASHKENT)
    first = meeting_save(_meeting(mission, "A1", ten))

    with translation.override("ru"), pytest.raises(PortalError) as exc:
        meeting_save(_meeting(mission, "A1", ten + datetime.timedelta(minutes=15)))

    assert exc.value.message_dict == {"table": [f"Стол A1 уже занят с 12.05.2025 10:00 до 10:30: встреча {first}."]}
    assert list(Meeting.objects.all()) == [first]


def test_same_table_free_again_other_mission_or_no_table_accepted(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    other = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    ten = datetime.datetime(2025, 5, 12, 10, 0, tzinfo=TASHKENT)
    meeting_save(_meeting(mission, "A1", ten))

    meeting_save(_meeting(mission, "A1", ten + datetime.timedelta(minutes=30)))  # right after
    meeting_save(_meeting(other, "A1", ten))  # the other mission's table A1
    meeting_save(_meeting(mission, "", ten))  # no table
    meeting_save(_meeting(mission, "A1", ten, status=Meeting.Status.CANCELLED))

    assert Meeting.objects.count() == 5


@postgresql_only
def test_same_table_at_the_same_time_refused_by_the_database(partner, ulyanovsk_ministry):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    ten = datetime.datetime(2025, 5, 12, 10, 0, tzinfo=TASHKENT)
    first = _meeting(mission, "A1", ten)
    first.save()

    with pytest.raises(IntegrityError, match="meeting_no_overlap_per_table"), transaction.atomic():
        _meeting(mission, "A1", ten + datetime.timedelta(minutes=15)).save()

    cancelled = _meeting(mission, "A1", ten, status=Meeting.Status.CANCELLED)
    cancelled.save()
    assert sorted(Meeting.objects.values_list("status", flat=True)) == ["cancelled", "scheduled"]
