import os

import pytest


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def require_service(available: bool, reason: str) -> None:
    """Skip a test whose service is missing, or fail it when REQUIRE_SERVICES=1 (CI)."""
    if available:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def staff_user(db):
    from tests.factories import StaffUserFactory

    return StaffUserFactory(username="staff")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
