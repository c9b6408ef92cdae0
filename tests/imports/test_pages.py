"""The import pages: who gets them, the buttons, a large file run as a Celery task with its status,
and the round trip of a delegation and a schedule into a new mission."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from companies.models import ImportJob, Organization
from missions.imports import delegation_import, schedule_import
from missions.models import DelegationMember, Meeting
from tests import factories as f

from .files import DELEGATION_HEADERS, csv_bytes, delegation_rows
from .helpers import check_and_import


def _upload_url(mission, kind="delegation"):
    return reverse("admin:missions_mission_import", kwargs={"object_id": mission.pk, "kind": kind})


def test_the_mission_page_offers_both_imports_to_its_keeper_only(client, staff_client, mission):
    page = staff_client.get(reverse("admin:missions_mission_change", args=[mission.pk])).content.decode()
    assert f'href="{_upload_url(mission)}"' in page
    assert f'href="{_upload_url(mission, "schedule")}"' in page
    assert "Импорт из Excel: Список делегации" in page

    outsider = f.MinistryStaffFactory(organization=f.MinistryFactory(region=f.directory_region("74")))
    client.force_login(outsider)
    page = client.get(reverse("admin:missions_mission_change", args=[mission.pk])).content.decode()
    assert _upload_url(mission) not in page


def test_staff_of_another_ministry_are_refused_with_a_message_and_nothing_is_written(client, mission):
    outsider = f.MinistryStaffFactory(organization=f.MinistryFactory(region=f.directory_region("74")))
    client.force_login(outsider)
    response = client.get(_upload_url(mission))
    assert response.status_code == 403
    assert "Ваша организация не ведёт «Бизнес-миссия в Тульскую область»" in response.content.decode()
    data = csv_bytes(DELEGATION_HEADERS, delegation_rows(broken=False))
    response = client.post(_upload_url(mission), {"file": SimpleUploadedFile("d.csv", data)})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0
    assert DelegationMember.objects.count() == 0
    assert not Organization.objects.filter(inn="7325000006").exists()


@pytest.mark.parametrize("who", ["anonymous", "company", "official"])
def test_a_company_an_official_or_a_visitor_gets_no_import_page(client, mission, who):
    from django.contrib.auth.models import Group

    from companies.roles import OFFICIALS_GROUP

    if who == "company":
        user = f.UserFactory()
        f.PersonFactory(user=user, organization=f.OrganizationFactory())
        client.force_login(user)
    elif who == "official":
        user = f.UserFactory()
        user.groups.add(Group.objects.get(name=OFFICIALS_GROUP))
        client.force_login(user)
    data = csv_bytes(DELEGATION_HEADERS, delegation_rows(broken=False))
    for url in (
        _upload_url(mission),
        reverse("admin:companies_organization_import", kwargs={"kind": "organizations"}),
        reverse("admin:missions_mission_import_template", kwargs={"kind": "delegation"}),
    ):
        response = client.post(url, {"file": SimpleUploadedFile("d.csv", data)})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert ImportJob.objects.count() == 0
    assert DelegationMember.objects.count() == 0


def test_another_users_job_is_not_found(client, staff_client, staff, mission):
    data = csv_bytes(DELEGATION_HEADERS, delegation_rows(broken=False))
    staff_client.post(_upload_url(mission), {"file": SimpleUploadedFile("d.csv", data)})
    job = ImportJob.objects.get()
    colleague = f.MinistryStaffFactory(organization=staff.person.organization)
    client.force_login(colleague)
    for name in ("admin:missions_mission_import_job", "admin:missions_mission_import_status"):
        assert client.get(reverse(name, kwargs={"job_id": job.pk})).status_code == 404
    assert client.post(reverse("admin:missions_mission_import_job", kwargs={"job_id": job.pk})).status_code == 404
    assert DelegationMember.objects.count() == 0


def test_a_large_file_runs_as_a_celery_task_and_the_status_says_how_far(
    staff_client, mission, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_INLINE_MAX_ROWS = 10
    data = csv_bytes(DELEGATION_HEADERS, delegation_rows(broken=False))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(_upload_url(mission), {"file": SimpleUploadedFile("d.csv", data)})
    job = ImportJob.objects.get()
    status_url = reverse("admin:missions_mission_import_status", kwargs={"job_id": job.pk})
    assert (job.status, len(callbacks)) == ("checking", 1)
    page = staff_client.get(response["Location"]).content.decode()
    assert f'<progress id="import-progress" max="40" value="0" data-status-url="{status_url}">' in page
    assert "js/import.js" in page
    assert staff_client.get(status_url).json() == {"status": "checking", "running": True, "processed": 0, "total": 40}

    callbacks[0]()  # the commit: the task runs (eagerly in the embedded default)
    assert staff_client.get(status_url).json() == {"status": "checked", "running": False, "processed": 40, "total": 40}
    assert DelegationMember.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(response["Location"])
    assert staff_client.get(status_url).json() == {"status": "done", "running": False, "processed": 40, "total": 40}
    assert DelegationMember.objects.filter(mission=mission).count() == 40


def test_a_confirmed_job_confirmed_again_changes_nothing(staff_client, mission):
    data = csv_bytes(DELEGATION_HEADERS, delegation_rows(broken=False))
    job_url = staff_client.post(_upload_url(mission), {"file": SimpleUploadedFile("d.csv", data)})["Location"]
    staff_client.post(job_url)
    assert DelegationMember.objects.count() == 40
    response = staff_client.post(job_url, follow=True)
    assert "Сначала проверьте файл" in response.content.decode()
    assert DelegationMember.objects.count() == 40


def test_a_delegation_and_a_schedule_exported_and_imported_into_a_new_mission_match(staff, staff_client, mission):
    zoned = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=mission.venue_zone)
    home = f.OrganizationFactory(region=mission.origin_region, name="ООО «Автокомпонент»", inn="7325000006")
    partner = f.OrganizationFactory(region=f.directory_region("71"), name="АО «Тулаточмаш»", inn="")
    lead = f.PersonFactory(
        organization=home, last_name="Иванов", first_name="Иван", patronymic="Ильич", position="Директор"
    )
    DelegationMember.objects.create(mission=mission, organization=home, person=lead, role="head")
    DelegationMember.objects.create(mission=mission, organization=partner, role="expert")
    meeting = Meeting.objects.create(
        mission=mission, organization_a=home, organization_b=partner, date=zoned.date(),
        starts_at=zoned, ends_at=zoned + datetime.timedelta(minutes=45), table="7", topic="Датчики", status="scheduled",
    )  # fmt: skip
    meeting.people.set([lead])
    new = f.MissionFactory(
        title="Ответный визит", origin_region=mission.origin_region, organizer=mission.organizer, status="planned",
        destination_regions=[f.directory_region("71")],
    )  # fmt: skip

    def delegation(m):
        return sorted(m.delegation.values_list("organization_id", "person_id", "role"))

    def schedule(m):
        return sorted(
            m.meetings.values_list("organization_a", "organization_b", "starts_at", "ends_at", "table", "topic")
        )

    # downloaded from the old mission's import pages, as staff would
    exported = {}
    for importer in (delegation_import, schedule_import):
        rows_url = reverse(
            "admin:missions_mission_import_rows", kwargs={"object_id": mission.pk, "kind": importer.kind}
        )
        assert f'href="{rows_url}"' in staff_client.get(_upload_url(mission, importer.kind)).content.decode()
        response = staff_client.get(rows_url)
        assert response["Content-Disposition"] == f'attachment; filename="{importer.kind}-{mission.pk}.xlsx"'
        exported[importer] = response.content
    before = delegation(mission), schedule(mission)
    # The trip is re-planned as a new mission: the old one's meetings free their slots (no double booking).
    mission.meetings.update(status="cancelled")
    for importer, workbook in exported.items():
        assert load_workbook(io.BytesIO(workbook)).sheetnames[1] == "Пояснения"
        preview, done = check_and_import(importer, workbook, "export.xlsx", by=staff, target=new)
        assert preview[3] == []
        assert (done.status, done.errors) == ("done", [])

    assert delegation(new) == before[0] == sorted([(home.pk, lead.pk, "head"), (partner.pk, None, "expert")])
    assert (
        schedule(new)
        == before[1]
        == [(home.pk, partner.pk, zoned, zoned + datetime.timedelta(minutes=45), "7", "Датчики")]
    )
    assert [p.pk for p in new.meetings.get().people.all()] == [lead.pk]
    assert Organization.objects.filter(name="АО «Тулаточмаш»").count() == 1


# The session, the user, the job and its mission: the same whatever the number of rows.
QUERIES_OF_THE_JOB_PAGE = 8


@pytest.mark.parametrize("rows", [2, 40])
def test_the_preview_page_runs_the_same_queries_for_2_and_40_rows(
    staff_client, staff, mission, rows, django_assert_num_queries
):
    job = ImportJob.objects.create(
        kind="delegation", target_id=mission.pk, created_by=staff, filename="d.xlsx", status="checked", total=rows,
        created=rows // 2,
        results=[{"line": n + 2, "action": "created", "text": f"Фамилия{n}"} for n in range(rows // 2)],
        errors=[{"line": n + 2, "column": "ИНН", "message": "Неверная контрольная цифра"} for n in range(rows // 2)],
    )  # fmt: skip
    url = reverse("admin:missions_mission_import_job", kwargs={"job_id": job.pk})
    staff_client.get(url)  # the session and the user's permissions, cached after the first request
    with django_assert_num_queries(QUERIES_OF_THE_JOB_PAGE):
        response = staff_client.get(url)
    assert response.content.decode().count("Неверная контрольная цифра") == rows // 2


def test_the_changelists_and_the_agreement_page_offer_their_imports(staff_client, ministry):
    agreement = f.AgreementPartyFactory(organization=ministry).agreement
    pages = {
        reverse("admin:companies_organization_changelist"): reverse(
            "admin:companies_organization_import", kwargs={"kind": "organizations"}
        ),
        reverse("admin:agreements_cooperationproject_changelist"): reverse(
            "admin:agreements_cooperationproject_import", kwargs={"kind": "projects"}
        ),
        reverse("admin:agreements_agreement_change", args=[agreement.pk]): reverse(
            "admin:agreements_agreement_import", kwargs={"object_id": agreement.pk, "kind": "plan"}
        ),
    }
    for page, link in pages.items():
        html = staff_client.get(page).content.decode()
        assert f'href="{link}" class="import-link"' in html, page
    upload = staff_client.get(pages[reverse("admin:companies_organization_changelist")]).content.decode()
    assert 'href="/admin/companies/organization/import/organizations/template/"' in upload
    assert "Скачать шаблон (.xlsx)" in upload
