"""Agreement pages: the registry and its filters, the status page, printing, visibility, query counts."""

import datetime
import re

import pytest
import time_machine
from django.contrib.staticfiles import finders

from agreements.models import Agreement, AgreementParty, CooperationProject, PlanItem
from missions.models import ReportedFigure
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    CooperationProjectFactory,
    MinistryFactory,
    MissionFactory,
    OrganizationFactory,
    PersonFactory,
    PlanItemFactory,
    ProjectPartyFactory,
    ReportedFigureFactory,
    SignatoryFactory,
    directory_region,
)
from tests.helpers import html_of, query_count, section_of

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 2, 19, 12, 0, tzinfo=datetime.UTC)


# --- The status page -------------------------------------------------------------------------


@pytest.fixture
def agreement():
    """An intergovernmental agreement Ulyanovsk–Chelyabinsk with a plan, signatories and projects."""
    mission = MissionFactory(title="Визит в Челябинск", slug="visit")
    agreement = AgreementFactory(
        title="Соглашение Ульяновская — Челябинская области",
        slug="ulyanovsk-chelyabinsk",
        signed_at_mission=mission,
        signing_place="Челябинск",
        signed_on=datetime.date(2023, 5, 10),
        valid_from=datetime.date(2023, 5, 10),
        valid_until=datetime.date(2026, 3, 1),
    )
    ulyanovsk = MinistryFactory(name="Правительство Ульяновской области")
    chelyabinsk = MinistryFactory(name="Правительство Челябинской области", region=directory_region("74"))
    AgreementPartyFactory(agreement=agreement, organization=ulyanovsk)
    AgreementPartyFactory(agreement=agreement, organization=chelyabinsk)
    SignatoryFactory(
        agreement=agreement,
        person=PersonFactory(organization=ulyanovsk, last_name="Русских", first_name="Алексей"),
        position_at_signing="Губернатор Ульяновской области",
    )
    SignatoryFactory(
        agreement=agreement,
        person=PersonFactory(organization=chelyabinsk, last_name="Текслер", first_name="Алексей"),
        position_at_signing="Губернатор Челябинской области",
        on_behalf_of=chelyabinsk,
    )
    item = {"agreement": agreement, "responsible_organization": ulyanovsk}
    PlanItemFactory(
        number="1",
        action="Провести биржу контактов",
        due_date=datetime.date(2025, 12, 31),
        status=PlanItem.Status.DONE,
        completed_on=datetime.date(2025, 12, 20),
        evidence="Протокол биржи контактов",
        **item,
    )
    PlanItemFactory(number="2", action="Открыть торговый дом", due_date=datetime.date(2026, 1, 10), **item)
    PlanItemFactory(
        number="3",
        action="Провести ответный визит",
        due_date=datetime.date(2026, 6, 1),
        status=PlanItem.Status.IN_PROGRESS,
        **item,
    )
    late = PlanItemFactory(
        number="4",
        action="Согласовать перечень кооперационных проектов",
        due_date=datetime.date(2025, 11, 1),
        status=PlanItem.Status.IN_PROGRESS,
        responsible_person=PersonFactory(organization=chelyabinsk, last_name="Ответственный"),
        agreement=agreement,
        responsible_organization=chelyabinsk,
    )
    PlanItemFactory(number="5", action="Отменённое мероприятие", status=PlanItem.Status.CANCELLED, **item)
    in_plan = CooperationProjectFactory(title="Поставка датчиков давления", stage=CooperationProject.Stage.PROPOSAL)
    ProjectPartyFactory(project=in_plan, organization=OrganizationFactory(name="Завод датчиков"))
    late.projects.add(in_plan)
    CooperationProjectFactory(
        title="Поставка карданных валов",
        stage=CooperationProject.Stage.IN_IMPLEMENTATION,
        resulting_agreement=agreement,
        expected_value=3_000_000,
    )
    return agreement


def _status_page(client) -> str:
    with time_machine.travel(TODAY, tick=False):
        return html_of(client.get("/agreements/ulyanovsk-chelyabinsk/"))


def test_status_page_lists_overdue_plan_items_first(en, agreement):
    plan = section_of(_status_page(en), "plan-heading")

    order = [
        plan.index(action)
        for action in (
            "Согласовать перечень кооперационных проектов",  # in progress, due 1 Nov 2025: overdue
            "Открыть торговый дом",  # planned, due 10 Jan 2026: overdue
            "Провести биржу контактов",  # done
            "Провести ответный визит",  # in progress, due 1 Jun 2026
        )
    ]
    assert order == sorted(order)
    overdue_rows = re.findall(r'<tr class="plan-item overdue">.*?</tr>', plan, re.S)
    assert len(overdue_rows) == 2
    assert all('<span class="badge bad">overdue</span>' in row for row in overdue_rows)


def test_status_page_counts_plan_progress(en, agreement):
    plan = section_of(_status_page(en), "plan-heading")

    counts = dict(re.findall(r"</i>([a-z ()]+): <b>(\d+)</b>", plan))
    assert counts == {
        "done": "1",
        "in progress": "1",
        "overdue": "2",
        "planned": "0",
        "cancelled (not counted)": "1",
    }
    assert 'aria-label="1 of 4 items done"' in plan
    assert 'class="done pct-25"' in plan and 'class="overdue pct-50"' in plan


def test_status_page_shows_plan_item_details(en, agreement):
    plan = section_of(_status_page(en), "plan-heading")

    done = re.search(r"<tr class=\"plan-item\">\s*<td>1</td>.*?</tr>", plan, re.S)[0]
    assert "Правительство Ульяновской области" in done
    assert "31 December 2025" in done and "20 December 2025" in done
    assert "Протокол биржи контактов" in done
    late = re.search(r"<td>4</td>.*?</tr>", plan, re.S)[0]
    assert "Ответственный" in late and "Поставка датчиков давления" in late


@pytest.mark.parametrize(
    ("today", "term"),
    [
        (datetime.datetime(2026, 2, 19, 12, 0, tzinfo=datetime.UTC), "10 days left"),
        (datetime.datetime(2026, 2, 28, 12, 0, tzinfo=datetime.UTC), "1 day left"),
        (datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC), "expires today"),
        (datetime.datetime(2026, 3, 5, 12, 0, tzinfo=datetime.UTC), "expired 4 days ago"),
    ],
)
def test_status_page_counts_days_left_from_today(en, agreement, today, term):
    with time_machine.travel(today, tick=False):
        html = html_of(en.get("/agreements/ulyanovsk-chelyabinsk/"))

    assert term in re.search(r'<dd class="term">(.*?)</dd>', html, re.S)[1]
    assert "1 March 2026" in html


def test_status_page_without_end_date_says_no_term_is_given_unless_open_ended(en, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(valid_until=None)
    no_term = re.search(r'<dd class="term">(.*?)</dd>', _status_page(en), re.S)[1]
    Agreement.objects.filter(pk=agreement.pk).update(is_open_ended=True)
    open_ended = re.search(r'<dd class="term">(.*?)</dd>', _status_page(en), re.S)[1]

    assert "no term given" in no_term and "open-ended" not in no_term
    assert "open-ended" in open_ended and "no term given" not in open_ended


def test_status_page_shows_signing_parties_and_signatories(en, agreement):
    html = _status_page(en)

    facts = section_of(html, "facts-heading")
    assert "10 May 2023" in facts and "Челябинск" in facts
    assert '<a href="/missions/visit/">Визит в Челябинск</a>' in facts
    parties = section_of(html, "parties-heading")
    assert "Правительство Ульяновской области" in parties and "Правительство Челябинской области" in parties
    signatories = re.search(r'<table class="signatories-table">(.*?)</table>', parties, re.S)[1]
    assert re.search(r"Алексей Русских</th><td>Губернатор Ульяновской области</td>", signatories)
    assert re.search(r"Алексей Текслер</th><td>Губернатор Челябинской области</td>", signatories)


def test_status_page_lists_linked_projects_with_stages(en, agreement):
    projects = section_of(_status_page(en), "projects-heading")

    assert re.search(r"Поставка датчиков давления.*?proposal.*?Завод датчиков", projects, re.S)
    assert re.search(r"Поставка карданных валов.*?in implementation.*?3,000,000 ₽", projects, re.S)


def test_status_page_links_renewed_and_renewing_agreements(en, agreement):
    older = AgreementFactory(title="Соглашение 2019 года", slug="old", signed_on=datetime.date(2019, 4, 1))
    Agreement.objects.filter(pk=agreement.pk).update(supersedes=older)
    AgreementFactory(title="Соглашение 2026 года", slug="new", supersedes=agreement)

    facts = section_of(_status_page(en), "facts-heading")
    old_page = html_of(en.get("/agreements/old/"))

    assert re.search(r'Renews or replaces</dt><dd><a href="/agreements/old/">Соглашение 2019 года', facts)
    assert re.search(r'Superseded by</dt><dd><a href="/agreements/new/">Соглашение 2026 года', facts)
    assert re.search(r'Superseded by</dt><dd><a href="/agreements/ulyanovsk-chelyabinsk/">', old_page)


def test_status_page_sets_reported_figures_beside_linked_projects(en, agreement):
    ReportedFigureFactory(
        mission=None, agreement=agreement, metric=ReportedFigure.Metric.PROJECTS_UNDER_NEGOTIATION, number=25
    )

    figures = section_of(_status_page(en), "figures-heading")

    row = re.search(r"projects under negotiation</th>(.*?)</tr>", figures, re.S)[1]
    assert "more than 25" in row
    assert '<td><span data-counted="projects_negotiation">projects not yet at a contract: 1</span> <span' in row


def test_status_page_prints_clean(en, agreement, production_static):
    html = _status_page(en)

    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.[0-9a-f]+\.css" media="print">', html)
    assert re.search(r'<script src="/static/js/print\.[0-9a-f]+\.js" defer></script>', html)
    assert re.search(r'<p class="page-actions no-print">\s*<button type="button" [^>]*data-print', html)
    assert "<script>" not in html
    with open(finders.find("css/print.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none", css)[1]
    assert ".site-header" in hidden and ".no-print" in hidden


# --- The registry ----------------------------------------------------------------------------


def _rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/agreements/[^"]+/">([^<]+)</a>', html)


def test_registry_shows_kind_parties_dates_status_term_and_progress(en, agreement):
    with time_machine.travel(TODAY, tick=False):
        html = html_of(en.get("/agreements/"))

    row = re.search(r"Соглашение Ульяновская — Челябинская области</a>.*?</tr>", html, re.S)[0]
    assert "intergovernmental agreement" in row
    assert "Правительство Ульяновской области; Правительство Челябинской области" in row
    assert "10 May 2023" in row
    assert '<span class="badge ok">in force</span>' in row
    assert "until 1 March 2026" in row and "10 days left" in row
    assert "1 of 4 done" in row and "2 overdue" in row


@pytest.fixture
def registry():
    ulyanovsk, tula = directory_region("73"), directory_region("71")
    intergovernmental = AgreementFactory(title="Межправительственное 2023", signed_on=datetime.date(2023, 3, 1))
    AgreementPartyFactory(agreement=intergovernmental, organization=MinistryFactory(region=ulyanovsk))
    AgreementPartyFactory(agreement=intergovernmental, organization=MinistryFactory(region=tula))
    contract = AgreementFactory(
        title="Договор поставки 2025",
        kind=Agreement.Kind.CONTRACT,
        status=Agreement.Status.SIGNED,
        value=10,
        currency="RUB",
    )
    AgreementPartyFactory(
        agreement=contract, organization=OrganizationFactory(region=tula), role=AgreementParty.Role.SUPPLIER
    )
    memorandum = AgreementFactory(
        title="Меморандум 2025", kind=Agreement.Kind.MEMORANDUM, status=Agreement.Status.EXPIRED
    )
    # The only Ulyanovsk party of the memorandum is not public: anonymous filtering must not reveal it.
    AgreementPartyFactory(agreement=memorandum, organization=OrganizationFactory(region=ulyanovsk, is_public=False))
    return ulyanovsk, tula


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Межправительственное 2023", "Договор поставки 2025", "Меморандум 2025"}),
        ("kind=contract", {"Договор поставки 2025"}),
        ("status=expired", {"Меморандум 2025"}),
        ("region={tula}", {"Межправительственное 2023", "Договор поставки 2025"}),
        ("region={ulyanovsk}", {"Межправительственное 2023"}),
        ("region={tula}&kind=intergovernmental&year=2023", {"Межправительственное 2023"}),
        ("year=2025", {"Договор поставки 2025", "Меморандум 2025"}),
    ],
)
def test_registry_filters_by_kind_status_region_and_year(en, registry, query, expected):
    ulyanovsk, tula = registry

    html = html_of(en.get(f"/agreements/?{query.format(ulyanovsk=ulyanovsk.slug, tula=tula.slug)}"))

    assert set(_rows(html)) == expected


def test_registry_region_filter_counts_non_public_parties_for_staff(staff_en, registry):
    ulyanovsk, _tula = registry

    html = html_of(staff_en.get(f"/agreements/?region={ulyanovsk.slug}"))

    assert set(_rows(html)) == {"Межправительственное 2023", "Меморандум 2025"}


@pytest.mark.parametrize(
    "query", ["region=atlantis", "year=abc", "year=99999", "kind=treaty", "status=?", "page=abc", "page=99999"]
)
def test_registry_bad_filter_input_gives_a_page(en, registry, query):
    html = html_of(en.get(f"/agreements/?{query}"))

    assert len(_rows(html)) == 3


# --- Who sees what ---------------------------------------------------------------------------


@pytest.fixture
def hidden_rows(agreement):
    secret_org = OrganizationFactory(name="Закрытое предприятие", is_public=False)
    AgreementPartyFactory(agreement=agreement, organization=secret_org)
    SignatoryFactory(
        agreement=agreement, person=PersonFactory(organization=secret_org, last_name="Скрытный"), on_behalf_of=None
    )
    PlanItemFactory(
        agreement=agreement,
        action="Мероприятие закрытого предприятия",
        responsible_organization=secret_org,
        responsible_person=PersonFactory(organization=secret_org, last_name="Засекреченный"),
    )
    CooperationProjectFactory(title="Закрытый проект", resulting_agreement=agreement, is_public=False)
    visible_project = CooperationProject.objects.get(title="Поставка датчиков давления")
    ProjectPartyFactory(project=visible_project, organization=secret_org)
    AgreementFactory(title="Закрытое соглашение", slug="hidden", is_public=False)
    AgreementFactory(title="Закрытое новое соглашение", supersedes=agreement, is_public=False)
    hidden_mission = MissionFactory(title="Закрытая миссия", is_public=False)
    Agreement.objects.filter(pk=agreement.pk).update(signed_at_mission=hidden_mission)
    return secret_org


SECRETS = (
    "Закрытое предприятие",
    "Скрытный",
    "Засекреченный",
    "Закрытый проект",
    "Закрытое соглашение",
    "Закрытое новое соглашение",
    "Закрытая миссия",
)


@pytest.mark.parametrize("url", ["/agreements/", "/agreements/ulyanovsk-chelyabinsk/"])
def test_anonymous_never_sees_non_public_rows(en, hidden_rows, url):
    html = html_of(en.get(url))

    assert [secret for secret in SECRETS if secret in html] == []
    # The plan item itself is part of the public agreement; only who is responsible is hidden.
    if "ulyanovsk-chelyabinsk" in url:
        assert "Мероприятие закрытого предприятия" in html


def test_staff_sees_non_public_rows(staff_en, hidden_rows):
    html = html_of(staff_en.get("/agreements/")) + html_of(staff_en.get("/agreements/ulyanovsk-chelyabinsk/"))

    assert [secret for secret in SECRETS if secret not in html] == []


def test_non_public_agreement_is_404_like_a_missing_one(client, hidden_rows):
    hidden = client.get("/agreements/hidden/")
    missing = client.get("/agreements/no-such-agreement/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content.replace(b"hidden", b"X") == missing.content.replace(b"no-such-agreement", b"X")


# --- A fixed number of queries ---------------------------------------------------------------


def _add_agreements(count: int) -> None:
    for _ in range(count):
        agreement = AgreementFactory(valid_until=datetime.date(2030, 1, 1))
        AgreementPartyFactory(agreement=agreement)
        AgreementPartyFactory(agreement=agreement)
        PlanItemFactory(agreement=agreement)
        PlanItemFactory(agreement=agreement, status=PlanItem.Status.DONE, completed_on=datetime.date(2025, 1, 1))


def _fill_agreement(agreement: Agreement, count: int) -> None:
    for _ in range(count):
        organization = OrganizationFactory()
        AgreementPartyFactory(agreement=agreement, organization=organization)
        SignatoryFactory(
            agreement=agreement, person=PersonFactory(organization=organization), on_behalf_of=organization
        )
        project = CooperationProjectFactory()
        ProjectPartyFactory(project=project, organization=organization)
        item = PlanItemFactory(
            agreement=agreement,
            responsible_organization=organization,
            responsible_person=PersonFactory(organization=organization),
        )
        item.projects.add(project)
        CooperationProjectFactory(resulting_agreement=agreement)
        AgreementFactory(supersedes=agreement)
        ReportedFigureFactory(mission=None, agreement=agreement)


@pytest.mark.parametrize("as_staff", [False, True])
def test_registry_runs_the_same_queries_for_2_and_50_agreements(client, staff_user, as_staff):
    if as_staff:
        client.force_login(staff_user)
    _add_agreements(2)
    few = query_count(client, "/agreements/")
    _add_agreements(48)
    many = query_count(client, "/agreements/")

    assert few == many


@pytest.mark.parametrize("as_staff", [False, True])
def test_status_page_runs_the_same_queries_for_2_and_50_rows(client, staff_user, as_staff):
    if as_staff:
        client.force_login(staff_user)
    agreement = AgreementFactory(slug="busy", signed_at_mission=MissionFactory())
    _fill_agreement(agreement, 2)
    few = query_count(client, "/agreements/busy/")
    _fill_agreement(agreement, 48)
    many = query_count(client, "/agreements/busy/")

    assert few == many
