"""A visitor's journey through the public pages in a real browser, with accessibility scans.

Links are followed by clicking what the previous page shows; only the home page is opened by URL.
Links are found by the data they show (region, company and mission names are not translated) or, for
the main navigation, by their address, so the tests hold in both languages.
"""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"
BLOCKING_IMPACTS = ("serious", "critical")

CHELYABINSK = "Челябинская область"
PAIR = "Челябинская область — Ульяновская область"
URAL = "Автозавод «Урал»"
YUGRA_MISSION = "Бизнес-миссия Челябинской области в Ханты-Мансийский автономный округ — Югру"
RETURN_MISSION = "Ответная бизнес-миссия Челябинской области в Ульяновскую область"
YUGRA_PLAN = re.compile(r"^План мероприятий по реализации Соглашения между правительствами ХМАО")
YUGRA_PLAN_URL = "/agreements/khmao-chelyabinsk-plan-2022-2024/"


def expect(target):
    from playwright.sync_api import expect

    return expect(target)


def screenshot(page, name: str) -> None:
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS_DIR / f"{name}.png"), full_page=True)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:10]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def accessibility_violations(page, where: str) -> list[str]:
    """What axe-core (shipped inside axe-playwright-python, no network) finds serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    return [f"{where} ({page.url}):\n{format_violations(blocking)}"] if blocking else []


def nav_link(page, path: str):
    return page.locator(f'header nav a[href="{path}"]')


def section(page, heading_id: str):
    return page.locator(f'section[aria-labelledby="{heading_id}"]')


def follow(page, link) -> None:
    """Click a link the page shows and wait for the next page to load."""
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()


def arrive(page, watch, name: str, url_path: str, inaccessible: list[str]) -> None:
    """The page at url_path loaded without browser errors; screenshot it and scan it with axe-core.

    Accessibility violations are collected, not raised, so one run reports them for every page.
    """
    expect(page).to_have_url(re.compile(re.escape(url_path) + r"(\?.*)?$"))
    page.wait_for_load_state("load")
    watch.check(name)
    screenshot(page, name)
    inaccessible += accessibility_violations(page, name)
    watch.check(f"{name} (during the accessibility scan)")


def test_journey_from_home_to_dashboard_by_links(page, watch, demo_data):
    inaccessible: list[str] = []
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator('[data-figure="missions"] .value')).not_to_have_text("0")
    expect(page.locator('[data-list="agreements"]').get_by_role("link", name=YUGRA_PLAN)).to_be_visible()
    arrive(page, watch, "home", "/", inaccessible)

    follow(page, nav_link(page, "/regions/"))
    arrive(page, watch, "regions", "/regions/", inaccessible)
    # 89 subjects fill more than one page: narrow the list to the regions with something to show.
    filters = page.locator("form.filters")
    filters.get_by_role("checkbox").check()
    follow(page, filters.locator('button[type="submit"]'))

    follow(page, page.get_by_role("link", name=CHELYABINSK, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(CHELYABINSK)
    organizations = section(page, "organizations-heading")
    for company in (URAL, "АльфаПаскаль", "Челябинский кузнечнопрессовый завод"):
        expect(organizations.get_by_role("link", name=company, exact=True)).to_be_visible()
    arrive(page, watch, "region", "/regions/chelyabinsk-oblast/", inaccessible)

    follow(page, page.get_by_role("link", name=PAIR, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(PAIR)
    expect(page.get_by_role("link", name=RETURN_MISSION, exact=True).first).to_be_visible()
    agreements = section(page, "agreements-heading")
    for title in ("Соглашение между Ульяновским и Челябинским", "Соглашение между Фондом развития промышленности"):
        expect(agreements.get_by_role("link", name=re.compile(f"^{title}"))).to_be_visible()
    contracts = section(page, "contracts-heading")
    expect(contracts.get_by_role("link", name="Соглашение о поставке эталонных сенсоров давления")).to_be_visible()
    projects = section(page, "projects-heading")
    for company in ("Мидаус", "АльфаПаскаль", "Автокомпонент", URAL):
        expect(projects.get_by_role("link", name=company, exact=True).first).to_be_visible()
    arrive(page, watch, "region-pair", "/regions/chelyabinsk-oblast/ulyanovsk-oblast/", inaccessible)

    follow(page, page.get_by_role("link", name=URAL, exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Автомобильный завод «Урал»")
    expect(section(page, "projects-heading")).to_contain_text("Изготовление карданных валов отбора мощности")
    arrive(page, watch, "company", "/companies/avtozavod-ural/", inaccessible)

    follow(page, section(page, "missions-heading").get_by_role("link", name=YUGRA_MISSION, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(YUGRA_MISSION)
    delegation = section(page, "delegation-heading")
    expect(delegation.get_by_role("link", name=URAL, exact=True)).to_be_visible()
    # The press release lists twelve Chelyabinsk companies; the regional government leads the delegation.
    assert delegation.locator("ul.delegation > li").count() >= 12
    expect(delegation).to_contain_text("Текслер")
    arrive(page, watch, "mission", "/missions/chelyabinsk-yugra-utro/", inaccessible)

    follow(page, section(page, "agreements-heading").get_by_role("link", name=YUGRA_PLAN))
    expect(page.get_by_role("heading", level=1)).to_have_text(YUGRA_PLAN)
    plan = section(page, "plan-heading")
    expect(plan.get_by_role("table")).to_be_visible()
    expect(plan.get_by_role("row")).to_have_count(6)  # the header and five plan items
    expect(plan.get_by_role("rowheader", name=re.compile("^Развитие авиасообщения"))).to_be_visible()
    # The 2022–2024 plan ended on 31 December 2024 with nothing reported done: every item is overdue.
    expect(plan.locator("tr.plan-item.overdue")).to_have_count(5)
    arrive(page, watch, "agreement", YUGRA_PLAN_URL, inaccessible)

    follow(page, nav_link(page, "/dashboard/"))
    funnel = page.locator('[data-funnel="total"]')
    for stage in ("organizations", "meetings", "projects", "contracts"):
        expect(funnel.locator(f'[data-stage="{stage}"] b')).to_have_text(re.compile(r"^\d+$"))
    expect(funnel.locator('[data-stage="organizations"] b')).not_to_have_text("0")
    expect(section(page, "overdue-heading")).to_contain_text("План мероприятий")
    arrive(page, watch, "dashboard", "/dashboard/", inaccessible)

    assert not inaccessible, "accessibility violations (serious or critical):\n" + "\n".join(inaccessible)


def test_language_switch_between_russian_and_english(page, watch, demo_data):
    page.goto("/")
    html, regions = page.locator("html"), nav_link(page, "/regions/")
    expect(html).to_have_attribute("lang", "ru")

    follow(page, page.get_by_role("button", name="EN", exact=True))
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="EN", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(regions).to_have_text("Regions")
    expect(nav_link(page, "/dashboard/")).to_have_text("Dashboard")

    # The choice sticks while browsing: the next page is in English too, and RU switches back there.
    follow(page, regions)
    expect(html).to_have_attribute("lang", "en")
    follow(page, page.get_by_role("button", name="RU", exact=True))
    expect(page).to_have_url(re.compile(r"/regions/$"))
    expect(html).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name="RU", exact=True)).to_have_attribute("aria-pressed", "true")
    # Russian navigation needs the compiled catalogue (locale/ru/LC_MESSAGES/django.mo, `make messages`).
    expect(regions).to_have_text("Регионы")
    expect(nav_link(page, "/dashboard/")).not_to_have_text("Dashboard")
    watch.check("language switch")


def test_agreement_status_page_prints_on_a4_without_navigation(page, watch, demo_data):
    page.goto(YUGRA_PLAN_URL)
    expect(page.locator("header.site-header")).to_be_visible()

    page.emulate_media(media="print")
    for chrome in ("header.site-header", "header nav", ".lang-switch", "footer.site-footer"):
        expect(page.locator(chrome)).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(YUGRA_PLAN)
    expect(section(page, "plan-heading").get_by_role("table")).to_be_visible()

    screenshot(page, "agreement-print")
    pdf = page.pdf(format="A4", print_background=True)
    (SCREENSHOTS_DIR / "agreement.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 10_000
    watch.check("print")
