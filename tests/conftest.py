import os

import pytest
from django.utils import translation


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Tests that drive other processes and a browser: under pytest-xdist (`make test`) they form one
# group that one worker runs in order while the others share the unit tests.
SERIAL_MARKERS = ("integration", "e2e")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.get_closest_marker(name) for name in SERIAL_MARKERS):
            item.add_marker(pytest.mark.xdist_group("serial"))


_emptied_by_serialized_rollback = False


@pytest.hookimpl(tryfirst=True)  # before the item's fixtures, so outside any test transaction
def pytest_runtest_setup(item):
    """Before the first test after one with serialized rollback (the integration and browser tests),
    put back what the migrations loaded: the region directory, groups, reminder policy, content types.

    The transactional teardown of such a test empties every table and leaves the restoring to the
    next test with serialized rollback. pytest-django runs those tests after all others, so in one
    process no test noticed; a test process that runs them first (pytest-xdist gives one worker that group first), and
    the tests it takes next need those rows.
    """
    global _emptied_by_serialized_rollback
    serialized = "django_db_serialized_rollback" in item.fixturenames
    if _emptied_by_serialized_rollback and not serialized:  # such a test restores the rows itself
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                if contents := getattr(connection, "_test_serialized_contents", None):
                    connection.creation.deserialize_db_from_string(contents)
    _emptied_by_serialized_rollback = serialized


def require_service(available: bool, reason: str) -> None:
    """Skip a test whose service is missing, or fail it when REQUIRE_SERVICES=1 (CI)."""
    if available:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Each test starts with no cached dashboard figures: the database rolls back after a test, the
    cache does not, and a rollback sends no signal (config.portal.figures_cache)."""
    from django.core.cache import cache

    from config.portal.figures_cache import VERSION_KEY

    cache.delete(VERSION_KEY)  # the next read makes a new version: no entry of an earlier test is found


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages raised or printed outside a request are checked in English, the source language.

    A request still chooses its own language (Russian unless the client asks otherwise), so page
    tests see what users see.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def staff_user(db):
    from tests.factories import StaffUserFactory

    return StaffUserFactory(username="staff")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def en(client):
    """Pages in English, so assertions on texts hold whatever the Russian catalogue says."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def staff_en(client, staff_user):
    from django.conf import settings

    client.force_login(staff_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def production_static(settings):
    """Static files as a server has them: STATIC_ROOT collected by the production storage (hashed
    names, a manifest), and pages rendered with that storage. STATIC_ROOT is returned.

    The test settings use plain storage, so that no other test needs `collectstatic`.
    """
    from tests.helpers import PRODUCTION_STORAGES, collect_production_static

    root = collect_production_static()
    settings.STORAGES = PRODUCTION_STORAGES
    return root
