"""Exports of the public lists (?format=csv / ?format=xlsx): what the visitor may see on the page,
with its filters and search, every page of it."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import CooperationProject
from companies import roles
from companies.dates import DatePrecision
from missions.models import Mission
from tests import factories as f

ROLES = ["anonymous", "company", "official", "staff"]
SEES_HIDDEN = {"official", "staff"}


@pytest.fixture
def users(db):
    company_user = f.UserFactory(username="rep")
    f.PersonFactory(user=company_user, organization=f.OrganizationFactory(name="ООО «Представитель»"))
    official = f.UserFactory(username="official")
    official.groups.add(Group.objects.get(name=roles.OFFICIALS_GROUP))
    return {
        "anonymous": None,
        "company": company_user,
        "official": official,
        "staff": f.MinistryStaffFactory(
            username="staff-74", organization=f.MinistryFactory(region=f.directory_region("74"))
        ),
    }


def _client(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


def _csv(response) -> list[list[str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def _xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _cells(rows) -> set:
    return {str(cell) for row in rows for cell in row if cell is not None}


@pytest.mark.parametrize("role", ROLES)
def test_missions_export_never_contains_a_hidden_mission_or_organizer(client, users, role):
    hidden_organizer = f.MinistryFactory(name="Скрытое министерство", is_public=False)
    f.MissionFactory(title="Открытая миссия", organizer=hidden_organizer)
    f.MissionFactory(title="Скрытая миссия", is_public=False)

    client = _client(client, users, role)
    rows = _csv(client.get(reverse("missions:list"), {"format": "csv"}))
    xlsx_rows = _xlsx(client.get(reverse("missions:list"), {"format": "xlsx"}))

    titles = sorted(row[0] for row in rows[1:])
    assert titles == (["Открытая миссия", "Скрытая миссия"] if role in SEES_HIDDEN else ["Открытая миссия"])
    assert ("Скрытое министерство" in _cells(rows)) == (role in SEES_HIDDEN)
    assert ("Скрытое министерство" in _cells(xlsx_rows)) == (role in SEES_HIDDEN)
    assert ("Скрытая миссия" in _cells(xlsx_rows)) == (role in SEES_HIDDEN)


def test_missions_export_has_russian_headers_typed_dates_and_honours_the_filters(client, db):
    f.MissionFactory(
        title="Бизнес-миссия в Минск",
        status=Mission.Status.PLANNED,
        start_date=datetime.date(2026, 5, 12),
        end_date=datetime.date(2026, 5, 14),
        organizer=f.MinistryFactory(name="Минпром Ульяновской области"),
    )
    f.MissionFactory(
        title="Миссия, известная по году",
        start_date=datetime.date(2015, 1, 1),
        end_date=None,
        dates_precision=DatePrecision.YEAR,
    )
    f.MissionFactory(title="Отменённая миссия", status=Mission.Status.CANCELLED)

    rows = _xlsx(client.get(reverse("missions:list"), {"status": "planned", "format": "xlsx", "page": "3"}))
    everything = _xlsx(client.get(reverse("missions:list"), {"format": "xlsx"}))

    assert rows == [
        [
            "Название",
            "Регион отправления",
            "Регионы назначения",
            "Дата начала",
            "Дата окончания",
            "Статус",
            "Организатор",
            "Делегация (организаций)",
        ],
        [
            "Бизнес-миссия в Минск",
            "Ульяновская область",
            "Челябинская область",
            datetime.datetime(2026, 5, 12),
            datetime.datetime(2026, 5, 14),
            "запланирована",
            "Минпром Ульяновской области",
            0,
        ],
    ]
    by_year = next(row for row in everything if row[0] == "Миссия, известная по году")
    assert by_year[3:5] == ["2015", None]


@pytest.mark.parametrize("role", ROLES)
def test_agreements_export_never_contains_a_hidden_agreement_or_party(client, users, role):
    open_agreement = f.AgreementPartyFactory(
        agreement__title="Соглашение с Республикой Беларусь", organization__name="Минпром 73"
    ).agreement
    f.AgreementPartyFactory(
        agreement=open_agreement, organization__name="Скрытая сторона", organization__is_public=False
    )
    f.AgreementPartyFactory(agreement__title="Скрытое соглашение", agreement__is_public=False)

    rows = _csv(_client(client, users, role).get(reverse("agreements:list"), {"format": "csv"}))

    assert rows[0] == ["Название", "Вид", "Номер", "Статус", "Стороны", "Дата подписания", "Действует до"]
    titles = sorted(row[0] for row in rows[1:])
    expected = ["Скрытое соглашение", "Соглашение с Республикой Беларусь"]
    assert titles == (expected if role in SEES_HIDDEN else expected[1:])
    parties = next(row[4] for row in rows if row[0] == "Соглашение с Республикой Беларусь")
    assert parties == ("Минпром 73; Скрытая сторона" if role in SEES_HIDDEN else "Минпром 73")


@pytest.mark.parametrize("role", ROLES)
def test_companies_export_never_contains_a_hidden_company_and_honours_the_search(client, users, role):
    f.OrganizationFactory(name="Гидромаш", inn="7325000017")
    f.OrganizationFactory(name="Гидравлика скрытая", is_public=False)
    f.OrganizationFactory(name="Авиастар")

    response = _client(client, users, role).get(reverse("companies:company-list"), {"q": "Гидр", "format": "xlsx"})

    rows = _xlsx(response)
    assert rows[0] == [
        "Полное наименование",
        "Название на языке оригинала",
        "ИНН",
        "Регион",
        "Вид",
        "Категория",
        "Отрасли",
    ]
    names = sorted(row[0] for row in rows[1:])
    assert names == (["Гидравлика скрытая", "Гидромаш"] if role in SEES_HIDDEN else ["Гидромаш"])
    assert next(row for row in rows if row[0] == "Гидромаш")[2] == "7325000017"


@pytest.mark.parametrize("role", ROLES)
def test_region_projects_export_never_contains_a_hidden_project(client, users, role):
    region = f.directory_region("73")
    shown = f.CooperationProjectFactory(
        title="Поставка гидроцилиндров",
        expected_value=Decimal("1250000.00"),
        stage=CooperationProject.Stage.CONTRACT_SIGNED,
    )
    f.ProjectPartyFactory(project=shown, organization__name="Гидромаш", organization__region=region)
    hidden = f.CooperationProjectFactory(title="Скрытый проект", is_public=False)
    f.ProjectPartyFactory(project=hidden, organization__region=region)

    response = _client(client, users, role).get(
        reverse("companies:region-detail", args=[region.slug]), {"format": "xlsx"}
    )

    rows = _xlsx(response)
    assert rows[0] == ["Название", "Стороны", "Стадия", "Ожидаемая сумма", "Валюта", "Исходная миссия"]
    assert [row[0] for row in rows[1:]] == (
        ["Поставка гидроцилиндров", "Скрытый проект"] if role in SEES_HIDDEN else ["Поставка гидроцилиндров"]
    )
    shown_row = rows[1]
    assert shown_row[1] == "Гидромаш"
    assert shown_row[3] == 1250000 and isinstance(shown_row[3], float | int)
    assert shown_row[4] == "Российский рубль"


def test_the_list_pages_link_to_their_export_with_the_filters(client, db):
    f.MissionFactory()
    region = f.directory_region("73")
    project = f.CooperationProjectFactory()
    f.ProjectPartyFactory(project=project, organization__region=region)

    missions = client.get(reverse("missions:list"), {"status": "planned", "page": "2"}).content.decode()
    region_page = client.get(reverse("companies:region-detail", args=[region.slug])).content.decode()

    assert 'href="?status=planned&amp;format=xlsx"' in missions
    assert 'href="?status=planned&amp;format=csv"' in missions
    assert 'href="?format=csv"' in region_page


def test_an_unknown_format_shows_the_page(client, db):
    response = client.get(reverse("missions:list"), {"format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("name", "make"),
    [
        (
            "missions:list",
            lambda n: f.MissionFactory(destination_regions=[f.directory_region("74"), f.directory_region("63")]),
        ),
        ("agreements:list", lambda n: f.AgreementPartyFactory()),
        ("companies:company-list", lambda n: f.OrganizationFactory().sectors.add(f.SectorFactory())),
    ],
)
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_public_export_query_count_does_not_grow_with_rows(client, db, name, make, export_format):
    def queries(count: int) -> int:
        for n in range(count - queries.made):
            make(n)
        queries.made = count
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name), {"format": export_format})
            rows = _csv(response) if export_format == "csv" else _xlsx(response)
        assert len(rows) >= count + 1
        return len(captured)

    queries.made = 0
    assert queries(2) == queries(20)


def test_region_projects_export_query_count_does_not_grow_with_rows(client, db):
    region = f.directory_region("73")

    def queries(count: int) -> int:
        while CooperationProject.objects.count() < count:
            project = f.CooperationProjectFactory(origin_mission=f.MissionFactory())
            f.ProjectPartyFactory(project=project, organization__region=region)
            f.ProjectPartyFactory(project=project)
        with CaptureQueriesContext(connection) as captured:
            rows = _csv(client.get(reverse("companies:region-detail", args=[region.slug]), {"format": "csv"}))
        assert len(rows) == count + 1
        return len(captured)

    assert queries(2) == queries(20)
