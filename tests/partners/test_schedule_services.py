"""Building, moving and publishing a session's plan; who may do it; what each company sees."""

import datetime
import shutil
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from agreements.followup.delivery import reminders_send_due
from agreements.models import Reminder
from companies.exceptions import PortalError
from companies.rendering import pango_available
from missions.models import Meeting, ProgramItem
from missions.services.schedule import meeting_record_result
from partners.models import (
    B2BSession,
    MeetingRequest,
    PlannedMeeting,
    SessionPairing,
    SessionTable,
    SessionUnavailability,
)
from partners.scheduling.services import planned_meeting_move, schedule_build, schedule_publish
from partners.services.requests import meeting_request_cancel
from tests import factories as f
from tests.partners.conftest import person_user
from tests.reports.conftest import _require, pdf_text

pytestmark = pytest.mark.django_db
YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")  # Chelyabinsk, the missions' destination
DAY = datetime.date(2026, 5, 20)


def _local(meeting: Meeting) -> tuple:
    return (
        meeting.organization_a.name,
        meeting.organization_b.name,
        meeting.table,
        meeting.starts_at.astimezone(YEKATERINBURG).strftime("%d.%m.%Y %H:%M"),
        meeting.ends_at.astimezone(YEKATERINBURG).strftime("%H:%M"),
        meeting.status,
        meeting.program_item_id is not None,
    )


@pytest.fixture
def ministry():
    return f.MinistryFactory(name="Министерство промышленности Ульяновской области")


@pytest.fixture
def staff(ministry):
    return f.MinistryStaffFactory(username="staff-73", organization=ministry)


@pytest.fixture
def world(ministry):
    """A session of three 20-minute slots (10:00–11:00 local) and two tables. Альфа asked to meet
    Бета, Гамма and Дельта, each free in one slot only, so the plan has one answer."""
    mission = f.MissionFactory(organizer=ministry, title="Ульяновск — Челябинск")
    item = f.ProgramItemFactory(mission=mission, kind=ProgramItem.Kind.B2B, title="Биржа контактов", date=DAY)
    session = B2BSession.objects.create(
        program_item=item, starts=datetime.time(10), ends=datetime.time(11), slot_minutes=20
    )
    tables = [SessionTable.objects.create(session=session, number=n) for n in (1, 2)]
    org = {name: f.OrganizationFactory(name=name) for name in ("Альфа", "Бета", "Гамма", "Дельта")}
    requests = {
        other: MeetingRequest.objects.create(
            mission=mission,
            requester=org["Альфа"],
            invitee=org[other],
            topic=f"поставки для {other}",
            status="accepted",
        )
        for other in ("Бета", "Гамма", "Дельта")
    }
    t = datetime.time
    busy = {
        "Бета": [(t(10, 20), t(11))],
        "Гамма": [(t(10), t(10, 20)), (t(10, 40), t(11))],
        "Дельта": [(t(10), t(10, 40))],
    }
    for name, windows in busy.items():
        for starts, ends in windows:
            SessionUnavailability.objects.create(session=session, organization=org[name], starts=starts, ends=ends)
    return {"mission": mission, "item": item, "session": session, "tables": tables, "org": org, "requests": requests}


def test_publish_creates_exactly_the_planned_meetings(world, staff):
    plan = schedule_build(session=world["session"], by=staff)
    assert (len(plan.placements), plan.unplaced) == (3, [])
    result = schedule_publish(session=world["session"], by=staff)
    assert (result.created, result.updated, result.cancelled) == (3, 0, 0)
    meetings = Meeting.objects.order_by("starts_at")
    assert [_local(m) for m in meetings] == [
        ("Альфа", "Бета", "1", "20.05.2026 10:00", "10:20", "scheduled", True),
        ("Альфа", "Гамма", "1", "20.05.2026 10:20", "10:40", "scheduled", True),
        ("Альфа", "Дельта", "1", "20.05.2026 10:40", "11:00", "scheduled", True),
    ]
    assert [m.topic for m in meetings] == ["поставки для Бета", "поставки для Гамма", "поставки для Дельта"]
    requests = MeetingRequest.objects.order_by("pk")
    assert [(r.status, r.meeting.organization_b.name) for r in requests] == [
        ("scheduled", "Бета"),
        ("scheduled", "Гамма"),
        ("scheduled", "Дельта"),
    ]


def test_publishing_again_after_a_move_updates_the_same_meetings(world, staff):
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)
    first_ids = sorted(Meeting.objects.values_list("pk", flat=True))
    gamma = PlannedMeeting.objects.get(organization_b=world["org"]["Гамма"])
    planned_meeting_move(planned=gamma, slot=1, table=world["tables"][1], by=staff)
    result = schedule_publish(session=world["session"], by=staff)
    assert (result.created, result.updated, result.cancelled) == (0, 3, 0)
    assert sorted(Meeting.objects.values_list("pk", flat=True)) == first_ids
    assert [_local(m)[:4] for m in Meeting.objects.order_by("starts_at")] == [
        ("Альфа", "Бета", "1", "20.05.2026 10:00"),
        ("Альфа", "Гамма", "2", "20.05.2026 10:20"),
        ("Альфа", "Дельта", "1", "20.05.2026 10:40"),
    ]
    # Building again keeps the link to the published meetings: a third publication duplicates nothing.
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)
    assert Meeting.objects.count() == 3
    assert sorted(Meeting.objects.values_list("pk", flat=True)) == first_ids


def test_a_withdrawn_request_cancels_its_published_meeting_on_the_next_publication(world, staff):
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)
    request = world["requests"]["Дельта"]
    meeting = Meeting.objects.get(organization_b=world["org"]["Дельта"])
    MeetingRequest.objects.filter(pk=request.pk).update(status="withdrawn", meeting=None)
    schedule_build(session=world["session"], by=staff)
    withdrawn = PlannedMeeting.objects.get(reason_code="withdrawn")
    assert (withdrawn.organization_b.name, withdrawn.meeting_id) == ("Дельта", meeting.pk)
    result = schedule_publish(session=world["session"], by=staff)
    assert (result.created, result.updated, result.cancelled) == (0, 2, 1)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.table, meeting.starts_at) == ("cancelled", "", None)
    assert PlannedMeeting.objects.filter(reason_code="withdrawn").count() == 0


def test_a_move_that_clashes_is_refused_and_changes_nothing(world, staff):
    schedule_build(session=world["session"], by=staff)
    before = list(PlannedMeeting.objects.order_by("pk").values_list("slot", "table"))
    gamma = PlannedMeeting.objects.get(organization_b=world["org"]["Гамма"])
    with pytest.raises(PortalError) as refusal:
        planned_meeting_move(planned=gamma, slot=0, table=world["tables"][1], by=staff)
    assert refusal.value.messages == [
        "«Альфа» has two meetings at 10:00–10:20. «Гамма» is not available at 10:00–10:20."
    ]
    assert list(PlannedMeeting.objects.order_by("pk").values_list("slot", "table")) == before


def test_a_meeting_elsewhere_makes_its_slot_unavailable(world, staff):
    other = f.MissionFactory(title="Другая миссия")
    f.MeetingFactory(
        mission=other,
        organization_a=world["org"]["Бета"],
        organization_b=f.OrganizationFactory(name="Сторонняя"),
        starts_at=datetime.datetime(2026, 5, 20, 10, 5, tzinfo=YEKATERINBURG),
        ends_at=datetime.datetime(2026, 5, 20, 10, 15, tzinfo=YEKATERINBURG),
        status="scheduled",
    )
    plan = schedule_build(session=world["session"], by=staff)
    assert len(plan.placements) == 2
    unplaced = PlannedMeeting.objects.get(slot__isnull=True)
    assert (unplaced.organization_b.name, unplaced.reason_code) == ("Бета", "unavailable")


def test_must_meet_pairing_and_unplaced_reasons_are_stored(world, staff):
    org = world["org"]
    SessionPairing.objects.create(
        session=world["session"], organization_a=org["Бета"], organization_b=org["Гамма"], must_meet=True
    )
    schedule_build(session=world["session"], by=staff)
    unplaced = PlannedMeeting.objects.get(slot__isnull=True)
    assert (unplaced.organization_a.name, unplaced.organization_b.name, unplaced.reason_code) == (
        "Бета",
        "Гамма",
        "no_common_time",
    )


def test_only_the_missions_ministry_builds_and_publishes(world, staff, client):
    stranger = f.MinistryStaffFactory(username="staff-74")
    with pytest.raises(PortalError):
        schedule_build(session=world["session"], by=stranger)
    client.force_login(stranger)
    session = world["session"]
    for name in ("build", "publish"):
        response = client.post(reverse(f"admin:partners_b2bsession_{name}", args=[session.pk]))
        assert response.status_code == 403
    gamma_request = world["requests"]["Гамма"]
    assert PlannedMeeting.objects.count() == 0
    assert Meeting.objects.count() == 0
    assert MeetingRequest.objects.get(pk=gamma_request.pk).status == "accepted"
    # Another ministry reads the plan page but gets no buttons.
    page = client.get(reverse("admin:partners_b2bsession_plan", args=[session.pk]))
    assert page.status_code == 200
    assert reverse("admin:partners_b2bsession_build", args=[session.pk]) not in page.content.decode()


def test_a_company_representative_cannot_build(world, client):
    rep = f.UserFactory(username="rep-alfa")
    f.PersonFactory(organization=world["org"]["Альфа"], user=rep)
    client.force_login(rep)
    response = client.post(reverse("admin:partners_b2bsession_build", args=[world["session"].pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert PlannedMeeting.objects.count() == 0


def test_staff_build_move_and_publish_through_the_admin(world, staff, client):
    client.force_login(staff)
    session = world["session"]
    response = client.post(reverse("admin:partners_b2bsession_build", args=[session.pk]))
    assert response.status_code == 302
    gamma = PlannedMeeting.objects.get(organization_b=world["org"]["Гамма"])
    bad = client.post(
        reverse("admin:partners_b2bsession_move", args=[session.pk]),
        {"meeting": gamma.pk, "slot": 0, "table": world["tables"][1].pk},
    )
    assert bad.status_code == 400
    assert "У «Альфа» две встречи в 10:00–10:20." in bad.content.decode()
    good = client.post(
        reverse("admin:partners_b2bsession_move", args=[session.pk]),
        {"meeting": gamma.pk, "slot": 1, "table": world["tables"][1].pk},
    )
    assert good.status_code == 302
    gamma.refresh_from_db()
    assert (gamma.slot, gamma.table.number) == (1, 2)
    client.post(reverse("admin:partners_b2bsession_publish", args=[session.pk]))
    assert sorted(Meeting.objects.values_list("table", flat=True)) == ["1", "1", "2"]


def _published(world, staff):
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)


def _rep(organization, username):
    user = f.UserFactory(username=username)
    f.PersonFactory(organization=organization, user=user)
    return user


def test_a_companys_agenda_shows_its_own_meetings_only(world, staff, client):
    _published(world, staff)
    # Another company's published meeting in another session: it must not leak into Бета's agenda.
    client.force_login(_rep(world["org"]["Бета"], "rep-beta"))
    page = client.get(reverse("b2b:agenda")).content.decode()
    assert "Биржа контактов" in page
    assert page.count('class="agenda-row"') == 1
    assert "Альфа" in page and "поставки для Бета" in page
    assert "Гамма" not in page and "Дельта" not in page
    ics = client.get(reverse("b2b:agenda-ics"))
    body = ics.content.decode()
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert "DTSTART;TZID=Asia/Yekaterinburg:20260520T100000" in body
    assert "SUMMARY:Альфа: поставки для Бета" in body
    assert "Гамма" not in body


def test_the_account_feed_includes_the_published_meetings(world, staff, client):
    _published(world, staff)
    rep = _rep(world["org"]["Альфа"], "rep-alfa")
    client.force_login(rep)
    client.get(reverse("account:meetings"))
    token = rep.calendar_feed.token
    body = client.get(reverse("account:calendar-feed", args=[token])).content.decode()
    assert body.count("BEGIN:VEVENT") == 3
    assert "LOCATION:1" in body


def test_the_pdf_of_another_session_is_not_found(world, staff, client):
    _published(world, staff)
    client.force_login(_rep(f.OrganizationFactory(name="Посторонняя"), "rep-x"))
    response = client.get(reverse("b2b:agenda-pdf", args=[world["session"].pk]))
    assert response.status_code == 404


def test_the_mission_page_shows_the_schedule_once_published(world, staff, client):
    url = world["mission"].get_absolute_url()
    schedule_build(session=world["session"], by=staff)
    assert "b2b-schedule-row" not in client.get(url).content.decode()
    schedule_publish(session=world["session"], by=staff)
    page = client.get(url).content.decode()
    assert page.count('class="b2b-schedule-row"') == 3
    assert "Биржа контактов" in page


def test_the_mission_page_hides_names_of_unpublished_organizations(world, staff, client):
    world["org"]["Дельта"].is_public = False
    world["org"]["Дельта"].save()
    _published(world, staff)
    page = client.get(world["mission"].get_absolute_url()).content.decode()
    assert "Дельта" not in page
    assert "организация, не показанная публично" in page


# --- Query counts ------------------------------------------------------------------------------


def _more_meetings(world, n):
    mission, session = world["mission"], world["session"]
    for i in range(n):
        a, b = f.OrganizationFactory(name=f"Ещё {i}a"), f.OrganizationFactory(name=f"Ещё {i}b")
        MeetingRequest.objects.create(mission=mission, requester=a, invitee=b, topic="тема", status="accepted")
    SessionTable.objects.bulk_create([SessionTable(session=session, number=n) for n in range(3, 3 + n)])


@pytest.mark.parametrize("extra", [0, 4])
def test_plan_page_runs_a_fixed_number_of_queries(world, staff, client, django_assert_num_queries, extra):
    _more_meetings(world, extra)
    schedule_build(session=world["session"], by=staff)
    client.force_login(staff)
    url = reverse("admin:partners_b2bsession_plan", args=[world["session"].pk])
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count('class="schedule-meeting') == 3 + extra


@pytest.mark.parametrize("extra", [0, 4])
def test_agenda_page_runs_a_fixed_number_of_queries(world, staff, client, django_assert_num_queries, extra):
    alfa = world["org"]["Альфа"]
    for _ in range(extra):
        MeetingRequest.objects.create(
            mission=world["mission"], requester=alfa, invitee=f.OrganizationFactory(), topic="тема", status="accepted"
        )
    world["session"].ends = datetime.time(13)
    world["session"].save()
    _published(world, staff)
    client.force_login(_rep(alfa, "rep-alfa"))
    with django_assert_num_queries(8):
        response = client.get(reverse("b2b:agenda"))
    assert response.content.decode().count('class="agenda-row"') == 3 + extra


def test_the_table_plan_pdf_lists_the_companys_meetings(world, staff, client, tmp_path):
    _require(pango_available(), "WeasyPrint cannot load Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    _require(bool(shutil.which("pdftotext")), "no pdftotext: apt-get install poppler-utils")
    _published(world, staff)
    client.force_login(_rep(world["org"]["Гамма"], "rep-gamma"))
    response = client.get(reverse("b2b:agenda-pdf", args=[world["session"].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="b2b-plan-{world["session"].pk}.pdf"'
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    text = " ".join(pdf_text(path).split())
    assert "План столов: Гамма" in text
    assert "10:20–10:40 1 Альфа поставки для Гамма" in text
    assert "Бета" not in text and "Дельта" not in text


def test_publishing_again_leaves_a_held_meeting_as_recorded(world, staff):
    _published(world, staff)
    held = Meeting.objects.get(organization_b=world["org"]["Бета"])
    meeting_record_result(meeting=held, status="held", outcome="follow_up_agreed", by=staff)
    beta = PlannedMeeting.objects.get(organization_b=world["org"]["Бета"])
    planned_meeting_move(planned=beta, slot=0, table=world["tables"][1], by=staff)
    result = schedule_publish(session=world["session"], by=staff)
    assert (result.created, result.updated, result.cancelled) == (0, 2, 0)
    held.refresh_from_db()
    assert (held.status, held.outcome, held.table) == ("held", "follow_up_agreed", "1")


def test_staff_add_a_session_with_numbered_tables_in_the_admin(staff, client, ministry):
    mission = f.MissionFactory(organizer=ministry)
    item = f.ProgramItemFactory(mission=mission, kind=ProgramItem.Kind.B2B, date=DAY)
    round_table = f.ProgramItemFactory(mission=mission, kind=ProgramItem.Kind.ROUND_TABLE, date=DAY)
    client.force_login(staff)
    inlines = {}
    for prefix in ("tables", "breaks", "unavailability", "pairings"):
        inlines.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    form = {"starts": "10:00", "ends": "12:00", "slot_minutes": "20", "request_priority": "3", **inlines}
    refused = client.post(reverse("admin:partners_b2bsession_add"), {**form, "program_item": round_table.pk})
    assert refused.status_code == 200
    assert B2BSession.objects.count() == 0
    response = client.post(
        reverse("admin:partners_b2bsession_add"),
        {**form, "program_item": item.pk, "add_tables": "3", "add_tables_seats": "4"},
    )
    assert response.status_code == 302
    session = B2BSession.objects.get()
    assert list(session.tables.values_list("number", "seats")) == [(1, 4), (2, 4), (3, 4)]


def _letters():
    """(kind, recipient) of every meeting letter in the outbox, sorted."""
    rows = Reminder.objects.filter(kind__startswith="meeting_").values_list("kind", "recipient_email")
    return sorted(rows)


@pytest.fixture
def logins(world):
    return {name: person_user(f"rep-{n}", world["org"][name]) for n, name in enumerate(world["org"], start=1)}


def test_publishing_tells_both_companies_once_and_a_move_once_more(world, staff, logins):
    a, b, g, d = (f"rep-{n}.person@example.org" for n in (1, 2, 3, 4))
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)
    scheduled = [("meeting_scheduled", x) for x in (a, a, a, b, g, d)]
    assert _letters() == scheduled
    outcome = reminders_send_due()
    assert (outcome.get("sent"), len(mail.outbox)) == (6, 6)
    assert "Стол: 1" in mail.outbox[0].body

    # Published again as it is: the companies hear nothing new.
    schedule_build(session=world["session"], by=staff)
    result = schedule_publish(session=world["session"], by=staff)
    assert (result.created, result.updated, result.cancelled) == (0, 3, 0)
    assert _letters() == scheduled

    # Гамма's meeting goes to table 2 in the same slot: one "moved" letter to each of its two sides.
    gamma = PlannedMeeting.objects.get(organization_b=world["org"]["Гамма"])
    planned_meeting_move(planned=gamma, slot=1, table=world["tables"][1], by=staff)
    schedule_publish(session=world["session"], by=staff)
    assert _letters() == sorted([*scheduled, ("meeting_moved", a), ("meeting_moved", g)])
    reminders_send_due()
    moved = mail.outbox[6:]
    assert sorted(m.to[0] for m in moved) == ['"Иван Rep1" <' + a + ">", '"Иван Rep3" <' + g + ">"]
    assert "Стол: 2" in moved[0].body


def test_a_meeting_left_off_the_schedule_is_cancelled_to_both_and_can_come_back(world, staff, logins):
    a, d = "rep-1.person@example.org", "rep-4.person@example.org"
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)
    before = _letters()
    # Дельта becomes busy in its only free slot: the next plan cannot place it.
    busy = SessionUnavailability.objects.create(
        session=world["session"],
        organization=world["org"]["Дельта"],
        starts=datetime.time(10, 40),
        ends=datetime.time(11),
    )
    schedule_build(session=world["session"], by=staff)
    result = schedule_publish(session=world["session"], by=staff)
    assert (result.created, result.updated, result.cancelled) == (0, 2, 1)
    request = MeetingRequest.objects.get(pk=world["requests"]["Дельта"].pk)
    assert (request.status, request.meeting_id) == ("accepted", None)
    assert _letters() == sorted([*before, ("meeting_cancelled", a), ("meeting_cancelled", d)])
    schedule_publish(session=world["session"], by=staff)
    assert len(_letters()) == len(before) + 2

    busy.delete()
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)
    request.refresh_from_db()
    assert (request.status, request.meeting.status) == ("scheduled", "scheduled")
    assert len(_letters()) == len(before) + 4
    assert _letters().count(("meeting_scheduled", d)) == 2


def test_a_request_cancelled_after_the_build_is_not_published_again(world, staff, logins):
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)
    request = world["requests"]["Бета"]
    meeting_request_cancel(request=request, reason="Бета не приедет", by=staff)
    cancelled_letters = _letters()
    result = schedule_publish(session=world["session"], by=staff)  # the draft still places Бета
    assert (result.created, result.updated, result.cancelled) == (0, 2, 0)
    request.refresh_from_db()
    meeting = Meeting.objects.get(organization_b=world["org"]["Бета"])
    assert (request.status, request.meeting_id, meeting.status) == ("cancelled", None, "cancelled")
    assert _letters() == cancelled_letters


def test_a_cancellation_overtaken_by_the_next_publication_is_not_sent(world, staff, logins):
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)
    reminders_send_due()
    mail.outbox.clear()
    busy = SessionUnavailability.objects.create(
        session=world["session"], organization=world["org"]["Дельта"], starts=datetime.time(10), ends=datetime.time(11)
    )
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)
    busy.delete()
    schedule_build(session=world["session"], by=staff)
    schedule_publish(session=world["session"], by=staff)  # before the "cancelled" letters went out

    outcome = reminders_send_due()

    assert (outcome.get("sent"), outcome.get("cancelled")) == (2, 2)
    assert sorted(m.to[0] for m in mail.outbox) == [
        '"Иван Rep1" <rep-1.person@example.org>',
        '"Иван Rep4" <rep-4.person@example.org>',
    ]
    assert [".meeting_scheduled@" in m.extra_headers["Message-ID"] for m in mail.outbox] == [True, True]
