"""Issue 17 end to end on the demo data: a delegation company asks two host companies for meetings, one
accepts from its personal area and the other leaves it pending; staff of the mission's ministry build and
publish the session's plan; both companies of the accepted meeting find it on their agenda and in their
calendar feeds, and the suggestions page names a partner with its reason. Screenshots at 1366 and 390 px."""

import io

import pytest
from django.core.management import call_command

from agreements.models import Reminder
from config.portal.demo import data
from config.portal.demo.loader import demo_logins_ensure
from missions.models import Meeting
from partners.models import B2BSession, MeetingRequest

from .test_browser import expect, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "browser-test-password"  # noqa: S105 - a test login's password
MISSION = data.PLANNED_MISSION["slug"]
ALFAPASCAL = "АльфаПаскаль"
CHKPZ = "Челябинский кузнечнопрессовый завод"
WIDTHS = (1366, 390)


@pytest.fixture
def planned_mission(transactional_db, django_db_serialized_rollback, live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    call_command("load_demo", no_login=True, stdout=io.StringIO(), stderr=io.StringIO())
    demo_logins_ensure(password=PASSWORD)
    return B2BSession.objects.get(program_item__mission__slug=MISSION)


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main [type=submit], #content-main [type=submit]").first.click()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def at_both_widths(page, name):
    """Screenshots of the page at 1366 and 390 px; at 390 nothing scrolls sideways."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert no_sideways_scroll(page), f"{name} scrolls sideways at {width} px"
        screenshot(page, f"b2b-e2e-{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})


def request_meeting(page, invitee, topic):
    page.goto(f"/missions/{MISSION}/")
    page.locator("section.b2b-panel").get_by_role("link", name="Запросить встречу").click()
    page.get_by_label("С кем встретиться").select_option(label=f"{invitee} — Челябинская область")
    page.get_by_label("Тема").fill(topic)
    with page.expect_navigation():
        page.get_by_role("button", name="Отправить запрос").click()
    expect(page.locator(".messages")).to_contain_text(f"Запрос отправлен организации {invitee}")


def vevents(page, url) -> list[str]:
    response = page.request.get(url)
    assert (response.status, response.headers["content-type"]) == (200, "text/calendar; charset=utf-8")
    body = response.text().replace("\r\n ", "")  # unfold long lines
    return body.split("BEGIN:VEVENT")[1:]


def test_requests_schedule_and_agenda_end_to_end(page, watch, planned_mission):
    page.set_viewport_size({"width": 1366, "height": 900})

    # Midaus (the delegation) first looks at its suggestions: a partner with the reason in words.
    sign_in(page, "/account/login/", "company-midaus")
    page.goto("/partners/suggestions/")
    expect(page.locator("main")).to_contain_text(
        "Вы ищете «Грузопоршневые манометры» — АльфаПаскаль (Челябинская область) производит: Грузопоршневые манометры."
    )
    at_both_widths(page, "suggestions")

    # It asks two host companies for meetings.
    request_meeting(page, ALFAPASCAL, "Поставка грузопоршневых манометров")
    request_meeting(page, CHKPZ, "Поковки для корпусов")
    expect(page.locator("#outgoing + ul .request-card")).to_have_count(2)
    watch.check("two requests sent")

    # AlfaPascal accepts from its personal area; the forge plant does not answer.
    sign_in(page, "/account/login/", "company-alfapascal")
    page.goto("/account/meeting-requests/")
    incoming = page.locator("#incoming + ul .request-card")
    with page.expect_navigation():
        incoming.get_by_role("button", name="Принять").click()
    expect(page.locator(".messages")).to_contain_text("Вы приняли встречу с организацией Мидаус")
    assert sorted(MeetingRequest.objects.values_list("invitee__slug", "status")) == [
        ("alfapascal", "accepted"),
        ("chkpz", "pending"),
    ]
    watch.check("one request accepted")

    # Staff of the organizing ministry build and publish the demo session's plan.
    sign_in(page, "/admin/login/", "staff-ulyanovsk")
    page.goto(f"/admin/partners/b2bsession/{planned_mission.pk}/plan/")
    with page.expect_navigation():
        page.get_by_role("button", name="Построить план").click()
    expect(page.locator(".messagelist")).to_contain_text("План построен")
    expect(page.locator(".schedule-meeting")).to_have_count(1)
    expect(page.locator(".schedule-meeting")).to_contain_text(ALFAPASCAL)
    with page.expect_navigation():
        page.get_by_role("button", name="Опубликовать").click()
    expect(page.locator(".messagelist")).to_contain_text("Новых встреч: 1")
    at_both_widths(page, "plan")
    watch.check("plan published")

    meeting = Meeting.objects.get(mission__slug=MISSION)
    assert (meeting.status, meeting.table, meeting.topic) == ("scheduled", "1", "Поставка грузопоршневых манометров")
    assert {meeting.organization_a.slug, meeting.organization_b.slug} == {"midaus", "alfapascal"}
    request = MeetingRequest.objects.get(invitee__slug="alfapascal")
    assert (request.status, request.meeting_id) == ("scheduled", meeting.pk)
    letters = Reminder.objects.filter(kind=Reminder.Kind.MEETING_SCHEDULED)
    assert sorted(letters.values_list("recipient_user__username", flat=True)) == [
        "company-alfapascal",
        "company-midaus",
    ]
    zone = meeting.venue_zone
    when = meeting.starts_at.astimezone(zone).strftime("%Y%m%dT%H%M%S")

    # Both companies of the accepted meeting find it on their agenda, in the .ics and in their feed.
    for username, partner in (("company-midaus", ALFAPASCAL), ("company-alfapascal", "Мидаус")):
        sign_in(page, "/account/login/", username)
        page.goto(f"/missions/{MISSION}/")
        with page.expect_navigation():
            page.locator("section.b2b-panel").get_by_role("link", name="Ваше B2B-расписание").click()
        rows = page.locator(".agenda-row")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(partner)
        expect(rows).to_contain_text("Поставка грузопоршневых манометров")
        expect(page.locator("main")).not_to_contain_text(CHKPZ)
        at_both_widths(page, f"agenda-{username}")

        ics = page.get_by_role("link", name="Скачать расписание для календаря (.ics)").get_attribute("href")
        (event,) = vevents(page, ics)
        assert f"DTSTART;TZID={zone.key}:{when}" in event and partner in event
        pdf = page.request.get(page.get_by_role("link", name="План столов (PDF)").get_attribute("href"))
        assert (pdf.status, pdf.headers["content-type"]) == (200, "application/pdf")

        page.goto("/account/meetings/")
        feed = page.locator("#feed-url").input_value()
        events = [e for e in vevents(page, feed) if "Поставка грузопоршневых манометров" in e]
        assert len(events) == 1 and f"DTSTART;TZID={zone.key}:{when}" in events[0]
        watch.check(f"agenda of {username}")
