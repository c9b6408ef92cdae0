"""A large export's page asks for news by itself and offers the workbook once the task has written it
(static/js/export_job.js: no inline script, so it runs under a strict CSP)."""

import pytest
from django.test import Client
from django.urls import reverse

from companies.export_jobs import export_job_run
from companies.models import ExportJob
from tests import factories as f

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff(transactional_db, django_db_serialized_rollback):
    return f.MinistryStaffFactory(username="staff-export")


def _tab(browser, live_server, user, watch):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    watch.attach(page)
    return context, page


def test_the_export_page_offers_the_workbook_when_the_task_has_written_it(
    browser, live_server, watch, staff, settings, tmp_path
):
    settings.EXPORT_DIR = tmp_path
    f.MissionFactory(title="Бизнес-миссия в Казахстан")
    job = ExportJob.objects.create(user=staff, app_label="missions", model_name="mission")
    context, page = _tab(browser, live_server, staff, watch)
    try:
        page.goto(reverse("exports:job", args=[job.pk]))
        assert page.locator("[data-export-label]").inner_text() == "ожидает"
        assert not page.get_by_role("link", name="Скачать книгу Excel").is_visible()

        export_job_run(job.pk)  # what the worker does

        link = page.get_by_role("link", name="Скачать книгу Excel")
        link.wait_for(state="visible")
        assert page.locator("[data-export-label]").inner_text() == "готово"
        assert link.get_attribute("href") == reverse("exports:job-download", args=[job.pk])
        download = page.request.get(link.get_attribute("href"))
        assert download.status == 200
        assert download.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        watch.check("the export page")
    finally:
        context.close()
