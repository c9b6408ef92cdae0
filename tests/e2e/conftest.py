"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live_server.

Playwright's own browser download cannot work on the build machines, so the tests use the system
Chromium (CHROMIUM_PATH, else `chromium` on PATH) and skip when there is none — or fail when
REQUIRE_SERVICES=1, as in CI. One browser serves a test module; every test gets a fresh context
(cookies, language) and a fresh copy of the demo data.

Every page runs under the portal's Content-Security-Policy, and a violation fails the test: every
context opened from `browser` reports the page's `securitypolicyviolation` events, which the test's
BrowserWatch (or, for tests that open their own contexts, the teardown of `no_csp_violation`) turns
into a failure. Chromium also logs each violation as a console error, which BrowserWatch catches too.
"""

import io
import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from tests.conftest import require_service
from tests.helpers import PRODUCTION_STORAGES, collect_production_static

# No sandbox: CI runs as root in a container. No background traffic: the machine has no internet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and os.access(path, os.X_OK) else None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The system Chromium, checked before the database and the live server are set up for nothing."""
    try:
        import playwright.sync_api  # noqa: F401 - only whether it imports
    except ImportError:
        require_service(False, "playwright is not installed (pip install -r requirements-dev.txt)")
    path = chromium_path()
    require_service(path is not None, "no Chromium found: set CHROMIUM_PATH or apt-get install chromium")
    return path


@pytest.fixture(scope="module", autouse=True)
def production_static_storage(chromium_executable):
    """The browser tests see the pages as a server renders them: the production static storage
    (hashed names, a manifest), whose files are collected into STATIC_ROOT for the live server.

    For the tests of this module only: the test settings' plain storage stays for the tests after it.
    """
    collect_production_static()
    with override_settings(STORAGES=PRODUCTION_STORAGES):
        yield


@pytest.fixture(scope="module")
def browser(chromium_executable, live_server):
    """One Chromium per test module.

    Not per session: while Playwright runs, its event loop counts as running in this thread, and the
    tests collected after this module (async_to_sync, asyncio.run) must not see it. It starts after
    the live server so it closes before it: its keep-alive connections must be gone before the server
    stops sharing the test database connection with its threads.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = _serialized_test_databases()
    with sync_playwright() as playwright:
        _restore_serialized_test_databases(serialized)
        browser = playwright.chromium.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
        yield CspWatchedBrowser(browser)
        browser.close()
        # The connections opened while the loop ran are not the ones django_db_setup will close.
        connections.close_all()


# Runs in every document before its own scripts: each violation of the page's policy is reported to the
# test through the context's binding, whichever page or frame it happens in, before or after a navigation.
CSP_VIOLATION_SCRIPT = """
document.addEventListener('securitypolicyviolation', (event) => {
    const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : '';
    const sample = event.sample ? ` (${event.sample})` : '';
    window.__cspViolationsSeen = (window.__cspViolationsSeen || 0) + 1;  // a test may wait for it
    window.__reportCspViolation(
        `${event.effectiveDirective} refused ${event.blockedURI || 'inline'} on ${event.documentURI}${where}${sample}`
    );
}, true);
"""


class CspWatchedBrowser:
    """The module's Chromium, every new context of which reports CSP violations into `violations`.

    A wrapper rather than a fixture per context: the tests that open contexts of their own (other
    widths, other time zones) are watched the same way without knowing about it.
    """

    def __init__(self, browser):
        self._browser = browser
        self.violations: list[str] = []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.expose_binding("__reportCspViolation", lambda _source, text: self.violations.append(text))
        context.add_init_script(CSP_VIOLATION_SCRIPT)
        return context

    def take_violations(self) -> list[str]:
        taken, self.violations = self.violations, []
        return taken

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def no_csp_violation(request):
    """After each browser test: no page it opened broke the Content-Security-Policy.

    Looked up only after the test, and only if the test used a browser: no Chromium is started for it.
    """
    yield
    if "browser" not in request.fixturenames:
        return
    violations = request.getfixturevalue("browser").take_violations()
    assert not violations, "\n".join(["Content-Security-Policy violations:", *violations])


def _serialized_test_databases() -> dict[str, str]:
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _restore_serialized_test_databases(serialized: dict[str, str]) -> None:
    """Hand the test databases' serialized contents to the connections Django uses from now on.

    While Playwright's event loop runs, asyncio reports a running loop in this thread, so Django's
    thread-critical connection handler switches to context-local storage and opens new connection
    objects. Serialized rollback (which puts back the region directory loaded by migrations) reads
    the contents that django_db_setup saved on the old objects.
    """
    from django.db import connections

    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


def _no_static_handler(application):
    return application


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, serving static files through WhiteNoise as production does.

    pytest-django wraps its server in StaticFilesHandler, which looks files up by their source names
    and so answers 404 to the hashed names that the manifest storage writes into every page. Here the
    requests reach WhiteNoiseMiddleware, which serves STATIC_ROOT — collected again when a source file
    changed, so the pages carry the current CSS.
    """
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _no_static_handler
    server.start()
    yield server
    server.stop()


@pytest.fixture
def demo_data(transactional_db, django_db_serialized_rollback):
    """The demo data set, loaded into the database the live server reads.

    live_server needs transactional_db, whose teardown empties every table; serialized rollback puts
    back what the migrations loaded (the region directory) before the next test.
    """
    call_command("load_demo", no_login=True, stdout=io.StringIO(), stderr=io.StringIO())


@dataclass
class BrowserWatch:
    """Console errors, uncaught exceptions, failed requests and CSP violations seen by one page."""

    origin: str
    browser: CspWatchedBrowser | None = None
    problems: list[str] = field(default_factory=list)
    pages: list = field(default_factory=list)

    def attach(self, page) -> None:
        self.pages.append(page)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            self.problems.append(f"console error: {message.text} ({location.get('url', '')})")

    def _on_request_failed(self, request) -> None:
        self.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _on_response(self, response) -> None:
        if response.status >= 400 and self._ours(response.url):
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def _ours(self, url: str) -> bool:
        return urlsplit(url)[:2] == urlsplit(self.origin)[:2]

    def csp_violations(self) -> list[str]:
        """The violations reported so far. A round trip to each open page first: a report sent by the
        page before it arrives before the answer, so none is still on its way."""
        if self.browser is None:
            return []
        for page in self.pages:
            if not page.is_closed():
                page.evaluate("0")
        return [f"CSP violation: {violation}" for violation in self.browser.take_violations()]

    def check(self, where: str) -> None:
        problems, self.problems = self.problems + self.csp_violations(), []
        assert not problems, f"{where}: the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def watch(live_server, browser) -> BrowserWatch:
    return BrowserWatch(origin=live_server.url, browser=browser)


@pytest.fixture
def page(browser, live_server, watch):
    """A Russian-speaking visitor's tab on the live server, watched for errors."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="ru-RU",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch.attach(page)
    yield page
    context.close()
