"""Mission services: the state each leaves behind and what each refuses."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from companies.exceptions import PortalError
from missions.models import DelegationMember, Meeting, Mission
from missions.services import schedule
from missions.services.delegation import delegation_add_member
from missions.services.missions import mission_change_status, mission_create, mission_update
from missions.services.schedule import meeting_check, meeting_record_result, meeting_save, meeting_schedule
from tests.factories import (
    DelegationMemberFactory,
    MeetingFactory,
    MinistryFactory,
    MissionFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramItemFactory,
    SectorFactory,
    directory_region,
)

pytestmark = pytest.mark.django_db


def _at(hour: int, minute: int = 0, day: int = 3) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 2, day, hour, minute))


# --- mission_create ------------------------------------------------------------------------


def test_mission_create_generates_slug_and_sets_destinations():
    organizer = MinistryFactory()
    destinations = [directory_region("74"), directory_region("66")]

    mission = mission_create(
        title="Бизнес-миссия в Челябинск",
        origin_region=directory_region("73"),
        destination_regions=destinations,
        organizer=organizer,
        start_date=datetime.date(2025, 5, 12),
        end_date=datetime.date(2025, 5, 14),
    )

    mission.refresh_from_db()
    assert mission.slug == "biznes-missiya-v-chelyabinsk"
    assert set(mission.destination_regions.all()) == set(destinations)
    assert (mission.status, mission.organizer) == (Mission.Status.PLANNED, organizer)


def test_mission_create_same_title_gets_second_slug():
    kwargs = {
        "title": "Бизнес-миссия в Казань",
        "origin_region": directory_region("73"),
        "destination_regions": [directory_region("16")],
        "organizer": MinistryFactory(),
    }
    first, second = mission_create(**kwargs), mission_create(**kwargs)
    assert (first.slug, second.slug) == ("biznes-missiya-v-kazan", "biznes-missiya-v-kazan-2")


def test_mission_create_without_destination_refused_and_nothing_created():
    with pytest.raises(PortalError) as excinfo:
        mission_create(
            title="Миссия никуда",
            origin_region=directory_region("73"),
            destination_regions=[],
            organizer=MinistryFactory(),
        )
    assert excinfo.value.code == "no_destination"
    assert not Mission.objects.exists()


def test_mission_create_origin_as_destination_refused_and_nothing_created():
    origin = directory_region("73")
    with translation.override("en"), pytest.raises(PortalError) as excinfo:
        mission_create(
            title="Миссия домой",
            origin_region=origin,
            destination_regions=[directory_region("74"), origin],
            organizer=MinistryFactory(),
        )
    assert excinfo.value.code == "origin_is_destination"
    assert excinfo.value.message.startswith(f"{origin.name_en} is the origin")
    assert not Mission.objects.exists()


def test_mission_create_end_before_start_refused_and_nothing_created():
    with pytest.raises(ValidationError):
        mission_create(
            title="Миссия наоборот",
            origin_region=directory_region("73"),
            destination_regions=[directory_region("74")],
            organizer=MinistryFactory(),
            start_date=datetime.date(2025, 5, 14),
            end_date=datetime.date(2025, 5, 12),
        )
    assert not Mission.objects.exists()


# --- mission_change_status -------------------------------------------------------------------


def test_mission_change_status_follows_the_whole_path():
    mission = MissionFactory(status=Mission.Status.PLANNED)
    seen = []
    for status in (Mission.Status.CONFIRMED, Mission.Status.UNDER_WAY, Mission.Status.COMPLETED):
        mission_change_status(mission=mission, status=status)
        seen.append(Mission.objects.get(pk=mission.pk).status)
    assert seen == [Mission.Status.CONFIRMED, Mission.Status.UNDER_WAY, Mission.Status.COMPLETED]


def test_mission_change_status_completed_to_planned_refused():
    mission = MissionFactory(status=Mission.Status.COMPLETED)
    with pytest.raises(PortalError) as excinfo:
        mission_change_status(mission=mission, status=Mission.Status.PLANNED)
    assert excinfo.value.code == "bad_transition"
    assert Mission.objects.get(pk=mission.pk).status == Mission.Status.COMPLETED


def test_mission_change_status_skipping_under_way_refused():
    mission = MissionFactory(status=Mission.Status.PLANNED)
    with pytest.raises(PortalError):
        mission_change_status(mission=mission, status=Mission.Status.COMPLETED)
    assert Mission.objects.get(pk=mission.pk).status == Mission.Status.PLANNED


def test_mission_change_status_unknown_status_refused():
    mission = MissionFactory(status=Mission.Status.PLANNED)
    with pytest.raises(PortalError) as excinfo:
        mission_change_status(mission=mission, status="archived")
    assert excinfo.value.code == "bad_transition"
    assert Mission.objects.get(pk=mission.pk).status == Mission.Status.PLANNED


def test_mission_change_status_completed_without_dates_refused():
    mission = MissionFactory(status=Mission.Status.UNDER_WAY, start_date=None, end_date=None)
    with pytest.raises(PortalError) as excinfo:
        mission_change_status(mission=mission, status=Mission.Status.COMPLETED)
    assert excinfo.value.code == "no_dates"
    assert Mission.objects.get(pk=mission.pk).status == Mission.Status.UNDER_WAY


def test_mission_change_status_cancelled_mission_can_be_replanned():
    mission = MissionFactory(status=Mission.Status.CONFIRMED)
    mission_change_status(mission=mission, status=Mission.Status.CANCELLED)
    mission_change_status(mission=mission, status=Mission.Status.PLANNED)
    assert Mission.objects.get(pk=mission.pk).status == Mission.Status.PLANNED


# --- mission_update ---------------------------------------------------------------------------


def test_mission_update_changes_fields_and_status_in_one_save():
    mission = MissionFactory(status=Mission.Status.PLANNED, title="Миссия в Челябинск")
    records = mission.history.count()

    mission_update(mission=mission, title="Бизнес-миссия в Челябинск", status=Mission.Status.CONFIRMED)

    mission.refresh_from_db()
    assert (mission.title, mission.status) == ("Бизнес-миссия в Челябинск", Mission.Status.CONFIRMED)
    assert mission.history.count() == records + 1
    latest = mission.history.latest()
    assert (latest.title, latest.status) == ("Бизнес-миссия в Челябинск", Mission.Status.CONFIRMED)


def test_mission_update_refused_move_changes_nothing():
    mission = MissionFactory(status=Mission.Status.COMPLETED, title="Миссия в Челябинск")
    records = mission.history.count()

    with pytest.raises(PortalError) as excinfo:
        mission_update(mission=mission, title="Новое", status=Mission.Status.PLANNED)

    assert excinfo.value.code == "bad_transition"
    mission.refresh_from_db()
    assert (mission.title, mission.status) == ("Миссия в Челябинск", Mission.Status.COMPLETED)
    assert mission.history.count() == records


def test_mission_update_completion_takes_the_dates_of_the_same_change():
    mission = MissionFactory(status=Mission.Status.UNDER_WAY, start_date=None, end_date=None)

    mission_update(mission=mission, status=Mission.Status.COMPLETED, start_date=datetime.date(2025, 5, 12))

    mission.refresh_from_db()
    assert (mission.status, mission.start_date) == (Mission.Status.COMPLETED, datetime.date(2025, 5, 12))


def test_mission_update_moves_from_the_status_the_row_has_now():
    mission = MissionFactory(status=Mission.Status.PLANNED)
    Mission.objects.filter(pk=mission.pk).update(status=Mission.Status.COMPLETED)  # another user, meanwhile

    with pytest.raises(PortalError) as excinfo:
        mission_update(mission=mission, status=Mission.Status.CONFIRMED)

    assert excinfo.value.code == "bad_transition"
    assert Mission.objects.get(pk=mission.pk).status == Mission.Status.COMPLETED


def test_mission_update_replaces_destinations():
    mission = MissionFactory(destination_regions=[directory_region("74")])

    mission_update(mission=mission, destination_regions=[directory_region("66"), directory_region("02")])

    assert set(mission.destination_regions.values_list("code", flat=True)) == {"66", "02"}


@pytest.mark.parametrize(
    "changes",
    [{"destination_regions": []}, {"destination_regions": ["73"]}, {"origin_region": "74"}],
    ids=["no destination", "origin among destinations", "origin moved onto the destination"],
)
def test_mission_update_destination_rules_refused_and_nothing_changed(changes):
    mission = MissionFactory(title="Миссия в Челябинск", destination_regions=[directory_region("74")])
    values = {
        name: [directory_region(code) for code in value] if isinstance(value, list) else directory_region(value)
        for name, value in changes.items()
    }

    with pytest.raises(PortalError):
        mission_update(mission=mission, title="Новое", **values)

    mission.refresh_from_db()
    assert (mission.title, mission.origin_region.code) == ("Миссия в Челябинск", "73")
    assert list(mission.destination_regions.values_list("code", flat=True)) == ["74"]


def test_mission_update_without_a_change_saves_nothing():
    mission = MissionFactory(title="Миссия в Челябинск", destination_regions=[directory_region("74")])
    records, updated_at = mission.history.count(), mission.updated_at

    mission_update(
        mission=mission, title="Миссия в Челябинск", status=mission.status, destination_regions=[directory_region("74")]
    )

    mission.refresh_from_db()
    assert (mission.history.count(), mission.updated_at) == (records, updated_at)


def test_mission_update_refuses_a_field_it_does_not_change():
    with pytest.raises(TypeError):
        mission_update(mission=MissionFactory(), created_at=timezone.now())


# --- delegation_add_member -------------------------------------------------------------------


def test_delegation_add_member_saves_the_member():
    mission, person = MissionFactory(status=Mission.Status.PLANNED), PersonFactory()
    member = delegation_add_member(
        mission=mission, organization=person.organization, person=person, role=DelegationMember.Role.HEAD
    )
    assert list(mission.delegation.values_list("organization", "person", "role")) == [
        (person.organization_id, person.pk, DelegationMember.Role.HEAD)
    ]
    assert member.pk is not None


def test_delegation_add_member_cancelled_mission_refused():
    mission = MissionFactory(status=Mission.Status.CANCELLED)
    with pytest.raises(PortalError) as excinfo:
        delegation_add_member(mission=mission, organization=OrganizationFactory())
    assert excinfo.value.code == "mission_cancelled"
    assert not mission.delegation.exists()


def test_delegation_add_member_person_of_another_organization_refused():
    mission, organization = MissionFactory(status=Mission.Status.PLANNED), OrganizationFactory()
    stranger = PersonFactory()
    with pytest.raises(ValidationError) as excinfo:
        delegation_add_member(mission=mission, organization=organization, person=stranger)
    assert "person" in excinfo.value.message_dict
    assert not mission.delegation.exists()


@pytest.mark.parametrize("with_person", [True, False])
def test_delegation_add_member_duplicate_refused(with_person):
    person = PersonFactory()
    existing = DelegationMemberFactory(
        mission=MissionFactory(status=Mission.Status.PLANNED),
        organization=person.organization,
        person=person if with_person else None,
    )
    with pytest.raises(ValidationError):
        delegation_add_member(
            mission=existing.mission, organization=person.organization, person=person if with_person else None
        )
    assert existing.mission.delegation.count() == 1


# --- meeting_schedule, meeting_save, meeting_check ---------------------------------------------


def test_meeting_schedule_saves_meeting_with_people_and_sectors():
    mission = MissionFactory()
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    person, sector = PersonFactory(organization=org_a), SectorFactory()

    meeting = meeting_schedule(
        mission=mission,
        organization_a=org_a,
        organization_b=org_b,
        starts_at=_at(10),
        ends_at=_at(10, 30),
        program_item=ProgramItemFactory(mission=mission),
        table="7",
        people=[person],
        sectors=[sector],
    )

    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (meeting.status, meeting.table, meeting.starts_at) == (Meeting.Status.SCHEDULED, "7", _at(10))
    assert list(meeting.people.all()) == [person]
    assert list(meeting.sectors.all()) == [sector]


def test_meeting_schedule_overlap_refused_naming_busy_organization():
    busy = OrganizationFactory(name="АО Занятой завод", short_name="Занятой завод")
    MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11))
    mission = MissionFactory()

    with translation.override("en"), pytest.raises(PortalError) as excinfo:
        meeting_schedule(
            mission=mission,
            organization_a=OrganizationFactory(),
            organization_b=busy,
            starts_at=_at(10, 30),
            ends_at=_at(11, 30),
        )

    assert excinfo.value.code == "slot_taken"
    # In the local time of the busy meeting's venue: Chelyabinsk (the factory's destination) is Moscow + 2.
    assert excinfo.value.message == "Занятой завод already has a meeting from 03.02.2025 12:00 to 13:00."
    assert Meeting.objects.count() == 1
    assert not mission.meetings.exists()


def test_meeting_schedule_overlap_with_cancelled_or_no_show_allowed():
    busy = OrganizationFactory()
    MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11), status=Meeting.Status.CANCELLED)
    MeetingFactory(organization_b=busy, starts_at=_at(10), ends_at=_at(11), status=Meeting.Status.NO_SHOW)
    meeting_schedule(
        mission=MissionFactory(),
        organization_a=busy,
        organization_b=OrganizationFactory(),
        starts_at=_at(10),
        ends_at=_at(11),
    )
    assert Meeting.objects.filter(status=Meeting.Status.SCHEDULED, organization_a=busy).count() == 1


def test_meeting_schedule_adjacent_meeting_allowed():
    busy = OrganizationFactory()
    MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11))
    meeting_schedule(
        mission=MissionFactory(),
        organization_a=OrganizationFactory(),
        organization_b=busy,
        starts_at=_at(11),
        ends_at=_at(11, 30),
    )
    assert Meeting.objects.filter(status=Meeting.Status.SCHEDULED).count() == 2


def test_meeting_schedule_same_organization_twice_refused():
    organization = OrganizationFactory()
    with pytest.raises(ValidationError):
        meeting_schedule(
            mission=MissionFactory(),
            organization_a=organization,
            organization_b=organization,
            starts_at=_at(10),
            ends_at=_at(11),
        )
    assert not Meeting.objects.exists()


def test_meeting_schedule_program_item_of_another_mission_refused():
    mission, foreign_item = MissionFactory(), ProgramItemFactory()
    with pytest.raises(PortalError) as excinfo:
        meeting_schedule(
            mission=mission,
            organization_a=OrganizationFactory(),
            organization_b=OrganizationFactory(),
            program_item=foreign_item,
        )
    assert excinfo.value.code == "foreign_program_item"
    assert not Meeting.objects.exists()


def test_meeting_check_program_item_of_another_mission_refused():
    meeting = MeetingFactory()
    meeting.program_item = ProgramItemFactory()
    with pytest.raises(PortalError) as excinfo:
        meeting_check(meeting)
    assert excinfo.value.code == "foreign_program_item"
    assert Meeting.objects.get(pk=meeting.pk).program_item_id is None


def test_meeting_save_moving_a_meeting_within_its_own_slot_allowed():
    meeting = MeetingFactory(starts_at=_at(10), ends_at=_at(11))
    meeting.starts_at, meeting.ends_at = _at(10, 15), _at(11, 15)
    meeting_save(meeting)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at) == (_at(10, 15), _at(11, 15))


def test_meeting_save_moving_onto_a_busy_slot_refused():
    busy = OrganizationFactory()
    MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11))
    later = MeetingFactory(organization_b=busy, starts_at=_at(12), ends_at=_at(13))
    later.starts_at, later.ends_at = _at(10, 30), _at(11, 30)
    with pytest.raises(PortalError):
        meeting_save(later)
    assert Meeting.objects.get(pk=later.pk).starts_at == _at(12)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint exists only on PostgreSQL")
def test_meeting_save_race_lost_to_exclusion_constraint_becomes_portal_error(monkeypatch):
    # Two requests that both passed the slot check: the database constraint decides.
    monkeypatch.setattr(schedule, "meeting_check_slot", lambda meeting: None)
    busy = OrganizationFactory()
    MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11))
    with pytest.raises(PortalError) as excinfo:
        meeting_schedule(
            mission=MissionFactory(),
            organization_a=busy,
            organization_b=OrganizationFactory(),
            starts_at=_at(10),
            ends_at=_at(11),
        )
    assert excinfo.value.code == "slot_taken"
    assert Meeting.objects.count() == 1


# --- meeting_record_result -------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2025, 2, 3, 18, 0, tzinfo=datetime.UTC), tick=False)
def test_meeting_record_result_held_with_outcome():
    meeting = MeetingFactory(starts_at=_at(10), ends_at=_at(10, 30))
    meeting_record_result(
        meeting=meeting, status=Meeting.Status.HELD, outcome=Meeting.Outcome.NEGOTIATION_STARTED, notes="Обсудили"
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome, meeting.notes) == (
        Meeting.Status.HELD,
        Meeting.Outcome.NEGOTIATION_STARTED,
        "Обсудили",
    )


@time_machine.travel(datetime.datetime(2025, 2, 3, 18, 0, tzinfo=datetime.UTC), tick=False)
def test_meeting_record_result_outcome_on_no_show_refused():
    meeting = MeetingFactory(starts_at=_at(10), ends_at=_at(10, 30))
    with pytest.raises(PortalError) as excinfo:
        meeting_record_result(meeting=meeting, status=Meeting.Status.NO_SHOW, outcome=Meeting.Outcome.PROJECT_OPENED)
    assert excinfo.value.code == "outcome_not_held"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == (Meeting.Status.SCHEDULED, "")


@time_machine.travel(datetime.datetime(2025, 2, 3, 18, 0, tzinfo=datetime.UTC), tick=False)
def test_meeting_record_result_no_show_frees_the_slot():
    busy = OrganizationFactory()
    meeting = MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11))
    meeting_record_result(meeting=meeting, status=Meeting.Status.NO_SHOW)
    meeting_schedule(
        mission=MissionFactory(),
        organization_a=busy,
        organization_b=OrganizationFactory(),
        starts_at=_at(10),
        ends_at=_at(11),
    )
    assert sorted(Meeting.objects.filter(organization_a=busy).values_list("status", flat=True)) == [
        Meeting.Status.NO_SHOW,
        Meeting.Status.SCHEDULED,
    ]


def test_meeting_record_result_held_in_future_refused():
    # 09:00 Moscow time: the meeting starts at 12:00.
    with time_machine.travel(datetime.datetime(2025, 2, 3, 6, 0, tzinfo=datetime.UTC), tick=False):
        meeting = MeetingFactory(starts_at=_at(12), ends_at=_at(12, 30))
        with pytest.raises(PortalError) as excinfo:
            meeting_record_result(meeting=meeting, status=Meeting.Status.HELD)
    assert excinfo.value.code == "held_in_future"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_meeting_record_result_not_a_result_refused():
    meeting = MeetingFactory(status=Meeting.Status.REQUESTED)
    with pytest.raises(PortalError) as excinfo:
        meeting_record_result(meeting=meeting, status=Meeting.Status.SCHEDULED)
    assert excinfo.value.code == "bad_result"
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.REQUESTED
