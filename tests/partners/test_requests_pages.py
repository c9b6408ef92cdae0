"""The meeting requests' pages: every role at every action's URL, contacts only after acceptance,
constant queries, the mission page's panel and the admin's pages."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from missions.models import Meeting
from partners.models import HostParticipant, MeetingRequest
from tests import factories as f

ROLES = ["requester", "invitee", "third", "outsider", "official", "staff_mission", "staff_other", "anonymous"]
SECRETS = ("rep-a.person@example.org", "+7 900 111-11-11", "rep-b.person@example.org", "+7 900 222-22-22")


def _client(w, role):
    client = Client()
    if role != "anonymous":
        client.force_login(w.users[role])
    return client


def _request(w, **fields):
    return MeetingRequest.objects.create(
        mission=w.mission, requester=w.org_a, invitee=w.org_b, requested_by=w.users["requester"],
        topic="Поставка манометров", message="Ищем поставщика эталонов", **fields,
    )  # fmt: skip


# --- POST actions: who gets what, and that nothing changes for the others ----------------------

# (status code, final status) per role; 302 is back to the list (with the service's refusal as a
# message for a side that may not do this one), 404 a request that is not theirs.
ACTION_EXPECTED = {
    "accept": {"invitee": (302, "accepted"), "requester": (302, "pending")},
    "decline": {"invitee": (302, "declined"), "requester": (302, "pending")},
    "withdraw": {"requester": (302, "withdrawn"), "invitee": (302, "pending")},
}
OTHERS = {"third": 404, "outsider": 404, "official": 403, "staff_mission": 403, "staff_other": 403}


@pytest.mark.parametrize("action", ["accept", "decline", "withdraw"])
@pytest.mark.parametrize("role", ROLES)
def test_post_action_by_role(b2b, role, action):
    request = _request(b2b)

    response = _client(b2b, role).post(reverse(f"partners:{action}", args=[request.pk]), {"reason": "Нет мощностей"})

    request.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("account:login"))
        assert request.status == "pending"
    elif role in OTHERS:
        assert (response.status_code, request.status) == (OTHERS[role], "pending")
    else:
        assert (response.status_code, request.status) == ACTION_EXPECTED[action][role]


def test_the_refusal_of_a_wrong_side_is_a_message(b2b):
    request = _request(b2b)

    response = _client(b2b, "requester").post(reverse("partners:accept", args=[request.pk]), follow=True)

    assert "Ответить на запрос на встречу может только приглашённая организация." in response.content.decode()


@pytest.mark.parametrize("role", ["third", "outsider"])
def test_another_companys_list_shows_nothing_of_the_request(b2b, role):
    _request(b2b, status="accepted")

    body = _client(b2b, role).get(reverse("partners:list")).content.decode()

    for leak in ("Поставка манометров", "Ищем поставщика эталонов", "Бета Манометры", *SECRETS):
        assert leak not in body


@pytest.mark.parametrize("role, status", [("official", 403), ("staff_mission", 403), ("staff_other", 403)])
def test_people_without_a_company_get_the_polite_page(b2b, role, status):
    _request(b2b)

    response = _client(b2b, role).get(reverse("partners:list"))

    assert response.status_code == status
    assert "Поставка манометров" not in response.content.decode()


def test_the_list_needs_a_sign_in(b2b, client):
    response = client.get(reverse("partners:list"))

    assert response.status_code == 302 and response.url.startswith(reverse("account:login"))


# --- Contacts: hidden before acceptance, shown after -------------------------------------------


def test_the_invitee_sees_the_request_but_no_contacts_before_accepting(b2b):
    _request(b2b)

    body = _client(b2b, "invitee").get(reverse("partners:list")).content.decode()

    assert "Альфа Приборы" in body and "Поставка манометров" in body and "Ищем поставщика эталонов" in body
    for secret in SECRETS[:2]:
        assert secret not in body


def test_the_requester_sees_no_contacts_of_the_invitee_before_acceptance(b2b):
    _request(b2b)

    body = _client(b2b, "requester").get(reverse("partners:list")).content.decode()

    assert "Бета Манометры" in body
    for secret in SECRETS[2:]:
        assert secret not in body


@pytest.mark.parametrize("status", ["declined", "withdrawn", "cancelled"])
def test_a_closed_request_discloses_nothing(b2b, status):
    _request(b2b, status=status)

    a = _client(b2b, "requester").get(reverse("partners:list")).content.decode()
    b = _client(b2b, "invitee").get(reverse("partners:list")).content.decode()

    assert not any(secret in a for secret in SECRETS[2:])
    assert not any(secret in b for secret in SECRETS[:2])


def test_both_sides_see_each_others_contacts_once_accepted(b2b):
    request = _request(b2b)
    _client(b2b, "invitee").post(reverse("partners:accept", args=[request.pk]))

    a = _client(b2b, "requester").get(reverse("partners:list")).content.decode()
    b = _client(b2b, "invitee").get(reverse("partners:list")).content.decode()

    assert "rep-b.person@example.org" in a and "+7 900 222-22-22" in a
    assert "rep-a.person@example.org" in b and "+7 900 111-11-11" in b


# --- The form -----------------------------------------------------------------------------


def test_the_form_offers_the_other_participants_that_take_requests(b2b):
    b2b.org_c.accepts_meeting_requests = False
    b2b.org_c.save()

    response = _client(b2b, "requester").get(reverse("partners:create", args=[b2b.mission.slug]))

    choices = [label for _value, label in response.context["form"].fields["invitee"].choices][1:]
    assert choices == ["Бета Манометры — Челябинская область"]


def test_the_form_sends_a_request(b2b):
    response = _client(b2b, "requester").post(
        reverse("partners:create", args=[b2b.mission.slug]),
        {"invitee": b2b.org_b.pk, "topic": "Манометры", "message": "Нужны эталоны"},
    )

    request = MeetingRequest.objects.get()
    assert response.status_code == 302
    assert (request.requester, request.invitee, request.topic, request.message, request.requested_by) == (
        b2b.org_a, b2b.org_b, "Манометры", "Нужны эталоны", b2b.users["requester"]
    )  # fmt: skip


def test_the_form_refuses_a_company_outside_the_mission(b2b):
    response = _client(b2b, "requester").post(
        reverse("partners:create", args=[b2b.mission.slug]), {"invitee": b2b.org_d.pk, "topic": "Станки"}
    )

    assert response.status_code == 400
    assert "Выберите корректный вариант" in response.content.decode()
    assert MeetingRequest.objects.count() == 0


def test_the_form_of_a_closed_mission_is_not_found(b2b):
    b2b.mission.status = "completed"
    b2b.mission.save()

    response = _client(b2b, "requester").get(reverse("partners:create", args=[b2b.mission.slug]))

    assert response.status_code == 404


def test_an_outsider_posting_the_form_is_refused_with_a_message(b2b):
    response = _client(b2b, "outsider").post(
        reverse("partners:create", args=[b2b.mission.slug]), {"invitee": b2b.org_b.pk, "topic": "Станки"}
    )

    assert response.status_code == 400
    assert "Ваша организация не участвует в этой миссии" in response.content.decode()
    assert MeetingRequest.objects.count() == 0


# --- Query counts ----------------------------------------------------------------------------


def _requests(w, n):
    for i in range(n):
        other = f.OrganizationFactory(region=w.org_b.region, name=f"Хост {i}")
        HostParticipant.objects.create(mission=w.mission, organization=other)
        f.PersonFactory(organization=other, user=f.UserFactory(username=f"host-{i}"), phone="+7 900 000-00-00")
        MeetingRequest.objects.create(
            mission=w.mission, requester=w.org_a, invitee=other, topic=f"Тема {i}", status="accepted"
        )


@pytest.mark.parametrize("rows", [1, 4])
def test_the_list_runs_a_fixed_number_of_queries(b2b, django_assert_num_queries, rows):
    _requests(b2b, rows)
    client = _client(b2b, "requester")

    with django_assert_num_queries(14):
        response = client.get(reverse("partners:list"))

    assert len(response.context["outgoing"]) == rows


# --- The mission page ---------------------------------------------------------------------------


def test_the_mission_page_offers_the_requests_to_a_participant(b2b):
    body = _client(b2b, "requester").get(b2b.mission.get_absolute_url()).content.decode()

    assert reverse("partners:create", args=[b2b.mission.slug]) in body


def test_the_mission_page_offers_a_destination_company_to_join(b2b):
    client = _client(b2b, "outsider")
    body = client.get(b2b.mission.get_absolute_url()).content.decode()
    assert reverse("partners:join", args=[b2b.mission.slug]) in body

    response = client.post(reverse("partners:join", args=[b2b.mission.slug]))

    assert response.status_code == 302
    assert HostParticipant.objects.filter(mission=b2b.mission, organization=b2b.org_d).exists()


@pytest.mark.parametrize("role", ["anonymous", "official", "staff_mission"])
def test_the_mission_page_offers_nothing_to_others(b2b, role):
    body = _client(b2b, role).get(b2b.mission.get_absolute_url()).content.decode()

    assert reverse("partners:join", args=[b2b.mission.slug]) not in body
    assert reverse("partners:create", args=[b2b.mission.slug]) not in body


def test_a_company_of_the_origin_cannot_join_the_host_side(b2b):
    outsider_x = f.OrganizationFactory(region=b2b.org_a.region, name="Омега")
    user = f.UserFactory(username="rep-omega")
    f.PersonFactory(organization=outsider_x, user=user)
    client = Client()
    client.force_login(user)

    client.post(reverse("partners:join", args=[b2b.mission.slug]))

    assert not HostParticipant.objects.filter(organization=outsider_x).exists()


# --- The admin ----------------------------------------------------------------------------------


def _form(w, hour):
    return {
        "date": w.mission.start_date.isoformat(),
        "start_time": f"{hour}:00",
        "end_time": f"{hour}:30",
        "table": "7",
    }


@pytest.mark.parametrize("role, scheduled", [("staff_mission", True), ("staff_other", False)])
def test_admin_schedule_page(b2b, role, scheduled):
    request = _request(b2b, status="accepted")
    client = _client(b2b, role)

    response = client.post(reverse("admin:partners_meetingrequest_schedule", args=[request.pk]), _form(b2b, 10))

    request.refresh_from_db()
    assert response.status_code == 302
    assert (request.status, Meeting.objects.count()) == (("scheduled", 1) if scheduled else ("accepted", 0))


def test_admin_schedule_page_shows_the_clash(b2b):
    staff = _client(b2b, "staff_mission")
    first = _request(b2b, status="accepted")
    staff.post(reverse("admin:partners_meetingrequest_schedule", args=[first.pk]), _form(b2b, 10))
    second = MeetingRequest.objects.create(
        mission=b2b.mission, requester=b2b.org_c, invitee=b2b.org_b, topic="Т", status="accepted"
    )

    response = staff.post(reverse("admin:partners_meetingrequest_schedule", args=[second.pk]), _form(b2b, 10))

    second.refresh_from_db()
    assert response.status_code == 400
    assert "Бета Манометры" in response.content.decode() and "уже есть встреча" in response.content.decode()
    assert second.status == "accepted"


@pytest.mark.parametrize("role, cancelled", [("staff_mission", True), ("staff_other", False)])
def test_admin_cancel_action(b2b, role, cancelled):
    request = _request(b2b)
    client = _client(b2b, role)

    client.post(
        reverse("admin:partners_meetingrequest_changelist"),
        {"action": "cancel_selected", "_selected_action": [request.pk], "reason": "Миссия перенесена"},
    )

    request.refresh_from_db()
    assert (request.status, request.decline_reason) == (
        ("cancelled", "Миссия перенесена") if cancelled else ("pending", "")
    )


@pytest.mark.parametrize("rows", [1, 4])
def test_admin_changelist_runs_a_fixed_number_of_queries(b2b, django_assert_num_queries, rows):
    _requests(b2b, rows)
    client = _client(b2b, "staff_mission")

    with django_assert_num_queries(13):
        response = client.get(reverse("admin:partners_meetingrequest_changelist"))

    assert response.context["cl"].result_count == rows


def test_admin_move_page_moves(b2b):
    staff = _client(b2b, "staff_mission")
    request = _request(b2b, status="accepted")
    staff.post(reverse("admin:partners_meetingrequest_schedule", args=[request.pk]), _form(b2b, 10))

    response = staff.post(
        reverse("admin:partners_meetingrequest_move", args=[request.pk]), _form(b2b, 11) | {"table": "8"}
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.starts_at.astimezone(b2b.mission.venue_zone).time(), meeting.table) == (datetime.time(11, 0), "8")
