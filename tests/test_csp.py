"""The Content-Security-Policy: on every response of the portal, and its own policy on the API docs.

The header is parsed directive by directive and compared with the policy written out here, on every
URL of the permission matrix, for every role (anonymous, companies, staff, an official, a superuser),
on redirects, on the admin, on 404 and 500 pages. The templates are read for what the policy would
refuse in a browser: style attributes, inline scripts and event handlers.
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from tests.test_permission_matrix import ROLES, _client_for, all_routes, urls_for, world  # noqa: F401 - world: fixture

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

PORTAL_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

# Swagger UI and Redoc write styles at run time, draw data: icons and run a blob: worker; scripts stay 'self'.
DOCS_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "worker-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
DOCS_ROUTES = {"api:docs", "api:redoc"}
# An agreement's document (agreements:document) is a download that runs and loads nothing, even if
# a browser were to render it; its 404 is the portal's page, with the portal's policy.
DOCUMENT_POLICY = {"default-src": ["'none'"], "sandbox": []}
DOCUMENT_ROUTES = {"agreements:document"}


def policy_of(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}; a directive given twice is an error."""
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.request['PATH_INFO']}"
    policy = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *sources = part.split()
        assert name not in policy, f"{name} given twice in {header!r}"
        policy[name] = sources
    return policy


@pytest.mark.parametrize("role", ROLES)
def test_every_url_of_the_matrix_sends_the_portal_policy(world, role):  # noqa: F811 - the fixture
    client = _client_for(role, world)
    wrong, seen = [], set()
    for route in all_routes():
        if route.name is None:
            continue
        for variant, url in urls_for(route, world):
            response = client.get(url)
            seen.add(response.status_code)
            expected = DOCS_POLICY if route.name in DOCS_ROUTES else PORTAL_POLICY
            if route.name in DOCUMENT_ROUTES and response.status_code == 200:
                expected = DOCUMENT_POLICY
            if policy_of(response) != expected:
                header = response["Content-Security-Policy"]
                wrong.append(f"{route.name}[{variant}] {url} ({response.status_code}): {header}")
    assert not wrong, "\n" + "\n".join(wrong)
    assert {200, 404} <= seen  # pages, and objects this role may not see (or that do not exist)


@pytest.mark.parametrize("role", ["anonymous", "company_a", "staff_x", "superuser"])
@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",  # the portal's 404 page
        "/admin/no-such-page/",  # the admin's catch-all
        "/admin/login/",
        "/account/login/",
        "/api/v1/no-such-endpoint/",  # the API's 404 in its error shape
        "/api/v1/regions/?page=999",
    ],
)
def test_error_and_login_pages_send_the_portal_policy(world, role, url):  # noqa: F811 - the fixture
    response = _client_for(role, world).get(url)

    assert response.status_code in {200, 302, 404}
    assert policy_of(response) == PORTAL_POLICY


def test_a_post_answer_sends_the_portal_policy(world):  # noqa: F811 - the fixture
    response = Client().post("/account/login/", {"username": "rep-a", "password": "wrong"})

    assert response.status_code == 200
    assert "form" in response.content.decode()
    assert policy_of(response) == PORTAL_POLICY


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*portal_urlpatterns, path("boom/", _boom)]


@pytest.mark.urls("tests.test_csp")
def test_the_server_error_page_sends_the_portal_policy(db):
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    assert policy_of(response) == PORTAL_POLICY


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_docs_send_their_own_policy(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    assert policy_of(response) == DOCS_POLICY
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), "an inline script the policy would refuse"


def test_the_swagger_start_up_script_is_a_file_of_its_own(client, db):
    response = client.get("/api/v1/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in response.content.decode()
    assert "/api/v1/schema/" in response.content.decode()


# --- The templates: nothing the policy refuses -----------------------------------------------

STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc\s*=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["'{]""", re.I)
JAVASCRIPT_URL = re.compile(r"""=\s*["']\s*javascript:""", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
# The API docs' pages have their own policy, which allows inline styles (test_the_api_docs_send_their_own_policy).
STYLE_ELEMENT_ALLOWED = {"drf_spectacular/redoc.html"}


def _page_templates() -> list[Path]:
    """Every template but the e-mails (read by mail clients, not under the portal's policy)."""
    return sorted(p for p in TEMPLATES.rglob("*.html") if "emails" not in p.relative_to(TEMPLATES).parts)


def test_the_template_scan_reads_the_pages():
    names = {str(p.relative_to(TEMPLATES)) for p in _page_templates()}

    assert {"base.html", "portal/dashboard.html", "admin/base_site.html"} <= names
    assert not any(name.startswith("emails/") for name in names)


@pytest.mark.parametrize(
    ("snippet", "pattern"),
    [
        ('<span style="width: 5%">', STYLE_ATTRIBUTE),
        ("<script>alert(1)</script>", INLINE_SCRIPT),
        ('<script type="module">', INLINE_SCRIPT),
        ('<button onclick="go()">', EVENT_HANDLER),
        ("<body onload='go()'>", EVENT_HANDLER),
        ('<a href="javascript:go()">', JAVASCRIPT_URL),
        ("<style>p { color: red }</style>", STYLE_ELEMENT),
    ],
)
def test_the_template_scan_finds_what_the_policy_refuses(snippet, pattern):
    assert pattern.search(snippet)


@pytest.mark.parametrize(
    "snippet",
    ["<script src=\"{% static 'js/layout.js' %}\" defer></script>", '<p class="online">', "<meter data-style=x>"],
)
def test_the_template_scan_leaves_what_the_policy_allows(snippet):
    patterns = [STYLE_ATTRIBUTE, INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL, STYLE_ELEMENT]

    assert [p.pattern for p in patterns if p.search(snippet)] == []


def test_no_page_template_has_inline_style_script_or_event_handler():
    found = []
    for template in _page_templates():
        name = str(template.relative_to(TEMPLATES))
        text = template.read_text(encoding="utf-8")
        checks = {
            "style attribute": STYLE_ATTRIBUTE,
            "inline script": INLINE_SCRIPT,
            "event handler": EVENT_HANDLER,
            "javascript: URL": JAVASCRIPT_URL,
        }
        if name not in STYLE_ELEMENT_ALLOWED:
            checks["style element"] = STYLE_ELEMENT
        for what, pattern in checks.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}: {match.group(0)}")
    assert found == []
