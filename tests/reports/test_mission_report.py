"""The mission report: the page's figures, as a printable page, a workbook and a PDF; only what the
viewer may see; a hidden mission's report is a 404 like its page."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import CooperationProject
from missions.models import Meeting, ReportedFigure
from tests import factories as f
from tests.helpers import query_count

from .conftest import figure, pdf_footers, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission():
    """A public mission with the awkward cases: a hidden company in the delegation, a held meeting with
    it, a contract in roubles and one in dollars, a project without a curator, a source's claim."""
    mission = f.MissionFactory(title="Миссия в Челябинск", slug="to-chelyabinsk", start_date=datetime.date(2025, 2, 3))
    alpha = f.OrganizationFactory(name="Альфа", short_name="ООО «Альфа»")
    beta = f.OrganizationFactory(name="Бета", short_name="ООО «Бета»", region=f.directory_region("74"))
    ministry = f.MinistryFactory(name="Минпромторг Ульяновской области")
    hidden = f.OrganizationFactory(name="Скрытое", short_name="ООО «Скрытое»", is_public=False)
    for organization in (alpha, ministry, hidden):
        f.DelegationMemberFactory(mission=mission, organization=organization)
    f.DelegationMemberFactory(mission=mission, organization=beta)
    f.MeetingFactory(mission=mission, organization_a=alpha, organization_b=beta, status=Meeting.Status.HELD)
    f.MeetingFactory(mission=mission, organization_a=ministry, organization_b=beta, status=Meeting.Status.HELD)
    f.MeetingFactory(mission=mission, organization_a=alpha, organization_b=beta, status=Meeting.Status.SCHEDULED)
    f.MeetingFactory(mission=mission, organization_a=hidden, organization_b=beta, status=Meeting.Status.HELD)
    signed = CooperationProject.Stage.CONTRACT_SIGNED
    f.CooperationProjectFactory(
        title="Поставка литья", origin_mission=mission, stage=signed, expected_value=Decimal("1250000"), currency="RUB"
    )
    f.CooperationProjectFactory(
        title="Экспорт станков", origin_mission=mission, stage=signed, expected_value=Decimal("50000"), currency="USD"
    )
    f.CooperationProjectFactory(title="Без куратора", origin_mission=mission, curator=None)
    f.ReportedFigureFactory(mission=mission, metric=ReportedFigure.Metric.CONTRACTS, number=5)
    return mission


def report(client, mission, fmt=""):
    url = reverse("reports:mission", kwargs={"slug": mission.slug})
    return client.get(url, {"format": fmt} if fmt else {})


def test_mission_report_page_shows_the_funnel_the_visitor_may_see(mission):
    html = report(Client(), mission).content.decode()

    # delegation: Alpha, Beta, the ministry (the hidden company is left out); meetings held: two (the
    # third is only scheduled, the fourth is with the hidden company); three projects, two contracts
    assert [figure(html, f"step-{n}") for n in (1, 2, 3, 4)] == ["3", "2", "3", "2"]
    assert figure(html, "companies") == "2"
    assert figure(html, "value-rub") == "1 250 000 ₽"
    assert figure(html, "value-usd") == "50 000 $"
    assert "Скрытое" not in html
    assert "Челябинск" in html and "Ульяновская область" in html  # the organizing region in the header
    assert "Без куратора" in html
    # the source's claim beside the count: "more than 5", the portal records 2 contracts
    assert "более 5" in html and "подписано контрактов: 2" in html


def test_mission_report_shows_hidden_rows_to_staff(mission):
    client = Client()
    client.force_login(f.StaffUserFactory())

    html = report(client, mission).content.decode()

    assert [figure(html, f"step-{n}") for n in (1, 2, 3, 4)] == ["4", "3", "3", "2"]
    assert "ООО «Скрытое»" in html


def test_mission_report_as_a_workbook_has_typed_cells_and_russian_headers(mission):
    response = report(Client(), mission, "xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="mission-to-chelyabinsk.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Бизнес-миссия",
        "Воронка",
        "Делегация",
        "Программа",
        "Проведённые встречи",
        "Соглашения",
        "Проекты",
        "Показатели источников",
    ]
    funnel = [list(row) for row in book["Воронка"].iter_rows(values_only=True)]
    assert funnel == [
        ["Показатель", "Число или сумма", "Валюта"],
        ["Делегация (организаций)", 3, None],
        ["Проведённые встречи", 2, None],
        ["Открытые проекты", 3, None],
        ["Подписанные контракты", 2, None],
        ["Сумма подписанных контрактов", 1250000, "RUB"],
        ["Сумма подписанных контрактов", 50000, "USD"],
    ]
    summary = {row[0]: row[1] for row in book["Бизнес-миссия"].iter_rows(min_row=2, values_only=True)}
    assert summary["Дата начала"] == datetime.datetime(2025, 2, 3)  # a date cell, not text
    assert summary["Регион-организатор"] == "Ульяновская область"
    delegation = [row[0] for row in book["Делегация"].iter_rows(min_row=2, values_only=True)]
    assert "ООО «Скрытое»" not in delegation and len(delegation) == 3
    projects = {row[0]: row[3] for row in book["Проекты"].iter_rows(min_row=2, values_only=True)}
    assert projects == {"Без куратора": None, "Поставка литья": 1250000, "Экспорт станков": 50000}


def test_mission_report_workbook_keeps_a_formula_like_title_as_text(mission):
    f.ProgramItemFactory(mission=mission, title='=HYPERLINK("http://evil")', date=datetime.date(2025, 2, 3))

    book = load_workbook(io.BytesIO(report(Client(), mission, "xlsx").content))

    cell = book["Программа"]["E2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil")', "s")


def test_mission_report_pdf_holds_the_headline_figures_on_numbered_a4_pages(mission, pdf_tools, tmp_path):
    for n in range(40):  # a long programme: the report runs over several pages
        f.ProgramItemFactory(mission=mission, title=f"Мероприятие{n + 1:02d}", date=datetime.date(2025, 2, 3))

    response = report(Client(), mission, "pdf")

    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = re.sub(r"[ \xa0]+", " ", pdf_text(path))
    pages = pdf_pages(path)
    # every page is numbered "n / N" in its footer, N the PDF's own page count
    assert pdf_footers(path) == [f"{n} / {pages}" for n in range(1, pages + 1)]
    assert pages >= 2
    assert text.count("Ульяновская область") >= pages  # the organizing region heads every page
    assert text.count("Данные на ") >= pages
    assert "Отчёт о бизнес-миссии" in text
    assert "Мероприятие01" in text and "Мероприятие40" in text
    for expected in ("Делегация (организаций) 3", "Подписанные контракты 2", "1 250 000 ₽", "50 000 $"):
        assert expected in text


def test_a_short_mission_report_pdf_is_one_page(pdf_tools, tmp_path):
    mission = f.MissionFactory(title="Короткая миссия")
    path = tmp_path / "report.pdf"

    path.write_bytes(report(Client(), mission, "pdf").content)

    assert pdf_pages(path) == 1
    assert "Короткая миссия" in pdf_text(path)


@pytest.mark.parametrize("role", ["anonymous", "company"])
@pytest.mark.parametrize("fmt", ["", "xlsx", "pdf"])
def test_a_hidden_mission_report_is_not_found(role, fmt):
    mission = f.MissionFactory(is_public=False, title="Тайная миссия")
    client = Client()
    if role == "company":
        user = f.UserFactory()
        f.PersonFactory(user=user, organization=f.OrganizationFactory())
        client.force_login(user)

    response = report(client, mission, fmt)

    assert response.status_code == 404
    assert "Тайная миссия" not in response.content.decode(errors="replace")


def test_mission_report_unknown_format_is_a_clear_message():
    mission = f.MissionFactory()

    response = report(Client(), mission, "docx")

    assert response.status_code == 400
    assert response.content.decode() == "Неизвестный формат отчёта «docx»: выберите html, xlsx или pdf."


def _grow(mission, n):
    for _i in range(n):
        organization = f.OrganizationFactory()
        f.DelegationMemberFactory(
            mission=mission, organization=organization, person=f.PersonFactory(organization=organization)
        )
        f.MeetingFactory(mission=mission, organization_a=organization, status=Meeting.Status.HELD, outcome="")
        f.ProgramItemFactory(mission=mission, date=datetime.date(2025, 2, 3), host=organization)
        project = f.CooperationProjectFactory(origin_mission=mission)
        f.ProjectPartyFactory(project=project, organization=organization)
        agreement = f.AgreementFactory(signed_at_mission=mission)
        f.AgreementPartyFactory(agreement=agreement, organization=organization)
        f.ReportedFigureFactory(mission=mission)


@pytest.mark.parametrize("fmt", ["", "xlsx"])
def test_mission_report_query_count_is_constant_in_rows(fmt):
    small, large = f.MissionFactory(), f.MissionFactory()
    _grow(small, 2)
    _grow(large, 12)
    client = Client()
    suffix = f"?format={fmt}" if fmt else ""

    counts = [query_count(client, reverse("reports:mission", kwargs={"slug": m.slug}) + suffix) for m in (small, large)]

    assert counts[0] == counts[1]
