"""Ministry staff build a B2B session's plan, move a meeting by dragging it, publish; the company then
finds its agenda in its personal area (screenshots at 1366 and 390 px in var/screenshots/)."""

import datetime

import pytest

from missions.models import Meeting, ProgramItem
from partners.models import B2BSession, MeetingRequest, PlannedMeeting, SessionTable
from tests.factories import (
    MinistryFactory,
    MinistryStaffFactory,
    MissionFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramItemFactory,
    UserFactory,
)

from .test_browser import screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"
SESSION = "Биржа деловых контактов (тест)"


@pytest.fixture
def session(transactional_db, django_db_serialized_rollback):
    ministry = MinistryFactory(name="Министерство промышленности Ульяновской области (тест)")
    MinistryStaffFactory(username="staff-b2b", password=PASSWORD, organization=ministry)
    mission = MissionFactory(organizer=ministry, title="Бизнес-миссия Ульяновской области в Челябинскую (тест)")
    item = ProgramItemFactory(
        mission=mission, kind=ProgramItem.Kind.B2B, title=SESSION, date=datetime.date(2026, 5, 20)
    )
    b2b = B2BSession.objects.create(
        program_item=item, starts=datetime.time(10), ends=datetime.time(11), slot_minutes=20
    )
    for number in (1, 2, 3):
        SessionTable.objects.create(session=b2b, number=number, seats=4)
    alfa = OrganizationFactory(name="ООО «Ульяновский литейный завод-тест»")
    others = [OrganizationFactory(name=f"ООО «Челябинский партнёр {n}-тест»") for n in (1, 2, 3)]
    for other in others:
        MeetingRequest.objects.create(
            mission=mission, requester=alfa, invitee=other, topic="Поставки литых заготовок", status="accepted"
        )
    PersonFactory(organization=alfa, user=UserFactory(username="rep-alfa", password=PASSWORD))
    return b2b


def sign_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main [type=submit], #content-main [type=submit]").first.click()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_build_drag_and_publish_then_the_company_sees_its_agenda(page, watch, session, browser, live_server):
    sign_in(page, "/admin/login/", "staff-b2b")
    page.goto(f"/admin/partners/b2bsession/{session.pk}/plan/")
    with page.expect_navigation():
        page.get_by_role("button", name="Построить план").click()
    assert "План построен: поставлены 3 встречи, не поставлено: 0." in page.locator(".messagelist").inner_text()
    assert page.locator(".schedule-meeting").count() == 3

    # Drag one meeting to an empty cell: the script posts the move form, the server moves it.
    moved = PlannedMeeting.objects.order_by("slot").first()
    table_3 = SessionTable.objects.get(session=session, number=3)
    source = page.locator(f'.schedule-meeting[data-planned="{moved.pk}"]')
    # Another slot would clash (the company meets someone else there): the same slot, at table 3.
    target = page.locator(f'.schedule-cell[data-slot="{moved.slot}"][data-table="{table_3.pk}"]')
    with page.expect_navigation():
        source.drag_to(target)
    assert "Встреча перенесена." in page.locator(".messagelist").inner_text()
    moved.refresh_from_db()
    assert moved.table_id == table_3.pk
    screenshot(page, "schedule-plan-1366")

    with page.expect_navigation():
        page.get_by_role("button", name="Опубликовать").click()
    assert "Новых встреч: 3" in page.locator(".messagelist").inner_text()
    assert sorted(Meeting.objects.values_list("table", flat=True)) == ["1", "1", "3"]
    assert set(MeetingRequest.objects.values_list("status", flat=True)) == {"scheduled"}
    watch.check("staff plan")

    for width in (1366, 390):
        context = browser.new_context(
            base_url=live_server.url, locale="ru-RU", viewport={"width": width, "height": 900}
        )
        company = context.new_page()
        watch.attach(company)
        sign_in(company, "/account/login/", "rep-alfa")
        company.goto("/account/")
        with company.expect_navigation():
            company.get_by_role("link", name="B2B-расписание").click()
        assert company.locator(".agenda-row").count() == 3
        text = company.locator("main").inner_text()
        assert SESSION in text and "ООО «Челябинский партнёр 2-тест»" in text
        assert no_sideways_scroll(company), width
        screenshot(company, f"schedule-agenda-{width}")
        company.goto(session.program_item.mission.get_absolute_url())
        assert company.locator(".b2b-schedule-row").count() == 3
        assert no_sideways_scroll(company), width
        screenshot(company, f"schedule-mission-{width}")
        context.close()
    watch.check("company agenda")
