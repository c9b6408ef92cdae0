"""The browser tests fail on a Content-Security-Policy violation, and the API docs work under their policy.

The violations are real ones: markup injected into a page the live server sent with the portal's
policy, which Chromium refuses and reports. A test that let them pass would prove nothing about the
other browser tests, which all run with the policy on.
"""

import re

import pytest

pytestmark = pytest.mark.e2e

# Markup an attacker (or a careless template) could put in a page: each piece is refused by the policy.
INLINE_STYLE = '<div id="injected-style" style="color: rgb(255, 0, 0)">injected</div>'
INLINE_HANDLER = '<img id="injected-handler" src="/static/no-such-image.png" onerror="window.handlerRan = true">'
INLINE_SCRIPT = (
    "const s = document.createElement('script'); s.textContent = 'window.scriptRan = true'; document.body.append(s);"
)


@pytest.fixture
def live_db(transactional_db, django_db_serialized_rollback):
    """The database the live server reads, put back as the migrations left it (as in conftest's demo_data)."""


# A predicate of `wait_for_function` is given as a function: Playwright compiles the text with `eval`
# once, inside its first evaluation (which the policy lets through), and calls the function on the
# later polls. A bare expression is compiled again on every poll, and the policy refuses that eval
# whenever the first poll comes too early (an image still loading): the test failed on a busy machine.


def expect(target):
    from playwright.sync_api import expect

    return expect(target)


def test_the_watch_fails_a_page_with_an_inline_style(page, watch, live_db):
    page.goto("/account/login/")
    watch.check("the login page as sent")

    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", INLINE_STYLE)
    page.wait_for_function("() => window.__cspViolationsSeen > 0")  # the event fires asynchronously

    with pytest.raises(AssertionError, match=r"CSP violation: style-src(-attr)? refused inline on .*/account/login/"):
        watch.check("the injected style")
    colour = page.evaluate("getComputedStyle(document.getElementById('injected-style')).color")
    assert colour != "rgb(255, 0, 0)"  # refused, not merely reported


def test_the_watch_fails_a_page_with_an_inline_script_or_handler(page, watch, live_db):
    page.goto("/account/login/")
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", INLINE_HANDLER)
    page.evaluate(INLINE_SCRIPT)
    page.wait_for_function("() => document.getElementById('injected-handler').complete")
    page.wait_for_function("() => window.__cspViolationsSeen >= 2")  # the events fire asynchronously

    with pytest.raises(AssertionError) as failure:
        watch.check("the injected script")

    reported = str(failure.value)
    assert re.search(r"CSP violation: script-src-attr refused inline", reported), reported
    assert re.search(r"CSP violation: script-src-elem refused inline", reported), reported
    assert page.evaluate("[window.handlerRan, window.scriptRan]") == [None, None]


def test_a_violation_after_a_navigation_is_still_reported(page, watch, live_db):
    page.goto("/account/login/")
    page.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", INLINE_STYLE)
    page.wait_for_function("() => window.__cspViolationsSeen > 0")  # the event fires asynchronously; then leave
    page.goto("/account/password-reset/")

    with pytest.raises(AssertionError, match=r"style-src(-attr)? refused inline on .*/account/login/"):
        watch.check("a page left behind")


def test_a_context_the_test_opens_itself_is_watched_too(browser, live_server, live_db):
    """test_layout and test_admin_width open contexts of their own: their violations fail them as well."""
    context = browser.new_context(base_url=live_server.url)
    try:
        tab = context.new_page()
        tab.goto("/account/login/")
        tab.evaluate("html => document.body.insertAdjacentHTML('beforeend', html)", INLINE_STYLE)
        tab.wait_for_function("() => window.__cspViolationsSeen > 0")  # the event fires asynchronously
        tab.evaluate("0")  # the report, sent before this answer, has arrived
    finally:
        context.close()

    violations = browser.take_violations()  # taken here: left in place, they would fail this test's teardown

    assert len(violations) == 1, violations
    assert re.match(r"style-src(-attr)? refused inline on .*/account/login/", violations[0]), violations


REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"  # Redoc's bundle links its logo from a CDN


@pytest.mark.parametrize(
    ("url", "shown", "refused"),
    [
        ("/api/v1/docs/", "#swagger-ui .opblock-summary-path", []),
        ("/api/v1/redoc/", "redoc [data-section-id^='tag/']", [REDOC_LOGO]),
    ],
)
def test_the_api_docs_render_under_their_own_policy(page, watch, live_db, url, shown, refused):
    response = page.goto(url)

    assert response.status == 200
    assert "'unsafe-inline'" not in re.search(r"script-src ([^;]*)", response.headers["content-security-policy"])[1]
    expect(page.locator(shown).first).to_be_visible(timeout=20_000)
    assert page.locator(shown).count() > 5  # the operations (or their groups), read from the schema
    problems = watch.problems + watch.csp_violations()
    watch.problems = []
    # The one thing refused is what the policy is there to stop: a request to another host.
    assert [p for p in problems if not any(blocked in p for blocked in refused)] == []
    assert [p for p in problems if p.startswith("CSP violation")] == [
        f"CSP violation: img-src refused {blocked} on {page.url}" for blocked in refused
    ]
