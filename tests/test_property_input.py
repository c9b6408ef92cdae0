"""No input in the address gives a 5xx (issue 14): arbitrary Unicode strings as every query parameter
the pages and API lists read (their filter sets' fields, paging, search, ordering, format) and as
names no view reads, anonymous and as a signed-in staff member, on every page and API list of the
permission matrix's URL walk."""

import django_filters
from django.conf import settings as django_settings
from django.test import Client
from django.urls import get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_permission_matrix as matrix
from tests.test_permission_matrix import admin_model_view, all_routes, urls_for

world = matrix.world  # the matrix's fixture: the rows of every kind that could leak

# What the views read besides their filter sets' fields.
COMMON_PARAMETERS = [
    "page", "page_size", "q", "ordering", "format", "month", "days", "year", "term", "next",
    "app_label", "model_name", "field_name", "o", "p", "e", "_changelist_filters", "_popup", "_to_field",
]  # fmt: skip

SPECIAL_VALUES = [
    "", "0", "-1", "-0", "²", "¹²", "٣", "１２", "9" * 5000, "-" + "9" * 30, "1e309", "NaN", "1.5", " 1",
    "\x00", "a\x00b", "\u200f", "\u202eabc", "\u200b", "%", "%%", "%00", "'", "\"", "' OR 1=1 --", "\\",
    "x" * 3000, "я" * 1000, "💥", "<script>", "2025-13", "2025-02-30", "9999-99", "true", "[]", "{}",
]  # fmt: skip


def filter_parameters() -> list[str]:
    """The fields of every FilterSet of the portal's apps (pages and API alike)."""
    get_resolver().url_patterns  # noqa: B018 -- imports every view, so every FilterSet is defined
    names, pending = set(), [django_filters.FilterSet]
    while pending:
        filterset = pending.pop()
        pending += filterset.__subclasses__()
        if filterset.__module__.split(".")[0] in {*django_settings.PORTAL_APPS, "config"}:
            names |= set(filterset.base_filters)
    return sorted(names)


PARAMETERS = COMMON_PARAMETERS + filter_parameters()


def page_urls(w) -> list[str]:
    """Every page and API list: each URL of the matrix but the admin's object pages (their add,
    change, delete and history forms read no more of the address than the changelist does)."""
    urls = []
    for route in all_routes():
        if route.name is None:
            continue
        view = admin_model_view(route.name)
        if view and view[1] != "changelist":
            continue
        urls += [url for variant, url in urls_for(route, w) if variant in ("", "public", "missing")]
    return sorted(set(urls))


values = st.one_of(
    st.sampled_from(SPECIAL_VALUES),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=4),  # digits of other scripts, ², ½
    st.text(st.characters(exclude_categories=["Cs"]), max_size=50),  # lone surrogates cannot be URL-encoded
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
names = st.one_of(
    st.sampled_from(["page", "page_size", "q", "ordering", "format"]),
    st.sampled_from(PARAMETERS),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20),
)
queries = st.dictionaries(names, st.one_of(values, st.lists(values, min_size=2, max_size=3)), min_size=1, max_size=4)


def test_the_walk_reaches_pages_api_lists_and_changelists(world):
    urls = page_urls(world)

    assert {"/companies/", "/missions/", "/api/v1/organizations/", "/admin/companies/organization/"} <= set(urls)
    assert {"region", "stage", "kind", "q"} <= set(PARAMETERS)


def test_no_query_string_gives_a_server_error(world):
    urls = page_urls(world)
    clients = {"anonymous": Client(), "staff_x": Client()}
    clients["staff_x"].force_login(world.users["staff_x"])
    # The API, the admin and the pages are drawn equally often, whatever the number of URLs of each.
    strata = [[u for u in urls if u.startswith("/api/")], [u for u in urls if u.startswith("/admin/")]]
    strata.append([u for u in urls if u not in strata[0] + strata[1]])
    any_url = st.one_of(*(st.sampled_from(stratum) for stratum in strata))

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(role=st.sampled_from(sorted(clients)), url=any_url, query=queries)
    def no_server_error(role, url, query):
        response = clients[role].get(url, query)
        assert response.status_code < 500, (role, url, query)

    no_server_error()
