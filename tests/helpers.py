"""Helpers shared by the page tests."""

import fcntl
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import translation

from config import settings as production_settings

# What a server collects and serves with: hashed names, compressed copies, a manifest. The test
# settings use plain storage; the tests of what this storage adds switch to it.
PRODUCTION_STORAGES = production_settings.STORAGES


def query_count(client, url: str) -> int:
    """SQL queries of one GET of `url` (which must answer 200), after a warm-up request.

    The warm-up keeps what is cached once per process (content types, translations) out of the
    count, so 2 rows and 50 rows compare only what grows with the rows.
    """
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def html_of(response) -> str:
    """The body of a page that must answer 200."""
    assert response.status_code == 200
    return response.content.decode()


def section_of(html: str, heading_id: str) -> str:
    """The inner HTML of the <section> labelled by the heading with this id."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', html, re.S)
    assert match, heading_id
    return match[1]


def non_field_messages(instance) -> list[str]:
    """The row-level (constraint) messages full_clean() raises for `instance`, in English."""
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict.get(NON_FIELD_ERRORS, [])


def collect_production_static() -> Path:
    """STATIC_ROOT as `collectstatic` with the production storage leaves it on a server.

    Collected again only when it has no manifest or a file under static/ changed since it was
    written. Parallel test processes (pytest-xdist workers) share STATIC_ROOT: a lock next to it
    makes the others wait for the one that collects, rather than write the same files at once.
    """
    root = Path(settings.STATIC_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f".{root.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _manifest_is_current(root / "staticfiles.json"):
            with override_settings(STORAGES=PRODUCTION_STORAGES):
                call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _manifest_is_current(manifest: Path) -> bool:
    if not manifest.exists():
        return False
    written = manifest.stat().st_mtime
    sources = (path for folder in settings.STATICFILES_DIRS for path in Path(folder).rglob("*") if path.is_file())
    return all(path.stat().st_mtime <= written for path in sources)
