"""The meeting requests' services: who may do each action, the limits, and the schedule's clashes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Reminder
from missions.models import Meeting, Mission
from partners.models import HostParticipant, MeetingRequest
from partners.services.requests import (
    host_participant_add,
    host_participant_join,
    meeting_request_accept,
    meeting_request_cancel,
    meeting_request_create,
    meeting_request_decline,
    meeting_request_move,
    meeting_request_schedule,
    meeting_request_withdraw,
)
from tests import factories as f

ROLES = ["requester", "invitee", "third", "outsider", "official", "staff_mission", "staff_other", "anonymous"]


def _request(w, **fields):
    return MeetingRequest.objects.create(
        mission=w.mission, requester=w.org_a, invitee=w.org_b, requested_by=w.users["requester"],
        topic="Поставка манометров", message="Ищем поставщика эталонов", **fields,
    )  # fmt: skip


def _code(call):
    try:
        call()
    except ValidationError as exc:
        # A refusal about one field (the meeting service's table) names the field.
        return exc.code if hasattr(exc, "code") else "field:" + ",".join(exc.message_dict)
    return "ok"


def _slot(w, hour, minute=0):
    return {
        "date": w.mission.start_date,
        "start_time": datetime.time(hour, minute),
        "end_time": datetime.time(hour, minute + 30),
    }


# --- Who may do what: every action, every role ------------------------------------------------


@pytest.mark.parametrize(
    "role, expected",
    [
        ("requester", "ok"),
        ("invitee", "self_request"),  # B is asked to meet itself
        ("third", "ok"),  # another participant of the mission may ask too
        ("outsider", "not_participant"),
        ("official", "not_representative"),
        ("staff_mission", "not_representative"),
        ("staff_other", "not_representative"),
        ("anonymous", "not_representative"),
    ],
)
def test_create_by_role(b2b, role, expected):
    code = _code(
        lambda: meeting_request_create(mission=b2b.mission, invitee=b2b.org_b, topic="Литьё", by=b2b.users[role])
    )

    assert code == expected
    assert MeetingRequest.objects.count() == (1 if expected == "ok" else 0)


ANSWER_CODES = {
    "requester": "not_invitee",
    "invitee": "ok",
    "third": "not_invitee",
    "outsider": "not_invitee",
    "official": "not_representative",
    "staff_mission": "not_representative",
    "staff_other": "not_representative",
    "anonymous": "not_representative",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_answer_by_role(b2b, role, action):
    request = _request(b2b)
    if action == "accept":
        code = _code(lambda: meeting_request_accept(request=request, by=b2b.users[role]))
    else:
        code = _code(lambda: meeting_request_decline(request=request, reason="Нет мощностей", by=b2b.users[role]))

    request.refresh_from_db()
    assert code == ANSWER_CODES[role]
    expected_status = {"accept": "accepted", "decline": "declined"}[action] if code == "ok" else "pending"
    assert request.status == expected_status
    assert request.decided_by == (b2b.users[role] if code == "ok" else None)


@pytest.mark.parametrize(
    "role, expected",
    [
        ("requester", "ok"),
        ("invitee", "not_requester"),
        ("third", "not_requester"),
        ("outsider", "not_requester"),
        ("official", "not_representative"),
        ("staff_mission", "not_representative"),
        ("staff_other", "not_representative"),
        ("anonymous", "not_representative"),
    ],
)
def test_withdraw_by_role(b2b, role, expected):
    request = _request(b2b)

    code = _code(lambda: meeting_request_withdraw(request=request, by=b2b.users[role]))

    request.refresh_from_db()
    assert code == expected
    assert request.status == ("withdrawn" if expected == "ok" else "pending")


STAFF_CODES = dict.fromkeys(ROLES, "not_staff") | {"staff_mission": "ok"}


@pytest.mark.parametrize("role", ROLES)
def test_schedule_by_role(b2b, role):
    request = _request(b2b, status="accepted")

    code = _code(
        lambda: meeting_request_schedule(
            request=request, table="1", program_item=b2b.session, by=b2b.users[role], **_slot(b2b, 10)
        )
    )

    request.refresh_from_db()
    assert code == STAFF_CODES[role]
    assert request.status == ("scheduled" if code == "ok" else "accepted")
    assert Meeting.objects.count() == (1 if code == "ok" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_move_by_role(b2b, role):
    request = meeting_request_schedule(
        request=_request(b2b, status="accepted"), table="1", by=b2b.users["staff_mission"], **_slot(b2b, 10)
    )

    code = _code(lambda: meeting_request_move(request=request, table="2", by=b2b.users[role], **_slot(b2b, 11)))

    meeting = Meeting.objects.get()
    zone = b2b.mission.venue_zone
    assert code == STAFF_CODES[role]
    assert (meeting.starts_at.astimezone(zone).time(), meeting.table) == (
        (datetime.time(11, 0), "2") if code == "ok" else (datetime.time(10, 0), "1")
    )


@pytest.mark.parametrize("role", ROLES)
def test_cancel_by_role(b2b, role):
    request = meeting_request_schedule(
        request=_request(b2b, status="accepted"), table="1", by=b2b.users["staff_mission"], **_slot(b2b, 10)
    )

    code = _code(lambda: meeting_request_cancel(request=request, reason="Перенос миссии", by=b2b.users[role]))

    request.refresh_from_db()
    meeting = Meeting.objects.get()
    assert code == STAFF_CODES[role]
    assert (request.status, request.meeting_id is None, meeting.status) == (
        ("cancelled", True, "cancelled") if code == "ok" else ("scheduled", False, "scheduled")
    )


def test_a_superuser_schedules_any_mission(b2b):
    root = f.UserFactory(username="root", is_staff=True, is_superuser=True)

    request = meeting_request_schedule(request=_request(b2b, status="accepted"), by=root, **_slot(b2b, 12))

    assert request.status == "scheduled"


# --- Limits --------------------------------------------------------------------------------


def test_pending_requests_are_limited_per_company_and_mission(b2b, settings):
    settings.MEETING_REQUESTS_PENDING_MAX = 2
    host_2 = f.OrganizationFactory(region=b2b.org_b.region, name="Эпсилон")
    HostParticipant.objects.create(mission=b2b.mission, organization=host_2)
    a = b2b.users["requester"]
    meeting_request_create(mission=b2b.mission, invitee=b2b.org_b, topic="Первая", by=a)
    meeting_request_create(mission=b2b.mission, invitee=b2b.org_c, topic="Вторая", by=a)

    with pytest.raises(ValidationError) as refused:
        meeting_request_create(mission=b2b.mission, invitee=host_2, topic="Третья", by=a)

    assert refused.value.code == "pending_limit"
    assert refused.value.messages == [
        "Your organization already has 2 requests waiting for an answer in this mission, the most allowed: "
        "wait for an answer or withdraw one."
    ]
    assert list(MeetingRequest.objects.order_by("pk").values_list("topic", flat=True)) == ["Первая", "Вторая"]


def test_an_answered_request_no_longer_counts_against_the_limit(b2b, settings):
    settings.MEETING_REQUESTS_PENDING_MAX = 1
    first = meeting_request_create(mission=b2b.mission, invitee=b2b.org_b, topic="Первая", by=b2b.users["requester"])
    meeting_request_decline(request=first, by=b2b.users["invitee"])

    second = meeting_request_create(mission=b2b.mission, invitee=b2b.org_c, topic="Вторая", by=b2b.users["requester"])

    assert second.status == "pending"


def test_no_request_to_a_company_that_opted_out(b2b):
    b2b.org_b.accepts_meeting_requests = False
    b2b.org_b.save()

    with pytest.raises(ValidationError) as refused:
        meeting_request_create(mission=b2b.mission, invitee=b2b.org_b, topic="Литьё", by=b2b.users["requester"])

    assert refused.value.code == "invitee_opted_out"
    assert refused.value.messages == ["Бета Манометры does not take meeting requests."]
    assert MeetingRequest.objects.count() == 0


@pytest.mark.parametrize("by, invitee", [("requester", "org_b"), ("invitee", "org_a")])
def test_no_second_open_request_for_a_pair_either_way(b2b, by, invitee):
    _request(b2b)

    with pytest.raises(ValidationError) as refused:
        meeting_request_create(mission=b2b.mission, invitee=getattr(b2b, invitee), topic="Ещё", by=b2b.users[by])

    assert refused.value.code == "duplicate"
    assert MeetingRequest.objects.count() == 1


def test_a_declined_pair_may_ask_again(b2b):
    _request(b2b, status="declined")

    again = meeting_request_create(mission=b2b.mission, invitee=b2b.org_b, topic="Ещё раз", by=b2b.users["requester"])

    assert again.status == "pending"


def test_no_request_to_a_company_outside_the_mission(b2b):
    with pytest.raises(ValidationError) as refused:
        meeting_request_create(mission=b2b.mission, invitee=b2b.org_d, topic="Станки", by=b2b.users["requester"])

    assert refused.value.code == "invitee_not_participant"


@pytest.mark.parametrize("status", [Mission.Status.UNDER_WAY, Mission.Status.COMPLETED, Mission.Status.CANCELLED])
def test_no_request_once_registration_is_closed(b2b, status):
    Mission.objects.filter(pk=b2b.mission.pk).update(status=status)

    code = _code(
        lambda: meeting_request_create(mission=b2b.mission, invitee=b2b.org_b, topic="Литьё", by=b2b.users["requester"])
    )

    assert code == "registration_closed"


def test_a_request_is_not_answered_twice(b2b):
    request = _request(b2b)
    meeting_request_decline(request=request, by=b2b.users["invitee"])

    code = _code(lambda: meeting_request_accept(request=request, by=b2b.users["invitee"]))

    request.refresh_from_db()
    assert (code, request.status) == ("bad_status", "declined")


def test_blank_topic_is_refused(b2b):
    with pytest.raises(ValidationError) as refused:
        meeting_request_create(mission=b2b.mission, invitee=b2b.org_b, topic="   ", by=b2b.users["requester"])

    assert "topic" in refused.value.message_dict
    assert MeetingRequest.objects.count() == 0


# --- Schedule: through the meeting service, which refuses clashes -----------------------------


def test_schedule_refuses_an_organization_already_busy(b2b):
    staff = b2b.users["staff_mission"]
    meeting_request_schedule(request=_request(b2b, status="accepted"), table="1", by=staff, **_slot(b2b, 10))
    second = MeetingRequest.objects.create(
        mission=b2b.mission, requester=b2b.org_c, invitee=b2b.org_b, topic="Литьё", status="accepted"
    )

    code = _code(lambda: meeting_request_schedule(request=second, table="2", by=staff, **_slot(b2b, 10, 15)))

    second.refresh_from_db()
    assert (code, second.status, Meeting.objects.count()) == ("slot_taken", "accepted", 1)


def test_schedule_refuses_a_booked_table(b2b):
    staff = b2b.users["staff_mission"]
    meeting_request_schedule(request=_request(b2b, status="accepted"), table="5", by=staff, **_slot(b2b, 10))
    host_2 = f.OrganizationFactory(region=b2b.org_b.region)
    HostParticipant.objects.create(mission=b2b.mission, organization=host_2)
    second = MeetingRequest.objects.create(
        mission=b2b.mission, requester=b2b.org_c, invitee=host_2, topic="Литьё", status="accepted"
    )

    code = _code(lambda: meeting_request_schedule(request=second, table="5", by=staff, **_slot(b2b, 10)))

    assert (code, Meeting.objects.count()) == ("field:table", 1)


def test_schedule_keeps_the_meeting_inside_the_b2b_session(b2b):
    request = _request(b2b, status="accepted")

    code = _code(
        lambda: meeting_request_schedule(
            request=request, program_item=b2b.session, by=b2b.users["staff_mission"], **_slot(b2b, 14)
        )
    )

    assert (code, Meeting.objects.count()) == ("outside_session", 0)


def test_schedule_only_an_accepted_request(b2b):
    request = _request(b2b)

    code = _code(lambda: meeting_request_schedule(request=request, by=b2b.users["staff_mission"], **_slot(b2b, 10)))

    assert (code, Meeting.objects.count()) == ("bad_status", 0)


def test_scheduled_meeting_is_the_two_organizations_at_the_venue_time(b2b):
    request = meeting_request_schedule(
        request=_request(b2b, status="accepted"), table="3", program_item=b2b.session, by=b2b.users["staff_mission"],
        **_slot(b2b, 10, 0),
    )  # fmt: skip

    meeting = request.meeting
    zone = b2b.mission.venue_zone
    assert (meeting.organization_a, meeting.organization_b, meeting.topic, meeting.table, meeting.status) == (
        b2b.org_a,
        b2b.org_b,
        "Поставка манометров",
        "3",
        "scheduled",
    )
    assert (
        meeting.starts_at.astimezone(zone).strftime("%H:%M"),
        meeting.ends_at.astimezone(zone).strftime("%H:%M"),
    ) == ("10:00", "10:30")
    assert zone.key == "Asia/Yekaterinburg"


def test_moving_to_the_same_time_and_table_is_refused(b2b):
    request = meeting_request_schedule(
        request=_request(b2b, status="accepted"), table="1", by=b2b.users["staff_mission"], **_slot(b2b, 10)
    )

    code = _code(
        lambda: meeting_request_move(request=request, table="1", by=b2b.users["staff_mission"], **_slot(b2b, 10))
    )

    assert code == "not_moved"


# --- The host side ---------------------------------------------------------------------------


def test_a_destination_company_joins_the_host_side(b2b):
    host_participant_join(mission=b2b.mission, by=b2b.users["outsider"])

    assert list(
        HostParticipant.objects.filter(mission=b2b.mission)
        .values_list("organization__slug", flat=True)
        .order_by("organization__slug")
    ) == ["beta", "delta"]


@pytest.mark.parametrize(
    "role, expected",
    [
        ("requester", "not_host_region"),
        ("invitee", "already_host"),
        ("official", "not_representative"),
        ("staff_mission", "not_representative"),
    ],
)
def test_who_may_not_join_the_host_side(b2b, role, expected):
    assert _code(lambda: host_participant_join(mission=b2b.mission, by=b2b.users[role])) == expected
    assert HostParticipant.objects.count() == 1


def test_only_the_missions_staff_add_to_the_host_side(b2b):
    assert (
        _code(lambda: host_participant_add(mission=b2b.mission, organization=b2b.org_d, by=b2b.users["staff_other"]))
        == "not_staff"
    )
    host_participant_add(mission=b2b.mission, organization=b2b.org_d, by=b2b.users["staff_mission"])

    assert HostParticipant.objects.filter(organization=b2b.org_d).count() == 1


def test_no_letter_is_written_for_a_refused_action(b2b):
    request = _request(b2b)

    _code(lambda: meeting_request_accept(request=request, by=b2b.users["third"]))

    assert Reminder.objects.count() == 0
