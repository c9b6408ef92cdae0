"""The schema and its documentation pages: served by the portal itself, nothing from a CDN."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ATTRIBUTE_URL = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|url:\s*["']([^"']+)["']""")


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_pages_use_only_local_files(client, db, path, production_static):
    response = client.get(path)

    assert response.status_code == 200
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "http" not in policy  # nor can a bundle fetch from elsewhere
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    urls = [a or b for a, b in ATTRIBUTE_URL.findall(html)]
    own_script = f"{path}?script="  # Swagger's start-up script: a file of its own, for the page's policy
    if own_script in urls:
        script = client.get(own_script).content.decode()
        assert "http://" not in script and "https://" not in script and "//cdn" not in script
        urls += [a or b for a, b in ATTRIBUTE_URL.findall(script)]
    assert "/api/v1/schema/" in urls
    static = [url for url in urls if url not in {"/api/v1/schema/", own_script}]
    assert static, "the page loads its scripts from somewhere"
    for url in static:
        assert url.startswith(settings.STATIC_URL), url
        assert (Path(settings.STATIC_ROOT) / url.removeprefix(settings.STATIC_URL)).is_file(), url


def test_the_static_files_of_the_pages_are_served(client, db, production_static):
    html = client.get("/api/v1/redoc/").content.decode()
    script = re.search(r'<script src="([^"]+)"', html)[1]

    response = client.get(script)

    assert response.status_code == 200


def test_the_schema_is_openapi_3_with_every_error_documented(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": schema["components"]["securitySchemes"]["apiKey"]["description"],
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "405", "406"} <= codes, (method, path)
            assert ("404" in codes) is ("{" in path), (method, path)
            assert ("415" in codes) is (method == "post"), (method, path)
            for code in codes - {"200", "201"}:
                content = operation["responses"][code]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_the_schema_lists_every_operation(client, db):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()

    operations = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}

    lists = ["regions", "sectors", "organizations", "people", "missions", "meetings", "agreements", "projects"]
    details = {"people": "{id}", "meetings": "{id}"}
    expected = {("GET", f"/api/v1/{name}/") for name in lists}
    expected |= {("GET", f"/api/v1/{name}/{details.get(name, '{slug}')}/") for name in lists}
    expected |= {("GET", "/api/v1/me/"), ("GET", "/api/v1/me/meetings/"), ("GET", "/api/v1/me/projects/")}
    expected |= {("POST", "/api/v1/projects/{slug}/updates/"), ("GET", "/api/v1/missions/{slug}/outcomes/")}
    expected |= {("POST", "/api/v1/drafts/")}
    assert operations == expected
