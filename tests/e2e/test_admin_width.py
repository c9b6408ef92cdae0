"""The admin fits a 1,366 × 768 screen, and shows at most one time-zone note per page.

The pages are the ones the permission matrix knows: every changelist, add, change, history and
delete page of every model the admin registers, opened by a superuser (so every page opens and every
inline shows) on the matrix's `world`, which saves a row of each model through the factories.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests import test_permission_matrix as matrix

pytestmark = pytest.mark.e2e

SCREEN = {"width": 1366, "height": 768}
KINDS = ("changelist", "add", "change", "history", "delete")
TIME_ZONE_NOTE = "Время указывается местное для места проведения"

world = matrix.world  # one saved row of every model the admin shows


def admin_pages(w) -> list[tuple[str, str]]:
    """(URL name, URL) of every model page of KINDS that a superuser may open."""
    pages = []
    for route in matrix.all_routes():
        view = matrix.admin_model_view(route.name)
        if view is None or view[1] not in KINDS or view[1] in matrix.READ_ONLY_ADMINS.get(view[0], ()):
            continue
        pages += [(route.name, url) for _variant, url in matrix.urls_for(route, w)]
    return sorted(pages)


@pytest.fixture
def signed_in(browser, live_server):
    """A factory of superuser tabs: a Russian-speaking browser of the given time zone and width."""
    contexts = []

    def open_tab(user, *, timezone_id="Europe/Moscow", viewport=SCREEN):
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            base_url=live_server.url, locale="ru-RU", timezone_id=timezone_id, viewport=viewport
        )
        context.set_default_timeout(15_000)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def overflow(page) -> dict:
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1 && e.offsetParent !== null)
                .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > root.clientWidth + 1))
                .slice(0, 3)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[' + e.name + ']' : ''));
            return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide};
        }"""
    )


@pytest.mark.parametrize("sidebar", ["collapsed", "open"])
def test_no_admin_page_scrolls_sideways_at_1366(
    transactional_db, django_db_serialized_rollback, world, signed_in, sidebar
):
    """The navigation sidebar starts collapsed; opened, it leaves every page fitting as well."""
    superuser = get_user_model().objects.get(username="root")
    page = signed_in(superuser)
    if sidebar == "open":
        page.context.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'true')")
    pages = admin_pages(world)
    assert len(pages) > 100  # every model's pages, not a handful

    offenders = []
    for name, url in pages:
        response = page.goto(url)
        assert response.status == 200, f"{name} {url}: HTTP {response.status}"
        assert page.locator("#main").evaluate("main => main.classList.contains('shifted')") == (sidebar == "open")
        width = overflow(page)
        # No horizontal scroll bar: the page is no wider than the window (a vertical bar takes its part).
        if width["scroll"] > width["client"]:
            offenders.append(f"{name} {url}: {width['scroll']} px > {width['client']} px; widest: {width['wide']}")
    assert not offenders, f"{len(offenders)} admin pages scroll sideways at 1366 px:\n" + "\n".join(offenders)


@pytest.mark.parametrize("url_name", ["admin:missions_mission_change", "admin:missions_meeting_change"])
def test_one_time_zone_note_on_a_change_form_with_dates(
    transactional_db, django_db_serialized_rollback, world, signed_in, url_name
):
    """Vladivostok is seven hours ahead of Moscow: Django's admin would warn under every date field."""
    superuser = get_user_model().objects.get(username="root")
    page = signed_in(superuser, timezone_id="Asia/Vladivostok")
    obj = world.objects["missions_mission" if "mission_change" in url_name else "missions_meeting"]

    page.goto(reverse(url_name, args=[obj.pk]))

    page.wait_for_selector(".datetimeshortcuts")  # DateTimeShortcuts has run
    assert page.locator(".timezonewarning").count() == 0
    notes = page.locator(".time-zone-note")
    assert notes.count() == 1
    assert notes.inner_text().startswith(TIME_ZONE_NOTE)
    assert "серверного времени" not in page.locator("#content").inner_text()


def test_no_time_zone_note_on_a_form_without_dates(transactional_db, django_db_serialized_rollback, world, signed_in):
    superuser = get_user_model().objects.get(username="root")
    page = signed_in(superuser, timezone_id="Asia/Vladivostok")

    page.goto(reverse("admin:companies_sector_change", args=[world.objects["companies_sector"].pk]))

    assert page.locator("#content h1").inner_text() != ""
    assert page.locator(".time-zone-note").count() == 0
