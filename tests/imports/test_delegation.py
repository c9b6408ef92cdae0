"""The issue's scenario: a 40-row delegation list, as cp1251 CSV with ";" and as XLSX, two rows bad."""

import re

import pytest
from django.urls import reverse

from companies.models import ImportJob, Organization, Person
from missions.models import DelegationMember

from .files import DELEGATION_HEADERS, csv_bytes, delegation_rows, xlsx_bytes


def upload(client, mission, data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:missions_mission_import", kwargs={"object_id": mission.pk, "kind": "delegation"})
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, follow=True)


def error_rows(response) -> list[tuple[str, str, str]]:
    html = response.content.decode()
    table = re.search(r'<table id="import-errors">.*?</table>', html, re.S)
    if table is None:
        return []
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table[0], re.S)
    return [tuple(cell.strip() for cell in row) for row in cells]


def confirm(client, response):
    return client.post(response.redirect_chain[-1][0], follow=True)


FILES = {
    "csv": lambda rows: (csv_bytes(DELEGATION_HEADERS, rows), "делегация.csv"),
    "xlsx": lambda rows: (xlsx_bytes(DELEGATION_HEADERS, rows), "делегация.xlsx"),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_delegation_list_with_two_bad_rows_previews_them_and_writes_nothing(staff_client, mission, fmt):
    organizations_before, people_before = Organization.objects.count(), Person.objects.count()
    response = upload(staff_client, mission, *FILES[fmt](delegation_rows(broken=True)))

    assert response.status_code == 200
    assert error_rows(response) == [
        ("8", "ИНН", "Неверная контрольная цифра в ИНН 7325000079."),
        ("16", "Организация", "Не указано наименование организации."),
    ]
    assert "Файл содержит 2 ошибки. Ничего не сохранено" in response.content.decode()
    assert 'id="import-confirm"' not in response.content.decode()
    assert DelegationMember.objects.count() == 0
    assert (Organization.objects.count(), Person.objects.count()) == (organizations_before, people_before)
    job = ImportJob.objects.get()
    assert (job.status, job.total, job.created, job.unchanged) == ("checked", 40, 38, 0)
    assert job.ignored_headers == ["№", "Примечание"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_fixed_delegation_list_imports_forty_members_and_again_changes_nothing(staff_client, mission, fmt):
    data, name = FILES[fmt](delegation_rows(broken=False))
    preview = upload(staff_client, mission, data, name)
    assert error_rows(preview) == []
    assert 'id="import-confirm"' in preview.content.decode()
    assert DelegationMember.objects.count() == 0

    done = confirm(staff_client, preview)

    assert "Файл импортирован: 40 строк." in done.content.decode()
    members = DelegationMember.objects.filter(mission=mission).select_related("organization", "person")
    assert members.count() == 40
    first = members.get(person__last_name="Фамилия1")
    assert (first.organization.name, first.organization.inn, first.organization.region.code) == (
        "ООО «Предприятие-1»",
        "7325000006",
        "73",
    )
    assert (first.person.first_name, first.person.patronymic, first.person.position, first.person.email) == (
        "Имя1",
        "Отчество1",
        "Генеральный директор",
        "person1@example.ru",
    )
    assert first.role == "participant"
    assert Organization.objects.filter(inn__startswith="7325").count() == 20
    snapshot = sorted(members.values_list("organization__inn", "person__last_name"))

    again = upload(staff_client, mission, data, name)
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.created, job.updated, job.unchanged, job.errors) == (0, 0, 40, [])
    confirm(staff_client, again)
    assert sorted(DelegationMember.objects.values_list("organization__inn", "person__last_name")) == snapshot
    assert Organization.objects.filter(inn__startswith="7325").count() == 20
    assert Person.objects.filter(last_name__startswith="Фамилия").count() == 40
