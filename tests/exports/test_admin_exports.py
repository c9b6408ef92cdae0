"""Exports of the admin's changelists (companies.admin_exports): the list the user sees, after its
filters and search, every page of it, with its columns; large workbooks through a task."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import ExportJob
from missions.models import Mission
from tests import factories as f

MISSION_HEADERS = [
    "Название",
    "Статус",
    "Дата начала",
    "Дата окончания",
    "Регион отправления",
    "Регионы назначения",
    "Организатор",
    "Опубликовано",
]


@pytest.fixture
def ministry(db):
    return f.MinistryFactory(name="Министерство промышленности Ульяновской области", slug="minprom-73")


@pytest.fixture
def staff(ministry):
    return f.MinistryStaffFactory(username="staff-73", organization=ministry)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def _xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_changelist_xlsx_has_the_list_columns_and_typed_cells(staff_client, ministry):
    f.MissionFactory(
        title="Бизнес-миссия в Казахстан",
        organizer=ministry,
        status=Mission.Status.PLANNED,
        start_date=datetime.date(2026, 4, 14),
        end_date=datetime.date(2026, 4, 16),
        is_public=False,
        destination_regions=[f.directory_region("74")],
    )

    response = staff_client.get(reverse("admin:missions_mission_export_xlsx"))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="mission-')
    assert _xlsx_rows(response) == [
        MISSION_HEADERS,
        [
            "Бизнес-миссия в Казахстан",
            "запланирована",
            datetime.datetime(2026, 4, 14),
            datetime.datetime(2026, 4, 16),
            "Ульяновская область",
            "Челябинская область",
            "Министерство промышленности Ульяновской области",
            "нет",
        ],
    ]


def test_changelist_csv_streams_the_filtered_and_searched_rows_of_every_page(staff_client, ministry, settings):
    for n in range(3):
        f.MissionFactory(title=f"Миссия в Минск {n}", organizer=ministry, status=Mission.Status.PLANNED)
    f.MissionFactory(title="Миссия в Минск, отменена", organizer=ministry, status=Mission.Status.CANCELLED)
    f.MissionFactory(title="Миссия в Ташкент", organizer=ministry, status=Mission.Status.PLANNED)

    response = staff_client.get(
        reverse("admin:missions_mission_export_csv"), {"q": "Минск", "status__exact": "planned", "p": "2"}
    )

    assert response.streaming
    rows = _csv_rows(response)
    assert rows[0] == MISSION_HEADERS
    assert sorted(row[0] for row in rows[1:]) == ["Миссия в Минск 0", "Миссия в Минск 1", "Миссия в Минск 2"]


def test_changelist_link_carries_the_filters(staff_client, ministry):
    f.MissionFactory(organizer=ministry)

    page = staff_client.get(reverse("admin:missions_mission_changelist"), {"status__exact": "planned", "q": "Минск"})

    html = page.content.decode()
    assert (
        'href="/admin/missions/mission/export/xlsx/?q=%D0%9C%D0%B8%D0%BD%D1%81%D0%BA&amp;status__exact=planned"' in html
    )
    assert (
        'href="/admin/missions/mission/export/csv/?q=%D0%9C%D0%B8%D0%BD%D1%81%D0%BA&amp;status__exact=planned"' in html
    )
    assert "Выгрузить в Excel" in html


def test_an_unreadable_filter_exports_nothing_and_says_so(staff_client, ministry):
    f.MissionFactory(organizer=ministry)

    response = staff_client.get(
        reverse("admin:missions_mission_export_csv"), {"no_such_field__exact": "1"}, follow=True
    )

    assert response.redirect_chain == [(reverse("admin:missions_mission_changelist"), 302)]
    assert "Не удалось применить фильтры списка: ничего не выгружено." in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "company"])
def test_only_staff_export_a_changelist(client, ministry, role):
    f.MissionFactory(title="Скрытая миссия", organizer=ministry, is_public=False)
    if role == "company":
        user = f.UserFactory(username="rep")
        f.PersonFactory(user=user)
        client.force_login(user)

    response = client.get(reverse("admin:missions_mission_export_csv"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_without_the_model_permission_get_403(client, ministry):
    user = f.UserFactory(username="bare-staff", is_staff=True)  # staff flag, no group, no permission
    client.force_login(user)

    response = client.get(reverse("admin:missions_mission_export_csv"))

    assert response.status_code == 403


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_changelist_export_query_count_does_not_grow_with_rows(staff_client, ministry, export_format):
    def queries(count: int) -> int:
        while Mission.objects.count() < count:
            f.MissionFactory(
                organizer=ministry, destination_regions=[f.directory_region("74"), f.directory_region("63")]
            )
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(reverse(f"admin:missions_mission_export_{export_format}"))
            rows = _csv_rows(response) if export_format == "csv" else _xlsx_rows(response)
        assert len(rows) == count + 1
        return len(captured)

    assert queries(2) == queries(20)


def test_a_large_xlsx_is_written_by_a_task_and_offered_on_its_page(
    staff_client, staff, ministry, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIR = tmp_path
    settings.EXPORT_INLINE_MAX_ROWS = 2
    for n in range(3):
        f.MissionFactory(title=f"Миссия {n}", organizer=ministry)

    with django_capture_on_commit_callbacks(execute=True):  # the task is sent once the job is saved
        response = staff_client.get(reverse("admin:missions_mission_export_xlsx"), {"q": "Миссия"})

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("exports:job", args=[job.pk])
    assert (job.user, job.state, job.row_count, job.language, job.query) == (
        staff,
        "done",
        3,
        "ru",
        "q=%D0%9C%D0%B8%D1%81%D1%81%D0%B8%D1%8F",
    )
    assert [p.name for p in tmp_path.iterdir()] == [job.file_name]

    page = staff_client.get(response.url)
    download_url = reverse("exports:job-download", args=[job.pk])
    assert f'href="{download_url}"' in page.content.decode()
    assert 'src="/static/js/export_job.js"' in page.content.decode()
    status = staff_client.get(reverse("exports:job-status", args=[job.pk])).json()
    assert status == {"state": "done", "label": "готово", "rows": 3, "download_url": download_url}

    download = staff_client.get(download_url)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert rows[0] == MISSION_HEADERS
    assert sorted(row[0] for row in rows[1:]) == ["Миссия 0", "Миссия 1", "Миссия 2"]


def test_another_users_export_is_not_found(client, staff, ministry, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path
    job = ExportJob.objects.create(user=staff, app_label="missions", model_name="mission")
    other = f.MinistryStaffFactory(username="staff-74")
    client.force_login(other)

    answers = [
        client.get(reverse(name, args=[job.pk])).status_code
        for name in ("exports:job", "exports:job-status", "exports:job-download")
    ]

    assert answers == [404, 404, 404]


def test_an_export_not_yet_written_says_it_is_waiting(staff_client, staff, settings, tmp_path):
    settings.EXPORT_DIR = tmp_path
    job = ExportJob.objects.create(user=staff, app_label="missions", model_name="mission")

    page = staff_client.get(reverse("exports:job", args=[job.pk]))
    download = staff_client.get(reverse("exports:job-download", args=[job.pk]))

    assert "ожидает" in page.content.decode()
    assert staff_client.get(reverse("exports:job-status", args=[job.pk])).json()["download_url"] == ""
    assert download.status_code == 404


def test_a_job_runs_once_in_the_language_it_was_asked_in(staff, ministry, settings, tmp_path):
    from companies.export_jobs import export_job_run

    settings.EXPORT_DIR = tmp_path
    f.MissionFactory(title="Миссия в Алматы", organizer=ministry, is_public=False)
    job = ExportJob.objects.create(user=staff, app_label="missions", model_name="mission", language="en")

    first, second = export_job_run(job.pk), export_job_run(job.pk)

    assert (first.state, first.row_count, second) == ("done", 1, None)
    sheet = openpyxl.load_workbook(tmp_path / first.file_name).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Title", "Status", "Start date"]
    assert (rows[1][0], rows[1][7]) == ("Миссия в Алматы", "no")


def test_jobs_older_than_a_day_go_with_their_files(staff, settings, tmp_path):
    from companies.export_jobs import export_jobs_expire

    settings.EXPORT_DIR = tmp_path
    old = ExportJob.objects.create(user=staff, app_label="missions", model_name="mission", file_name="old.xlsx")
    new = ExportJob.objects.create(user=staff, app_label="missions", model_name="mission", file_name="new.xlsx")
    ExportJob.objects.filter(pk=old.pk).update(created_at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC))
    ExportJob.objects.filter(pk=new.pk).update(created_at=datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC))
    (tmp_path / "old.xlsx").write_bytes(b"old")
    (tmp_path / "new.xlsx").write_bytes(b"new")

    removed = export_jobs_expire(now=datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC))

    assert removed == 1
    assert list(ExportJob.objects.values_list("file_name", flat=True)) == ["new.xlsx"]
    assert [p.name for p in tmp_path.iterdir()] == ["new.xlsx"]


def _agreement_with_parties(ministry):
    agreement = f.AgreementPartyFactory(organization=ministry).agreement
    f.AgreementPartyFactory(agreement=agreement, organization=f.OrganizationFactory(is_public=False))


def _project_with_parties(ministry):
    project = f.CooperationProjectFactory()
    f.ProjectPartyFactory(project=project, organization=ministry)
    f.ProjectPartyFactory(project=project)
    f.ProjectUpdateFactory(project=project)


@pytest.mark.parametrize(
    ("url_name", "model", "make"),
    [
        ("admin:agreements_agreement_export_csv", "agreements.Agreement", _agreement_with_parties),
        ("admin:agreements_cooperationproject_export_csv", "agreements.CooperationProject", _project_with_parties),
        ("admin:companies_organization_export_csv", "companies.Organization", lambda ministry: f.OrganizationFactory()),
        ("admin:companies_person_export_csv", "companies.Person", lambda ministry: f.PersonFactory()),
        ("admin:agreements_planitem_export_csv", "agreements.PlanItem", lambda ministry: f.PlanItemFactory()),
        ("admin:missions_meeting_export_csv", "missions.Meeting", lambda ministry: f.MeetingFactory()),
    ],
)
def test_other_changelist_exports_keep_their_query_count(staff_client, ministry, url_name, model, make):
    from django.apps import apps

    rows_model = apps.get_model(model)

    def queries(count: int) -> int:
        while rows_model.objects.count() < count:
            make(ministry)
        with CaptureQueriesContext(connection) as captured:
            rows = _csv_rows(staff_client.get(reverse(url_name)))
        assert len(rows) == rows_model.objects.count() + 1
        return len(captured)

    assert queries(2) == queries(20)
