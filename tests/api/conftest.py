import pytest

from tests.api import Api, ApiWorld, build_world


@pytest.fixture
def api_world(db) -> ApiWorld:
    return build_world()


@pytest.fixture
def api(api_world) -> Api:
    return Api(api_world)
