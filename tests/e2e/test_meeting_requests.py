"""Company A requests a meeting from the planned demo mission's page; company B accepts it in its
personal area; both then see each other's contacts. Screenshots at 1,366 and 390 px."""

import io

import pytest
from django.core.management import call_command

from agreements.followup.delivery import reminders_send_due
from agreements.models import Reminder
from config.portal.demo import data
from config.portal.demo.loader import demo_logins_ensure
from partners.models import MeetingRequest

from .test_browser import accessibility_violations, expect, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "browser-test-password"  # noqa: S105 - a test login's password
MISSION = data.PLANNED_MISSION["slug"]


@pytest.fixture
def planned_mission(transactional_db, django_db_serialized_rollback, live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    call_command("load_demo", no_login=True, stdout=io.StringIO(), stderr=io.StringIO())
    demo_logins_ensure(password=PASSWORD)


def sign_in(page, username):
    page.goto("/account/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_company_requests_a_meeting_and_the_other_accepts(page, watch, planned_mission):
    # Midaus (the delegation) opens the planned mission and requests a meeting with AlfaPascal.
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, "company-midaus")
    page.goto(f"/missions/{MISSION}/")
    panel = page.locator("section.b2b-panel")
    expect(panel).to_contain_text("Ваша организация включена в делегацию.")
    panel.get_by_role("link", name="Запросить встречу").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Запросить встречу")
    page.get_by_label("С кем встретиться").select_option(label="АльфаПаскаль — Челябинская область")
    page.get_by_label("Тема").fill("Поставка грузопоршневых манометров")
    page.get_by_label("Сообщение").fill("Ищем поставщика эталонов давления для калибровки.")
    screenshot(page, "meeting-request-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Отправить запрос").click()
    expect(page.locator(".messages")).to_contain_text("Запрос отправлен организации АльфаПаскаль")
    outgoing = page.locator("#outgoing + ul .request-card")
    expect(outgoing).to_have_count(1)
    expect(outgoing).to_contain_text("Ожидает ответа")
    watch.check("the request sent")

    # AlfaPascal's letter names the requester but no contacts; AlfaPascal accepts in its personal area.
    reminders_send_due()
    letter = Reminder.objects.get(kind=Reminder.Kind.MEETING_NEW)
    assert (letter.state, letter.recipient_user.username) == ("sent", "company-alfapascal")
    page.context.clear_cookies()
    sign_in(page, "company-alfapascal")
    page.goto("/account/meeting-requests/")
    incoming = page.locator("#incoming + ul .request-card")
    expect(incoming).to_contain_text("Мидаус")
    expect(incoming).to_contain_text("Поставка грузопоршневых манометров")
    expect(incoming).not_to_contain_text("company-midaus@")
    problems = accessibility_violations(page, "meeting requests")
    assert not problems, "\n".join(problems)
    screenshot(page, "meeting-requests-incoming")
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(page)
    screenshot(page, "meeting-requests-incoming-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    with page.expect_navigation():
        incoming.get_by_role("button", name="Принять").click()
    expect(page.locator(".messages")).to_contain_text("Вы приняли встречу с организацией Мидаус")
    expect(incoming).to_contain_text("Принят")
    expect(incoming.locator(".request-contacts")).to_contain_text("company-midaus@missions-portal.example")
    screenshot(page, "meeting-requests-accepted")
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(page)
    screenshot(page, "meeting-requests-accepted-phone")
    watch.check("the request accepted")

    request = MeetingRequest.objects.get()
    assert (request.requester.slug, request.invitee.slug, request.status) == ("midaus", "alfapascal", "accepted")
    assert request.decided_by.username == "company-alfapascal"
