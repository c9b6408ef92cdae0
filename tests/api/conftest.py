import copy

import pytest
from django.db import transaction

from tests.api import Api, ApiWorld, build_world


@pytest.fixture(scope="module")
def _world_of_the_module(django_db_setup, django_db_blocker) -> ApiWorld:
    """The world, built once for the tests of a module that ask for it, in a transaction of its own
    that is rolled back after the module: building it for each test took a quarter of the time of
    tests/api."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def api_world(_world_of_the_module, db) -> ApiWorld:
    """The world as if built for this test alone: the test runs in a savepoint of the world's
    transaction, rolled back after it, and gets its own copy of the world's objects."""
    return copy.deepcopy(_world_of_the_module)


@pytest.fixture
def api(api_world) -> Api:
    return Api(api_world)
