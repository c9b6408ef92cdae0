"""Every change of a request is one letter to the other side, through the follow-up outbox; the new
request's letter answers once by its link."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from agreements.followup.delivery import reminders_send_due
from agreements.models import Reminder
from partners.models import MeetingRequest
from partners.services.requests import (
    meeting_request_accept,
    meeting_request_cancel,
    meeting_request_create,
    meeting_request_decline,
    meeting_request_move,
    meeting_request_schedule,
    meeting_request_withdraw,
)


def _create(w, topic="Поставка манометров"):
    return meeting_request_create(
        mission=w.mission, invitee=w.org_b, topic=topic, message="Ищем поставщика эталонов", by=w.users["requester"]
    )


def _slot(w, hour):
    return {"date": w.mission.start_date, "start_time": datetime.time(hour, 0), "end_time": datetime.time(hour, 30)}


def _sent():
    """(kind, recipient) of every letter sent so far, in order (the kind is in the Message-ID)."""
    return [(re.search(r"\.(meeting_\w+)@", m.extra_headers["Message-ID"])[1], m.to[0]) for m in mail.outbox]


def test_each_event_is_one_letter_to_the_other_side_however_often_delivery_runs(b2b):
    staff = b2b.users["staff_mission"]
    request = _create(b2b)
    steps = [
        lambda: meeting_request_accept(request=request, by=b2b.users["invitee"]),
        lambda: meeting_request_schedule(request=request, table="4", by=staff, **_slot(b2b, 10)),
        lambda: meeting_request_move(request=request, table="4", by=staff, **_slot(b2b, 11)),
        lambda: meeting_request_cancel(request=request, reason="Перенос", by=staff),
    ]
    sent = [(reminders_send_due().get("sent"), reminders_send_due().get("sent"))]
    for step in steps:
        step()
        sent.append((reminders_send_due().get("sent"), reminders_send_due().get("sent")))

    assert sent == [(1, None), (1, None), (2, None), (2, None), (2, None)]
    a, b = '"Иван Repa" <rep-a.person@example.org>', '"Иван Repb" <rep-b.person@example.org>'
    assert _sent() == [
        ("meeting_new", b),
        ("meeting_accepted", a),
        ("meeting_scheduled", a),
        ("meeting_scheduled", b),
        ("meeting_moved", a),
        ("meeting_moved", b),
        ("meeting_cancelled", a),
        ("meeting_cancelled", b),
    ]


def test_a_schedule_letter_overtaken_by_a_cancellation_is_not_sent(b2b):
    staff = b2b.users["staff_mission"]
    request = _create(b2b)
    meeting_request_accept(request=request, by=b2b.users["invitee"])
    meeting_request_schedule(request=request, table="4", by=staff, **_slot(b2b, 10))
    meeting_request_cancel(request=request, by=staff)

    outcome = reminders_send_due()

    assert (outcome.get("sent"), outcome.get("cancelled")) == (3, 3)  # new and scheduled ×2 were overtaken
    assert sorted(kind for kind, _to in _sent()) == ["meeting_accepted", "meeting_cancelled", "meeting_cancelled"]


@pytest.mark.parametrize(
    "act, kind, to",
    [
        (
            lambda w, r: meeting_request_decline(request=r, reason="Нет мощностей", by=w.users["invitee"]),
            "meeting_declined",
            "rep-a",
        ),
        (lambda w, r: meeting_request_withdraw(request=r, by=w.users["requester"]), "meeting_withdrawn", "rep-b"),
    ],
)
def test_decline_and_withdraw_tell_the_other_side(b2b, act, kind, to):
    request = _create(b2b)
    reminders_send_due()
    mail.outbox.clear()

    act(b2b, request)
    reminders_send_due()

    assert [
        (re.search(r"\.(meeting_\w+)@", m.extra_headers["Message-ID"])[1], m.to[0].split("<")[1].split(".")[0])
        for m in mail.outbox
    ] == [(kind, to)]


def test_the_new_request_letter_is_russian_and_tells_no_contacts(b2b):
    _create(b2b)
    reminders_send_due()

    (letter,) = mail.outbox
    html = letter.alternatives[0][0]
    assert letter.subject == "Запрос на встречу от организации Альфа Приборы"
    assert "Поставка манометров" in letter.body and "Ищем поставщика эталонов" in letter.body
    for secret in ("rep-a", "+7 900 111-11-11"):
        assert secret not in letter.body and secret not in html


def test_a_letter_overtaken_by_the_answer_is_not_sent(b2b):
    request = _create(b2b)
    meeting_request_withdraw(request=request, by=b2b.users["requester"])

    outcome = reminders_send_due()

    assert outcome.get("cancelled") == 1  # the new request's letter: the request was withdrawn before it went
    assert [m.subject for m in mail.outbox] == ["Организация Альфа Приборы отозвала запрос на встречу"]


def test_only_company_logins_of_the_side_get_the_letters(b2b):
    from tests import factories as f

    f.PersonFactory(organization=b2b.org_b, email="no-login@example.org")  # a contact without a login
    _create(b2b)

    assert list(Reminder.objects.values_list("recipient_email", flat=True)) == ["rep-b.person@example.org"]


# --- The one-click answer ----------------------------------------------------------------------


def _links(w, client_language="ru"):
    _create(w)
    reminders_send_due()
    (letter,) = mail.outbox
    accept = re.search(r"(http\S+\?answer=accept)", letter.body)[1]
    return accept.replace("http://testserver", ""), re.search(r"(http\S+\?answer=decline)", letter.body)[1]


def test_the_link_shows_first_and_accepts_on_post_once(b2b, client, settings):
    settings.PORTAL_BASE_URL = "http://testserver"
    accept, _decline = _links(b2b)
    path = accept.split("?")[0]
    request = MeetingRequest.objects.get()

    shown = client.get(accept)
    request.refresh_from_db()
    assert shown.status_code == 200 and request.status == "pending"  # a mail scanner's GET changes nothing
    assert "Поставка манометров" in shown.content.decode()

    done = client.post(path, {"answer": "accept"})
    request.refresh_from_db()
    assert done.status_code == 200 and request.status == "accepted"
    assert request.decided_by == b2b.users["invitee"]

    again = client.post(path, {"answer": "decline", "reason": "передумали"})
    opened = client.get(accept)
    request.refresh_from_db()
    assert (again.status_code, opened.status_code) == (410, 410)
    assert "уже использована" in again.content.decode()
    assert (request.status, request.decline_reason) == ("accepted", "")


def test_the_link_declines_with_a_reason(b2b, client, settings):
    settings.PORTAL_BASE_URL = "http://testserver"
    _accept, decline = _links(b2b)

    response = client.post(
        decline.replace("http://testserver", "").split("?")[0], {"answer": "decline", "reason": "Нет мощностей"}
    )

    request = MeetingRequest.objects.get()
    assert response.status_code == 200
    assert (request.status, request.decline_reason) == ("declined", "Нет мощностей")


def test_a_forged_link_opens_nothing(b2b, client):
    request = MeetingRequest.objects.create(mission=b2b.mission, requester=b2b.org_a, invitee=b2b.org_b, topic="Т")

    response = client.post(reverse("partners:answer", kwargs={"token": "bm90LWEtdG9rZW4"}), {"answer": "accept"})

    request.refresh_from_db()
    assert response.status_code == 404 and request.status == "pending"


def test_the_link_of_an_answered_request_is_gone(b2b, client, settings):
    settings.PORTAL_BASE_URL = "http://testserver"
    accept, _decline = _links(b2b)
    meeting_request_decline(request=MeetingRequest.objects.get(), by=b2b.users["invitee"])

    response = client.post(accept.split("?")[0], {"answer": "accept"})

    assert response.status_code == 410
    assert MeetingRequest.objects.get().status == "declined"


def test_a_post_without_an_answer_changes_nothing(b2b, client, settings):
    settings.PORTAL_BASE_URL = "http://testserver"
    accept, _decline = _links(b2b)

    response = client.post(accept.split("?")[0], {"answer": "maybe"})

    assert response.status_code == 400
    assert MeetingRequest.objects.get().status == "pending"
    assert Reminder.objects.get(kind="meeting_new").link_used_at is None
