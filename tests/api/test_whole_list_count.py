"""The count of a whole API list is kept with the figures (config.api_pagination.whole_list_count):
counted once per visibility scope, counted again after a write, never shared between scopes, and a
filtered list is always counted."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f


def _count_queries(api, path, params=None, role=None):
    with CaptureQueriesContext(connection) as queries:
        body = api.get(path, params, role=role).json()
    return body["count"], sum(
        1 for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT COUNT")
    )


def test_the_whole_list_is_counted_once_then_read_from_the_cache(api):
    first = _count_queries(api, "organizations/")
    second = _count_queries(api, "organizations/", {"page_size": 1})

    assert first[1] == 1 and second == (first[0], 0)


def test_a_write_counts_the_list_again(api, api_world):
    before, _ = _count_queries(api, "organizations/")

    f.OrganizationFactory(region=api_world.region_x, is_public=True)

    assert _count_queries(api, "organizations/") == (before + 1, 1)


def test_each_scope_has_its_own_count(api):
    public, _ = _count_queries(api, "organizations/")
    everything, queries = _count_queries(api, "organizations/", role="official")

    assert queries == 1  # not the anonymous visitor's number
    assert everything > public
    assert _count_queries(api, "organizations/", role="company_a") == (public, 0)  # the public scope's


def test_a_filtered_list_is_counted_each_time(api, api_world):
    params = {"region": api_world.region_x.slug}
    _count_queries(api, "organizations/", params)

    count, queries = _count_queries(api, "organizations/", params)

    assert queries == 1
    assert count == _count_queries(api, "organizations/", {**params, "page": 1})[0]
