"""A visitor's journey through the public pages in a real browser, with accessibility scans."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "var" / "screenshots"
BLOCKING_IMPACTS = ("serious", "critical")


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


def assert_accessible(page, where: str) -> None:
    """axe-core (shipped inside axe-playwright-python, no network) finds nothing serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{where} ({page.url}): accessibility violations:\n{format_violations(blocking)}"


def nav(page):
    return page.get_by_role("navigation", name=re.compile("Основная навигация|Main navigation"))


def test_smoke_navigation_renders_everywhere(page, watch):
    page.goto("/regions/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    for label, path in [
        (r"Регионы|Regions", "/regions/"),
        (r"Предприятия|Компании|Companies", "/companies/"),
        (r"Миссии|Missions", "/missions/"),
        (r"Соглашения|Agreements", "/agreements/"),
        (r"Дашборд|Панель|Сводка|Dashboard", "/dashboard/"),
    ]:
        label = re.compile(f"^({label})$")
        nav(page).get_by_role("link", name=label).click()
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(nav(page).get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
        watch.check(path)
        assert_accessible(page, path)
