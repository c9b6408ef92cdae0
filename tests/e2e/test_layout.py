"""Every public and personal-area page fits a phone (390 px) and a laptop (1,366 px): no sideways scroll.

The pages are the ones the permission matrix knows: every URL an anonymous visitor gets as a page
(the public pages, opened as anonymous), every personal-area URL a company representative gets as a
page (opened as company A's representative), and the one-click follow-up page with a valid link. They
are opened on the matrix's `world` and, for data shaped like the real thing, on the demo data set.
A screenshot of each is saved under var/screenshots/layout/; with README_SCREENSHOTS=1 the demo run
also writes the README's screenshots into docs/.
"""

import io
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agreements.followup.links import reminder_link_token
from companies.models import Person
from config.portal.demo.loader import demo_logins_ensure
from tests import test_permission_matrix as matrix

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots" / "layout"
README_SCREENSHOTS = ROOT / "docs"
WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
NOT_PAGES = ("/api/", "/admin/", "/healthz", "/i18n/")
NOT_PAGE_ENDINGS = (".ics", ".pdf")  # files to download (a mission's calendar, a B2B table plan), not pages
NOT_PAGE_ROUTES = {"agreements:document", "b2b:agenda-ics", "b2b:agenda-pdf"}  # always attachments
LONG_NAME = {"first_name": "Константин-Александр", "last_name": "Преображенский-Верхнеудинский"}

world = matrix.world


def pages_for(role: str, w, prefix: str = "") -> list[tuple[str, str]]:
    """(name, URL) of every matrix URL that `role` gets as a page (HTTP 200, no API, no admin)."""
    pages = []
    for route in matrix.all_routes():
        if route.name is None or not route.name.startswith(prefix):
            continue
        for variant, url in matrix.urls_for(route, w):
            if (
                url.startswith(NOT_PAGES)
                or url.endswith(NOT_PAGE_ENDINGS)
                or route.name in NOT_PAGE_ROUTES
                or matrix.expectation(route, role, variant, w) != 200
            ):
                continue
            pages.append((f"{route.name}[{variant}]" if variant else route.name, url))
    return sorted(pages)


def public_and_account_pages(w) -> dict[str, list[tuple[str, str]]]:
    """The pages each visitor opens: the public ones as anonymous, the personal area as company A."""
    public = pages_for("anonymous", w)
    own = pages_for("company_a", w, prefix="account:") + pages_for("company_a", w, prefix="b2b:")
    account = [page for page in own if page not in public]
    reminder = w.objects["agreements_reminder"]
    token_url = reverse("followup:update", kwargs={"token": reminder_link_token(reminder)})
    return {"anonymous": public + [("followup:update[valid]", token_url)], "company": account}


@pytest.fixture
def tab(browser, live_server):
    """A factory of Russian-speaking tabs of one width, signed in as `user` when one is given."""
    contexts = []

    def open_tab(viewport, user=None):
        context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport=viewport)
        context.set_default_timeout(15_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies["sessionid"]
            context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


WIDEST = """() => {
    const root = document.documentElement;
    const limit = window.innerWidth;
    return {
        clipped: [...document.querySelectorAll('.table-wrap')]
            .filter(w => w.scrollWidth > w.clientWidth + 1)
            .map(w => (w.querySelector('caption') || w.querySelector('th') || w).textContent.trim().slice(0, 60)
                + ` (${w.scrollWidth} px in ${w.clientWidth} px)`),
        scroll: root.scrollWidth,
        inner: limit,
        wide: [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > limit + 1 && e.offsetParent !== null)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > limit + 1))
            .slice(0, 3)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (typeof e.className === 'string' && e.className
                    ? '.' + e.className.trim().replace(/\\s+/g, '.') : '')),
    };
}"""


def sideways(page, name: str, url: str, width: str, shots: Path) -> str | None:
    """Open `url`; screenshot it; the offence if the page is wider than the window, or a table is wider
    than its scroll box (its last columns cut off)."""
    response = page.goto(url)
    assert response.status == 200, f"{name} {url}: HTTP {response.status}"
    page.wait_for_load_state("load")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{width}-{name.replace(':', '-')}.png"), full_page=True)
    found = page.evaluate(WIDEST)
    if found["scroll"] > found["inner"]:
        return f"{width} {name} {url}: {found['scroll']} px > {found['inner']} px; widest: {found['wide']}"
    if found["clipped"]:  # the page fits, but a table hides columns in its scroll box
        return f"{width} {name} {url}: a table is cut off: {found['clipped']}"
    return None


def representative_of_company_a(w):
    person = Person.objects.get(user=w.users["company_a"])
    for field, value in LONG_NAME.items():
        setattr(person, field, value)
        setattr(person.user, field, value)
    person.save()
    person.user.save()
    return person.user


def test_no_page_scrolls_sideways_or_cuts_a_table_on_a_phone_or_a_laptop(
    transactional_db, django_db_serialized_rollback, world, tab
):
    pages = public_and_account_pages(world)
    assert len(pages["anonymous"]) >= 18 and len(pages["company"]) >= 10, pages  # every page, not a handful
    users = {"anonymous": None, "company": representative_of_company_a(world)}

    offenders = []
    for width, viewport in WIDTHS.items():
        for who, listed in pages.items():
            page = tab(viewport, users[who])
            for name, url in listed:
                if offence := sideways(page, name, url, width, SCREENSHOTS / "matrix"):
                    offenders.append(offence)
            page.context.close()
    assert not offenders, f"{len(offenders)} pages scroll sideways:\n" + "\n".join(offenders)


def header_on_one_line(page) -> bool:
    """Every item of the header shares a horizontal band with every other: none sits below another."""
    return page.evaluate(
        "() => { const boxes = [...document.querySelectorAll('.header-row > *')]"
        ".filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect());"
        " return Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom)); }"
    )


def test_the_signed_in_header_keeps_one_line_on_a_laptop(transactional_db, django_db_serialized_rollback, world, tab):
    """A representative with a long name: brand, navigation, who is signed in and the way out on one line."""
    user = representative_of_company_a(world)
    page = tab(WIDTHS["laptop"], user)

    for url in (reverse("portal:home"), reverse("account:home"), reverse("agreements:list")):
        page.goto(url)
        assert header_on_one_line(page), f"{url}: the header wraps"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366


# The README's screenshots: (file in docs/, URL on the demo data, who is signed in).
README_PAGES = [
    ("home", "/", None),
    ("dashboard", "/dashboard/", None),
    ("region", "/regions/chelyabinsk-oblast/", None),
    ("region-pair", "/regions/chelyabinsk-oblast/ulyanovsk-oblast/", None),
    ("mission", "/missions/chelyabinsk-ulyanovsk-return/", None),
    ("agreement", "/agreements/khmao-chelyabinsk-plan-2022-2024/", None),
    ("company", "/companies/midaus/", None),
    ("agreements", "/agreements/", None),
    ("missions", "/missions/", None),
    ("calendar", "/missions/calendar/", None),
    ("account", "/account/", "company-midaus"),
    ("account-meetings", "/account/meetings/", "company-midaus"),
    ("account-projects", "/account/projects/", "company-midaus"),
]
IN_README = {"home", "dashboard", "region", "region-pair", "mission", "agreement", "company", "account"}


def test_the_demo_pages_fit_and_their_screenshots(transactional_db, django_db_serialized_rollback, tab):
    """The demo data's long names, many meetings and plans: every README page fits at both widths."""
    call_command("load_demo", no_login=True, stdout=io.StringIO(), stderr=io.StringIO())
    demo_logins_ensure(password="browser-test-password")
    users = {None: None, "company-midaus": get_user_model().objects.get(username="company-midaus")}
    refresh_readme = os.environ.get("README_SCREENSHOTS") == "1"

    offenders = []
    for width, viewport in WIDTHS.items():
        for who in users:
            page = tab(viewport, users[who])
            for name, url, signed_in in README_PAGES:
                if signed_in != who:
                    continue
                if offence := sideways(page, name, url, width, SCREENSHOTS / "demo"):
                    offenders.append(offence)
                if refresh_readme and name in IN_README:
                    # the laptop's whole page as before; the phone's first screen, as a phone shows it
                    suffix = "" if width == "laptop" else "-phone"
                    page.evaluate("window.scrollTo(0, 0)")
                    page.screenshot(path=str(README_SCREENSHOTS / f"{name}{suffix}.png"), full_page=width == "laptop")
            page.context.close()
    assert not offenders, f"{len(offenders)} demo pages scroll sideways:\n" + "\n".join(offenders)


def test_the_calendar_address_is_copied_by_its_button_on_a_phone(
    transactional_db, django_db_serialized_rollback, world, tab, live_server
):
    page = tab(WIDTHS["phone"], representative_of_company_a(world))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(reverse("account:meetings"))
    address = page.locator("#feed-url").input_value()

    page.get_by_role("button", name="Копировать").click()

    # the clipboard answers asynchronously: wait for the button to say so (it says it for two seconds)
    from playwright.sync_api import expect

    expect(page.locator("[data-copy-target=feed-url]")).to_have_text("Скопировано")
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert address.startswith(live_server.url + "/account/meetings/feed/") and address.endswith(".ics")
    box = page.locator(".copy-field").bounding_box()
    assert box["x"] + box["width"] <= 390
