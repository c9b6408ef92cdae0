"""A ministry's staff member reads a real press release into a mission: paste, review, confirm.

The release is the Chelyabinsk → Yugra seed (`../shared/seeds/`, or RELEASE_SEEDS_DIR), read from
where it lies and never copied into the repository; the test is skipped with the reason when it is
absent. The review page is seen at 1,366 and 390 px (screenshots in var/screenshots/), scrolls no page
sideways and breaks no Content-Security-Policy rule.
"""

import os
from pathlib import Path

import pytest

from agreements.models import Agreement
from companies.models import Organization
from missions.models import Mission, Source
from tests.factories import MinistryStaffFactory, OrganizationFactory, directory_region

from .test_browser import screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"
SEED = "004_70c9ae3a1101e023.txt"
RELEASE_URL = "https://example.org/press/chelyabinsk-yugra"


def seed_text() -> str:
    folder = Path(os.environ.get("RELEASE_SEEDS_DIR") or Path(__file__).resolve().parents[3] / "shared" / "seeds")
    path = folder / SEED
    if not path.exists():
        pytest.skip(f"the seed release {SEED} is not in {folder} (set RELEASE_SEEDS_DIR)")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def chelyabinsk_staff(transactional_db, django_db_serialized_rollback):
    ministry = OrganizationFactory(
        name="Министерство промышленности, новых технологий и природных ресурсов Челябинской области (тест)",
        kind=Organization.Kind.GOVERNMENT,
        region=directory_region("74"),
    )
    return MinistryStaffFactory(username="staff-74-release", organization=ministry)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


def test_staff_member_reads_the_yugra_release_into_a_mission(browser, live_server, watch, chelyabinsk_staff):
    text = seed_text()
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(60_000)  # the first reading loads the language models
    page = context.new_page()
    watch.attach(page)

    page.goto("/admin/login/")
    page.fill("#id_username", chelyabinsk_staff.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("[type=submit]")
    page.goto("/admin/missions/mission/")
    with page.expect_navigation():
        page.get_by_role("link", name="Новая миссия из пресс-релиза").click()
    page.fill("#id_text", text)
    page.fill("#id_published", "09.08.2022")
    page.fill("#id_url", RELEASE_URL)
    page.fill("#id_outlet", "Правительство Челябинской области")
    with page.expect_navigation():
        page.get_by_role("button", name="Разобрать пресс-релиз").click()

    assert page.locator("h1").inner_text() == "Новая миссия из пресс-релиза"
    assert page.locator("mark.release-mark-organizations[id]").count() >= 12
    assert page.locator("mark.release-mark-people").count() >= 2
    assert page.locator(".release-section-organizations .release-row").count() >= 12
    assert page.locator("input[name$='-in_delegation']:checked").count() == 12
    assert no_sideways_scroll(page)
    screenshot(page, "release-review-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(page)
    screenshot(page, "release-review-390")
    page.set_viewport_size({"width": 1366, "height": 900})

    with page.expect_navigation():
        page.get_by_role("button", name="Подтвердить и сохранить").click()

    success = page.locator(".messagelist .success").inner_text()
    assert success.startswith("Миссия «") and "создана по пресс-релизу" in success
    mission = Mission.objects.get()
    assert page.url.endswith(f"/admin/missions/mission/{mission.pk}/change/")
    assert (mission.origin_region.code, [r.code for r in mission.destination_regions.all()]) == ("74", ["86"])
    assert mission.recorded_by == chelyabinsk_staff.person.organization
    companies = mission.delegation.filter(person=None, organization__kind=Organization.Kind.COMPANY)
    assert companies.count() == 12
    head = mission.head_of_delegation
    assert (head.full_name, head.position) == ("Алексей Текслер", "губернатор Челябинской области")
    assert mission.delegation.filter(person=head, role="head").count() == 1
    plan = Agreement.objects.get(signed_at_mission=mission, title__startswith="План мероприятий по реализации")
    assert plan.kind == "intergovernmental"
    assert sorted(plan.parties.values_list("organization__region__code", flat=True)) == ["74", "86"]
    source = Source.objects.get(url=RELEASE_URL)
    assert list(source.missions.all()) == [mission] and source.published_on.isoformat() == "2022-08-09"
    screenshot(page, "release-confirmed-1366")
    watch.check("the review of a release")
    context.close()
