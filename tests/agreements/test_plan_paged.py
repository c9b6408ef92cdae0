"""An agreement's plan at scale on its status page: counted by status in SQL, overdue items first across
the pages, the table paged; the same queries for 3 items and for 300; the printed report still lists
the whole plan; the registry and the status page give the same counts."""

import datetime
import re

import pytest
import time_machine

from agreements.models import Agreement, PlanItem
from tests.factories import AgreementFactory, OrganizationFactory, PersonFactory
from tests.helpers import html_of, section_of

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 2, 19, 12, 0, tzinfo=datetime.UTC)
DONE, PLANNED, IN_PROGRESS, CANCELLED = (
    PlanItem.Status.DONE,
    PlanItem.Status.PLANNED,
    PlanItem.Status.IN_PROGRESS,
    PlanItem.Status.CANCELLED,
)


@pytest.fixture
def agreement():
    return AgreementFactory(slug="plan", title="Соглашение с планом", valid_until=datetime.date(2030, 1, 1))


def add_items(agreement: Agreement, count: int, *, status=PLANNED, due=datetime.date(2026, 6, 1), action="Мероприятие"):
    """`count` items numbered in their actions; a done item has its completion date."""
    first = PlanItem.objects.filter(agreement=agreement).count()
    PlanItem.objects.bulk_create(
        PlanItem(
            agreement=agreement,
            number=f"{first + n + 1:03d}",
            action=f"{action} {first + n + 1:03d}",
            status=status,
            due_date=due,
            completed_on=datetime.date(2025, 1, 1) if status == DONE else None,
        )
        for n in range(count)
    )


def get(client, url: str) -> str:
    with time_machine.travel(TODAY, tick=False):
        return html_of(client.get(url))


def plan_section(client, query: str = "") -> str:
    return section_of(get(client, f"/agreements/plan/{query}"), "plan-heading")


def actions(html: str) -> list[str]:
    return re.findall(r'<th scope="row">((?:Мероприятие|Просрочено) \d+)', html)


def test_overdue_items_come_first_across_the_pages(en, agreement):
    add_items(agreement, 52, status=DONE, due=datetime.date(2024, 6, 1))
    add_items(agreement, 2, status=IN_PROGRESS, due=datetime.date(2025, 12, 1), action="Просрочено")
    add_items(agreement, 1, status=PLANNED, due=None)

    first, second = plan_section(en), plan_section(en, "?plan=2")

    assert actions(first) == ["Просрочено 053", "Просрочено 054"] + [f"Мероприятие {n:03d}" for n in range(1, 49)]
    assert actions(second) == [
        "Мероприятие 049",
        "Мероприятие 050",
        "Мероприятие 051",
        "Мероприятие 052",
        "Мероприятие 055",
    ]
    assert len(re.findall(r'<tr class="plan-item overdue">', first)) == 2
    assert 'href="?plan=2#plan-table" rel="next"' in first
    assert "Page 1 of 2" in first and 'id="plan-table"' in first


def test_the_counts_cover_the_whole_plan_not_the_page(en, agreement):
    add_items(agreement, 40, status=DONE, due=datetime.date(2024, 6, 1))
    add_items(agreement, 7, status=PLANNED, due=datetime.date(2025, 12, 1))  # overdue
    add_items(agreement, 3, status=IN_PROGRESS, due=datetime.date(2025, 11, 1))  # overdue
    add_items(agreement, 4, status=IN_PROGRESS, due=datetime.date(2026, 2, 19))  # due today: not yet
    add_items(agreement, 5, status=PLANNED, due=None)
    add_items(agreement, 2, status=CANCELLED)

    html = get(en, "/agreements/plan/")
    plan = section_of(html, "plan-heading")

    counts = dict(re.findall(r"</i>([a-z ()]+): <b>(\d+)</b>", plan))
    assert counts == {
        "done": "40",
        "in progress": "4",
        "overdue": "10",
        "planned": "5",
        "cancelled (not counted)": "2",
    }
    assert 'aria-label="40 of 59 items done"' in plan
    assert '<span class="value">40 / 59</span>' in html and '<span class="value">10</span>' in html
    assert len(actions(plan)) == 50


def test_the_registry_and_the_status_page_count_the_plan_alike(en, agreement):
    add_items(agreement, 3, status=DONE, due=datetime.date(2024, 6, 1))
    add_items(agreement, 2, status=PLANNED, due=datetime.date(2025, 12, 1))  # overdue
    add_items(agreement, 1, status=IN_PROGRESS, due=datetime.date(2026, 6, 1))
    add_items(agreement, 1, status=CANCELLED)

    registry, page = get(en, "/agreements/"), get(en, "/agreements/plan/")

    assert '<span class="value">3 / 6</span>' in page and "3 of 6 done" in registry
    assert '<span class="value">2</span><span class="label">plan items overdue</span>' in page
    assert '<span class="badge bad">2 overdue</span>' in registry
    assert 'class="done pct-50"' in registry and 'class="done pct-50"' in page


@pytest.mark.parametrize("page", ["abc", "0", "99", ""])
def test_a_bad_plan_page_shows_the_nearest_page(en, agreement, page):
    add_items(agreement, 53)

    shown = actions(plan_section(en, f"?plan={page}"))

    assert shown in ([f"Мероприятие {n:03d}" for n in range(1, 51)], [f"Мероприятие {n:03d}" for n in range(51, 54)])


def test_a_short_plan_has_no_pager(en, agreement):
    add_items(agreement, 3)

    html = plan_section(en)

    assert actions(html) == ["Мероприятие 001", "Мероприятие 002", "Мероприятие 003"]
    assert 'class="pagination"' not in html


def test_the_printed_report_lists_the_whole_plan(en, agreement):
    add_items(agreement, 58, status=DONE, due=datetime.date(2024, 6, 1))
    add_items(agreement, 2, status=PLANNED, due=datetime.date(2025, 12, 1), action="Просрочено")

    html = get(en, "/agreements/plan/report/")

    table = re.search(r'<table class="plan-table">(.*?)</table>', html, re.S)[1]
    assert actions(table) == ["Просрочено 059", "Просрочено 060"] + [f"Мероприятие {n:03d}" for n in range(1, 59)]
    assert 'class="pagination"' not in html


def _fill(agreement: Agreement, count: int) -> None:
    """Items of every status, a third with a responsible organization and person."""
    add_items(agreement, count // 3, status=DONE, due=datetime.date(2024, 6, 1))
    add_items(agreement, count // 3, status=PLANNED, due=datetime.date(2025, 12, 1))
    add_items(agreement, count - 2 * (count // 3), status=IN_PROGRESS)
    organization = OrganizationFactory()
    person = PersonFactory(organization=organization)
    PlanItem.objects.filter(agreement=agreement, status=DONE).update(
        responsible_organization=organization, responsible_person=person
    )


@pytest.mark.parametrize(
    ("who", "query", "queries"), [("anonymous", "", 14), ("anonymous", "?plan=4", 14), ("staff", "", 17)]
)
@pytest.mark.parametrize("count", [3, 300])
def test_the_status_page_runs_the_same_queries_for_3_and_300_plan_items(
    client, staff_user, django_assert_num_queries, agreement, who, query, queries, count
):
    if who == "staff":
        client.force_login(staff_user)
    _fill(agreement, count)
    client.get(f"/agreements/plan/{query}")  # what is cached once per process stays out of the count

    with django_assert_num_queries(queries):
        response = client.get(f"/agreements/plan/{query}")

    assert response.status_code == 200
    assert PlanItem.objects.filter(agreement=agreement).count() == count
