"""A company contact follows the one-click link of a reminder and records progress in a real browser."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from agreements.followup.delivery import reminders_send_due
from agreements.models import CooperationProject, Reminder
from companies.models import Person
from config.portal.demo.loader import demo_logins_ensure

from .test_browser import accessibility_violations, expect, screenshot

pytestmark = pytest.mark.e2e

SENSORS = "midaus-alfapascal-pressure-sensors"
LINK = re.compile(r"https?://\S+/follow-up/\S+/")


@pytest.fixture
def letter_to_midaus(transactional_db, django_db_serialized_rollback, live_server, settings):
    """The demo data 200 days after the return mission; the letter the Midaus login got about the sensors."""
    settings.PORTAL_BASE_URL = live_server.url
    call_command("load_demo", no_login=True, stdout=io.StringIO(), stderr=io.StringIO())
    demo_logins_ensure(password="browser-test-password")
    mail.outbox.clear()
    reminders_send_due(today=datetime.date(2024, 8, 21))
    reminder = Reminder.objects.get(
        project__slug=SENSORS, kind=Reminder.Kind.PROJECT_STALE, recipient_user__username="company-midaus"
    )
    (letter,) = [m for m in mail.outbox if m.extra_headers["Message-ID"].startswith(f"<reminder.{reminder.pk}.")]
    return letter


def test_contact_records_progress_through_the_link_once(page, watch, letter_to_midaus):
    link = LINK.search(letter_to_midaus.body).group(0)
    assert link in letter_to_midaus.alternatives[0][0]  # the HTML part carries the same link

    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Поставка эталонных сенсоров давления для «АльфаПаскаль»")
    watch.check("follow-up page")
    problems = accessibility_violations(page, "follow-up page")
    assert not problems, "\n".join(problems)

    page.get_by_label("Стадия").select_option("completed")
    page.get_by_label("Примечание").fill("Поставка завершена, акт подписан.")
    with page.expect_navigation():
        page.get_by_role("button", name="Записать").click()
    expect(page.get_by_role("status")).to_contain_text("Спасибо")
    screenshot(page, "followup-done")
    watch.check("follow-up recorded")

    project = CooperationProject.objects.get(slug=SENSORS)
    assert project.stage == CooperationProject.Stage.COMPLETED
    update = project.updates.first()  # the latest
    assert (update.stage_to, update.text) == ("completed", "Поставка завершена, акт подписан.")
    assert update.reported_by == Person.objects.get(user__username="company-midaus")

    # The link is spent: opening it again says so and offers to sign in instead.
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("уже использована")
    assert [p for p in watch.problems if "410" not in p] == []
    watch.problems.clear()
