"""A ministry's staff member imports a 40-row delegation list through the admin: the preview flags
the two bad rows, the fixed file imports in one go; a large file shows a progress bar that follows
the job's status and turns into the preview when the check is done."""

import pytest

from companies.imports.services import import_job_run
from companies.models import ImportJob
from missions.models import DelegationMember
from tests.factories import MinistryFactory, MinistryStaffFactory, MissionFactory, directory_region
from tests.imports.files import DELEGATION_HEADERS, delegation_rows, xlsx_bytes

from .test_browser import screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def mission(transactional_db, django_db_serialized_rollback):
    region = directory_region("73")
    ministry = MinistryFactory(region=region, name="Министерство промышленности Ульяновской области (тест)")
    MinistryStaffFactory(username="staff-ulyanovsk", organization=ministry)
    return MissionFactory(
        title="Бизнес-миссия в Тульскую область (тест)", origin_region=region, organizer=ministry, status="planned",
        destination_regions=[directory_region("71")],
    )  # fmt: skip


def sign_in(page):
    page.goto("/admin/login/")
    page.fill("#id_username", "staff-ulyanovsk")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("[type=submit]").click()


def upload(page, mission, data: bytes):
    page.goto(f"/admin/missions/mission/{mission.pk}/change/")
    with page.expect_navigation():
        page.get_by_role("link", name="Импорт из Excel: Список делегации").click()
    page.set_input_files("#id_file", files=[{"name": "делегация.xlsx", "mimeType": XLSX, "buffer": data}])
    with page.expect_navigation():
        page.get_by_role("button", name="Проверить файл").click()


def test_the_preview_flags_two_bad_rows_and_the_fixed_file_imports_forty_members(page, watch, mission):
    sign_in(page)
    upload(page, mission, xlsx_bytes(DELEGATION_HEADERS, delegation_rows(broken=True)))

    assert "Файл содержит 2 ошибки" in page.locator("#import-has-errors").inner_text()
    rows = page.locator("#import-errors tbody tr")
    assert [rows.nth(i).inner_text().split("\t")[:2] for i in range(rows.count())] == [
        ["8", "ИНН"],
        ["16", "Организация"],
    ]
    assert page.locator("#import-confirm").count() == 0
    assert DelegationMember.objects.count() == 0
    screenshot(page, "import-preview-with-errors")

    upload(page, mission, xlsx_bytes(DELEGATION_HEADERS, delegation_rows(broken=False)))
    assert page.locator("#import-created").inner_text() == "40"
    assert page.locator("#import-ignored").inner_text() == "Пропущенные колонки: №, Примечание"
    with page.expect_navigation():
        page.get_by_role("button", name="Импортировать").click()
    assert page.locator("#import-done").inner_text() == "Файл импортирован: 40 строк."
    assert DelegationMember.objects.filter(mission=mission).count() == 40
    watch.check("import of a delegation list")


def test_a_large_file_shows_a_progress_bar_until_the_check_is_done(page, watch, mission, settings, monkeypatch):
    settings.IMPORT_INLINE_MAX_ROWS = 10
    queued = []  # the worker: this test runs the job once the page shows its progress bar
    monkeypatch.setattr("companies.imports.admin.run_import_task.delay", lambda job_id, apply: queued.append(job_id))
    sign_in(page)
    upload(page, mission, xlsx_bytes(DELEGATION_HEADERS, delegation_rows(broken=False)))

    bar = page.locator("progress#import-progress")
    assert (bar.get_attribute("max"), bar.get_attribute("value")) == ("40", "0")
    assert page.locator("#import-running").inner_text() == "Строки проверяются…"
    screenshot(page, "import-progress")
    job = ImportJob.objects.get()
    assert (queued, job.status) == ([job.pk], "checking")

    with page.expect_navigation():  # the page polls the status and reloads when the check is done
        import_job_run(job_id=job.pk, apply=False)
    page.locator("#import-confirm").wait_for()
    assert page.locator("#import-created").inner_text() == "40"
    assert page.locator("progress").count() == 0
    assert DelegationMember.objects.count() == 0
    watch.check("progress of a large import")
