"""The agreement status report: parties, signatories, the term as the sources give it, the plan's
progress with its overdue items (the one overdue rule), linked projects; only what the viewer may see."""

import datetime
import io
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import Agreement, PlanItem
from companies.dates import DatePrecision
from tests import factories as f
from tests.helpers import query_count

from .conftest import figure, pdf_footers, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

TODAY = "2026-03-02 10:00"


@pytest.fixture
def agreement():
    """Signed "in 2015" (the year only), open-ended, with a hidden party, a hidden project and a plan
    with an overdue item, one done, one in progress and one planned without a due date."""
    agreement = f.AgreementFactory(
        title="Соглашение Ульяновск — Челябинск",
        slug="ul-chel",
        signed_on=datetime.date(2015, 1, 1),
        signed_on_precision=DatePrecision.YEAR,
        valid_from=None,
        is_open_ended=True,
    )
    ulyanovsk = f.MinistryFactory(name="Правительство Ульяновской области", short_name="")
    chelyabinsk = f.MinistryFactory(
        name="Правительство Челябинской области", short_name="", region=f.directory_region("74")
    )
    hidden = f.OrganizationFactory(name="Скрытая сторона", is_public=False)
    for organization in (ulyanovsk, chelyabinsk, hidden):
        f.AgreementPartyFactory(agreement=agreement, organization=organization)
    f.SignatoryFactory(
        agreement=agreement, person=f.PersonFactory(organization=ulyanovsk, last_name="Русских", first_name="Алексей")
    )
    f.PlanItemFactory(agreement=agreement, action="Провести выставку", due_date=datetime.date(2025, 6, 1))
    f.PlanItemFactory(
        agreement=agreement,
        action="Открыть представительство",
        status=PlanItem.Status.DONE,
        completed_on=datetime.date(2025, 5, 5),
    )
    f.PlanItemFactory(
        agreement=agreement,
        action="Обмен делегациями",
        status=PlanItem.Status.IN_PROGRESS,
        due_date=datetime.date(2027, 1, 1),
    )
    f.PlanItemFactory(agreement=agreement, action="Совместный форум", due_date=None)
    f.CooperationProjectFactory(title="Литьё для тракторов", resulting_agreement=agreement, curator=None)
    f.CooperationProjectFactory(title="Скрытый проект", resulting_agreement=agreement, is_public=False)
    return agreement


def report(client, agreement, fmt=""):
    return client.get(reverse("reports:agreement", kwargs={"slug": agreement.slug}), {"format": fmt} if fmt else {})


@time_machine.travel(TODAY)
def test_agreement_report_shows_term_plan_progress_and_what_the_visitor_may_see(agreement):
    html = report(Client(), agreement).content.decode()

    assert figure(html, "plan-done") == "1 / 4"
    assert figure(html, "plan-overdue") == "1"
    assert figure(html, "plan-in-progress") == "1"
    assert figure(html, "plan-planned") == "1"
    assert figure(html, "projects") == "1"
    assert re.search(r'data-figure="signed-on"><time datetime="2015-01-01">2015</time>', html)
    assert '<dd data-figure="valid-until">бессрочно</dd>' in html
    # the overdue item first, marked
    rows = re.findall(r'<tr class="plan-item( overdue)?">.*?<th scope="row">(.*?)</th>', html, re.S)
    assert rows[0] == (" overdue", "Провести выставку")
    assert [overdue for overdue, _action in rows] == [" overdue", "", "", ""]
    assert "Правительство Челябинской области" in html and "Русских" in html
    assert "Скрытая сторона" not in html and "Скрытый проект" not in html
    # the organizing side in the page header: the regions of the parties the visitor may see
    assert '<p class="report-region">Ульяновская область, Челябинская область</p>' in html


@time_machine.travel(TODAY)
def test_agreement_report_workbook_reads_back(agreement):
    response = report(Client(), agreement, "xlsx")

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Соглашение",
        "Стороны",
        "Подписанты",
        "План мероприятий",
        "Проекты",
        "Показатели источников",
    ]
    summary = {row[0]: row[1] for row in book["Соглашение"].iter_rows(min_row=2, values_only=True)}
    assert summary["Дата подписания"] == "2015"  # a year-only date stays as the source gives it
    assert summary["Действует до"] == "бессрочно"
    assert (summary["Пункты плана выполнены"], summary["Пункты плана просрочены"], summary["Пункты плана"]) == (1, 1, 4)
    plan = list(book["План мероприятий"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[3], row[5]) for row in plan] == [
        ("Провести выставку", datetime.datetime(2025, 6, 1), "да"),
        ("Открыть представительство", datetime.datetime(2025, 12, 31), "нет"),
        ("Обмен делегациями", datetime.datetime(2027, 1, 1), "нет"),
        ("Совместный форум", None, "нет"),
    ]
    parties = [row[0] for row in book["Стороны"].iter_rows(min_row=2, values_only=True)]
    assert parties == ["Правительство Ульяновской области", "Правительство Челябинской области"]


@time_machine.travel(TODAY)
def test_agreement_report_pdf_has_its_figures(agreement, pdf_tools, tmp_path):
    path = tmp_path / "agreement.pdf"

    path.write_bytes(report(Client(), agreement, "pdf").content)

    text = re.sub(r"[ \xa0]+", " ", pdf_text(path))
    pages = pdf_pages(path)
    assert pdf_footers(path) == [f"{n} / {pages}" for n in range(1, pages + 1)]
    assert "Отчёт о ходе исполнения соглашения" in text
    assert "Пункты плана просрочены 1" in text
    assert "Провести выставку" in text and "Скрытая сторона" not in text


@pytest.mark.parametrize("role", ["anonymous", "company"])
@pytest.mark.parametrize("fmt", ["", "xlsx", "pdf"])
def test_a_hidden_agreement_report_is_not_found(role, fmt):
    agreement = f.AgreementFactory(is_public=False, title="Тайное соглашение")
    client = Client()
    if role == "company":
        user = f.UserFactory()
        f.PersonFactory(user=user, organization=f.OrganizationFactory())
        client.force_login(user)

    response = report(client, agreement, fmt)

    assert response.status_code == 404
    assert "Тайное соглашение" not in response.content.decode(errors="replace")


def _grow(agreement, n):
    for _i in range(n):
        organization = f.OrganizationFactory()
        f.AgreementPartyFactory(agreement=agreement, organization=organization)
        f.SignatoryFactory(agreement=agreement, person=f.PersonFactory(organization=organization))
        item = f.PlanItemFactory(agreement=agreement, responsible_organization=organization)
        project = f.CooperationProjectFactory(resulting_agreement=agreement)
        f.ProjectPartyFactory(project=project, organization=organization)
        item.projects.add(project)


@pytest.mark.parametrize("fmt", ["", "xlsx"])
def test_agreement_report_query_count_is_constant_in_rows(fmt):
    small, large = f.AgreementFactory(kind=Agreement.Kind.INTERAGENCY), f.AgreementFactory()
    _grow(small, 2)
    _grow(large, 12)
    suffix = f"?format={fmt}" if fmt else ""

    counts = [
        query_count(Client(), reverse("reports:agreement", kwargs={"slug": a.slug}) + suffix) for a in (small, large)
    ]

    assert counts[0] == counts[1]
