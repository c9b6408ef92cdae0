"""The yearly report of an organizing region: its figures are the database's own counts (ORM queries
written here) for the demo data and for generated data with the awkward cases, and only what the
viewer may see."""

import datetime
import io
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import Agreement, CooperationProject
from companies.dates import DatePrecision
from companies.models import Organization, Region
from missions.models import DelegationMember, Meeting, Mission
from tests import factories as f
from tests.helpers import query_count

from .conftest import figure, pdf_footers, pdf_pages, pdf_text, row_cells

pytestmark = pytest.mark.django_db

SIGNED = CooperationProject.Stage.CONTRACT_SIGNED
CONTRACT_STAGES = ["contract_signed", "in_implementation", "completed"]
SIGNED_AGREEMENT = ["signed", "in_force", "expired"]


def orm_figures(region: Region, year: int, *, public_only: bool) -> dict:
    """The yearly figures counted straight from the tables, as a governor's office would."""
    public = {"is_public": True} if public_only else {}
    missions = Mission.objects.filter(origin_region=region, start_date__year=year, **public).exclude(
        status=Mission.Status.CANCELLED
    )
    members = DelegationMember.objects.filter(mission__in=missions)
    meetings = Meeting.objects.filter(mission__in=missions, status=Meeting.Status.HELD)
    if public_only:
        members = members.filter(organization__is_public=True)
        meetings = meetings.filter(organization_a__is_public=True, organization_b__is_public=True)
    projects = CooperationProject.objects.filter(
        Q(origin_mission__in=missions) | Q(origin_meeting__mission__in=missions), **public
    )
    signed_projects = projects.filter(stage__in=CONTRACT_STAGES)
    contracts = Agreement.objects.filter(
        kind="contract", status__in=SIGNED_AGREEMENT, signed_at_mission__in=missions, **public
    ).exclude(pk__in=signed_projects.exclude(resulting_agreement=None).values("resulting_agreement"))
    values = {}
    for rows, field in ((signed_projects, "expected_value"), (contracts, "value")):
        for row in rows.values("currency").annotate(total=Sum(field)):
            if row["total"]:
                values[row["currency"]] = values.get(row["currency"], Decimal(0)) + row["total"]
    return {
        "missions": missions.count(),
        "regions": Region.objects.filter(missions_in__in=missions).distinct().count(),
        "organizations": members.values("organization").distinct().count(),
        "companies": members.filter(organization__kind=Organization.Kind.COMPANY)
        .values("organization")
        .distinct()
        .count(),
        "meetings": meetings.count(),
        "projects": projects.count(),
        "contracts": signed_projects.count() + contracts.count(),
        "values": values,
    }


def _money(amount: Decimal, symbol: str) -> str:
    return f"{int(amount):,}".replace(",", " ") + f" {symbol}"


def page_figures(html: str) -> dict:
    figures = {
        key: int(figure(html, key))
        for key in ("missions", "regions", "organizations", "companies", "meetings", "projects", "contracts")
    }
    values = {}
    for currency, symbol in (("RUB", "₽"), ("USD", "$"), ("EUR", "€"), ("CNY", "¥")):
        key = "value-rub" if currency == "RUB" else f"value-{currency.lower()}"
        if f'data-figure="{key}"' in html:
            text = figure(html, key)
            amount = Decimal(text.removesuffix(f" {symbol}").replace(" ", ""))
            if amount:
                values[currency] = amount
    figures["values"] = values
    return figures


def report(client, region, year, fmt=""):
    return client.get(
        reverse("reports:region-year", kwargs={"slug": region.slug, "year": year}), {"format": fmt} if fmt else {}
    )


def superuser_client():
    client = Client()
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


# --- Generated data with the awkward cases ----------------------------------------------------


@pytest.fixture
def year_2025():
    """Ulyanovsk's missions of 2025: one with everything, one known only by its year with no meetings,
    a hidden one, a cancelled one; and missions that are not in the report (2024, another region)."""
    ulyanovsk, chelyabinsk, tula, samara = (f.directory_region(code) for code in ("73", "74", "71", "63"))
    full = f.MissionFactory(
        title="Миссия в Челябинск",
        start_date=datetime.date(2025, 3, 10),
        end_date=None,
        destination_regions=[chelyabinsk],
    )
    f.MissionFactory(
        title="Миссия «в 2025 году»",
        start_date=datetime.date(2025, 1, 1),
        end_date=None,
        dates_precision=DatePrecision.YEAR,
        destination_regions=[chelyabinsk, tula],
    )
    hidden = f.MissionFactory(title="Скрытая миссия", is_public=False, destination_regions=[samara])
    f.MissionFactory(title="Отменённая миссия", status=Mission.Status.CANCELLED)
    f.MissionFactory(title="Миссия 2024 года", start_date=datetime.date(2024, 5, 5), end_date=None)
    f.MissionFactory(title="Челябинская миссия", origin_region=chelyabinsk, destination_regions=[ulyanovsk])

    alpha, beta = f.OrganizationFactory(name="Альфа"), f.OrganizationFactory(name="Бета")
    secret = f.OrganizationFactory(name="Секрет", is_public=False)
    host = f.OrganizationFactory(name="Хозяин", region=chelyabinsk)
    for organization in (alpha, beta, f.MinistryFactory(), secret):
        f.DelegationMemberFactory(mission=full, organization=organization)
    f.DelegationMemberFactory(mission=hidden, organization=f.OrganizationFactory(name="Гость"))
    f.MeetingFactory(mission=full, organization_a=alpha, organization_b=host, status=Meeting.Status.HELD)
    f.MeetingFactory(mission=full, organization_a=secret, organization_b=host, status=Meeting.Status.HELD)
    f.MeetingFactory(mission=full, organization_a=beta, organization_b=host, status=Meeting.Status.CANCELLED)
    f.CooperationProjectFactory(origin_mission=full, stage=SIGNED, expected_value=Decimal("1000000"), currency="RUB")
    f.CooperationProjectFactory(
        origin_mission=full, stage=SIGNED, expected_value=Decimal("20000"), currency="USD", curator=None
    )
    f.CooperationProjectFactory(origin_mission=full)  # negotiation
    f.CooperationProjectFactory(origin_mission=hidden, stage=SIGNED, expected_value=Decimal("300000"), currency="RUB")
    f.AgreementFactory(kind=Agreement.Kind.CONTRACT, signed_at_mission=full, value=Decimal("500000"), currency="RUB")
    f.AgreementFactory(
        signed_at_mission=full,
        signed_on=datetime.date(2025, 1, 1),
        signed_on_precision=DatePrecision.YEAR,
        valid_from=None,
    )
    return ulyanovsk


def test_region_year_report_counts_what_a_visitor_may_see(year_2025):
    html = report(Client(), year_2025, 2025).content.decode()

    assert page_figures(html) == {
        "missions": 2,
        "regions": 2,
        "organizations": 3,
        "companies": 2,
        "meetings": 1,
        "projects": 3,
        "contracts": 3,
        "values": {"RUB": Decimal("1500000"), "USD": Decimal("20000")},
    }
    assert page_figures(html) == orm_figures(year_2025, 2025, public_only=True)
    assert row_cells(html, "data-destination", "chelyabinsk-oblast") == ["Челябинская область", "2"]
    assert row_cells(html, "data-destination", "tula-oblast") == ["Тульская область", "1"]
    assert row_cells(html, "data-stage", "contract_signed") == ["контракт подписан", "2"]
    assert row_cells(html, "data-stage", "negotiation")[1] == "1"
    assert "Скрытая миссия" not in html and "Отменённая миссия" not in html and "Миссия 2024 года" not in html
    assert "Миссия «в 2025 году»" in html and ">2025</time>" in html  # a year-only start is shown as its year


def test_region_year_report_counts_hidden_rows_for_those_who_may_see_them(year_2025):
    html = report(superuser_client(), year_2025, 2025).content.decode()

    assert page_figures(html) == {
        "missions": 3,
        "regions": 3,
        "organizations": 5,
        "companies": 4,
        "meetings": 2,
        "projects": 4,
        "contracts": 4,
        "values": {"RUB": Decimal("1800000"), "USD": Decimal("20000")},
    }
    assert page_figures(html) == orm_figures(year_2025, 2025, public_only=False)
    assert "Скрытая миссия" in html


def test_region_year_report_workbook_has_the_same_figures(year_2025):
    response = report(Client(), year_2025, 2025, "xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="region-ulyanovsk-oblast-2025.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Сводка", "По направлениям", "Бизнес-миссии", "Проекты по стадиям"]
    summary = [list(row) for row in book["Сводка"].iter_rows(values_only=True)]
    assert summary == [
        ["Показатель", "Число или сумма", "Валюта"],
        ["Бизнес-миссии", 2, None],
        ["Охвачено регионов", 2, None],
        ["Организаций в делегациях", 3, None],
        ["Компаний в делегациях", 2, None],
        ["Проведённые встречи", 1, None],
        ["Открытые проекты", 3, None],
        ["Подписанные контракты", 3, None],
        ["Сумма подписанных контрактов", 1500000, "RUB"],
        ["Сумма подписанных контрактов", 20000, "USD"],
    ]
    missions = list(book["Бизнес-миссии"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1]) for row in missions] == [
        ("Миссия «в 2025 году»", "2025"),
        ("Миссия в Челябинск", datetime.datetime(2025, 3, 10)),
    ]


def test_region_year_report_pdf_has_the_headline_figures(year_2025, pdf_tools, tmp_path):
    path = tmp_path / "year.pdf"

    path.write_bytes(report(Client(), year_2025, 2025, "pdf").content)

    text = re.sub(r"[ \xa0]+", " ", pdf_text(path))
    pages = pdf_pages(path)
    assert pdf_footers(path) == [f"{n} / {pages}" for n in range(1, pages + 1)]
    assert "Отчёт за 2025 год" in text and "Ульяновская область" in text
    for expected in ("Охвачено регионов 2", "Подписанные контракты 3", "1 500 000 ₽", "20 000 $"):
        assert expected in text
    assert "Скрытая миссия" not in text


@pytest.mark.parametrize("year", [1989, 2101])
def test_region_year_report_outside_the_years_is_not_found(year):
    assert report(Client(), f.directory_region("73"), year).status_code == 404


def test_region_year_report_of_an_unknown_region_is_not_found():
    assert Client().get("/reports/no-such-region/2025/").status_code == 404


def test_region_year_report_query_count_is_constant_in_rows():
    ulyanovsk = f.directory_region("73")

    def grow(year, n):
        for _i in range(n):
            mission = f.MissionFactory(start_date=datetime.date(year, 2, 3))
            organization = f.OrganizationFactory()
            f.DelegationMemberFactory(mission=mission, organization=organization)
            f.MeetingFactory(mission=mission, organization_a=organization, status=Meeting.Status.HELD)
            f.CooperationProjectFactory(origin_mission=mission, stage=SIGNED, expected_value=Decimal(1000))

    grow(2023, 2)
    grow(2024, 12)
    client = Client()

    assert query_count(client, f"/reports/{ulyanovsk.slug}/2023/") == query_count(
        client, f"/reports/{ulyanovsk.slug}/2024/"
    )


# --- The demo data ---------------------------------------------------------------------------


def test_region_year_reports_of_the_demo_data_equal_the_database_counts(settings):
    settings.DEBUG = True  # the demo loader runs on a developer's machine
    call_command("load_demo", stdout=StringIO())
    pairs = sorted(
        {
            (m.origin_region, m.start_date.year)
            for m in Mission.objects.filter(start_date__isnull=False).select_related("origin_region")
        },
        key=lambda pair: (pair[0].slug, pair[1]),
    )
    # the demo's dated missions: Chelyabinsk's visit to Yugra (2022) and its return visit to Ulyanovsk
    # (2024), and the planned mission, 45 days after the demo is loaded
    planned = Mission.objects.get(status=Mission.Status.PLANNED, start_date__isnull=False)
    assert [(region.slug, year) for region, year in pairs] == sorted(
        [
            ("chelyabinsk-oblast", 2022),
            ("chelyabinsk-oblast", 2024),
            (planned.origin_region.slug, planned.start_date.year),
        ]
    )
    staff = superuser_client()
    for region, year in pairs:
        for client, public_only in ((Client(), True), (staff, False)):
            html = report(client, region, year).content.decode()
            assert page_figures(html) == orm_figures(region, year, public_only=public_only), (region.slug, year)
    html = report(Client(), Region.objects.get(slug="chelyabinsk-oblast"), 2024).content.decode()
    assert page_figures(html) == {
        "missions": 1,
        "regions": 1,
        "organizations": 4,
        "companies": 1,
        "meetings": 1,
        "projects": 1,
        "contracts": 0,
        "values": {},
    }


def test_a_countrys_year_rolls_up_the_missions_of_its_regions():
    """An inbound visit: a delegation from a foreign country's region to Ulyanovsk, counted for the country."""
    country = f.RegionFactory(name="Республика Дальстан", slug="dalstan", time_zone="Asia/Tashkent")
    province = f.RegionFactory(name="Северный вилоят", slug="north", kind=Region.Kind.FOREIGN_REGION, country=country)
    visit = f.MissionFactory(
        title="Делегация Дальстана в Ульяновске",
        origin_region=province,
        organizer=f.MinistryFactory(region=province),
        destination_regions=[f.directory_region("73")],
    )
    f.DelegationMemberFactory(mission=visit, organization=f.OrganizationFactory(region=province))
    f.MissionFactory(title="Миссия в Дальстан", destination_regions=[country])  # to the country, not from it

    html = report(Client(), country, 2025).content.decode()

    assert (figure(html, "missions"), figure(html, "regions"), figure(html, "companies")) == ("1", "1", "1")
    assert row_cells(html, "data-destination", "ulyanovsk-oblast") == ["Ульяновская область", "1"]
    assert "Делегация Дальстана в Ульяновске" in html and "Миссия в Дальстан" not in html
