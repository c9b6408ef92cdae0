"""One error shape for every error, paging, ordering and the search of the directory."""

import pytest
from django.test import Client

from tests import factories as f
from tests.api import API, Api, assert_error_shape

# --- One error shape --------------------------------------------------------------------------


def test_a_bad_filter_is_a_400_in_the_error_shape(api):
    errors = assert_error_shape(api.get("missions/", {"region": "no-such-region"}), 400)

    assert [e["field"] for e in errors] == ["region"]
    assert errors[0]["code"] == "invalid_choice"


def test_a_bad_body_is_a_400_naming_each_field(api):
    response = api.post(
        "projects/public-project-x/updates/", {"stage": "sideways", "next_step_due": "soon"}, role="staff_x"
    )

    errors = assert_error_shape(response, 400)
    assert {e["field"] for e in errors} == {"stage", "next_step_due"}
    assert {e["code"] for e in errors} == {"invalid_choice", "invalid"}


def test_not_signed_in_is_a_401_in_the_error_shape(api):
    response = api.get("me/")

    errors = assert_error_shape(response, 401)
    assert errors[0]["field"] is None
    assert errors[0]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_key_is_a_401_in_the_error_shape(api):
    errors = assert_error_shape(api.get("missions/", key="mp_not-a-real-key"), 401)

    assert errors[0]["code"] == "authentication_failed"


def test_a_forbidden_write_is_a_403_in_the_error_shape(api):
    response = api.post("projects/public-project-x/updates/", {"note": "Чужой проект"}, role="staff_y")

    errors = assert_error_shape(response, 403)
    assert errors[0]["code"] == "permission_denied"


def test_a_missing_object_is_a_404_in_the_error_shape(api):
    errors = assert_error_shape(api.get("missions/no-such-mission/"), 404)

    assert errors[0] == {"field": None, "code": "not_found", "message": errors[0]["message"]}


def test_a_method_not_allowed_is_a_405_in_the_error_shape(api):
    response = api.client.delete(API + "missions/public-mission-x/", headers=api.world.headers("staff_x"))

    errors = assert_error_shape(response, 405)
    assert errors[0]["code"] == "method_not_allowed"


def test_a_body_that_is_not_json_is_a_415_in_the_error_shape(api):
    response = api.client.post(
        API + "projects/public-project-x/updates/", {"note": "x"}, headers=api.world.headers("staff_x")
    )  # a form, not JSON

    errors = assert_error_shape(response, 415)
    assert errors[0]["code"] == "unsupported_media_type"


def test_an_accept_header_the_api_does_not_serve_is_a_406(api):
    response = api.get("missions/", HTTP_ACCEPT="application/xml")

    assert response.status_code == 406


def test_the_messages_follow_the_language_of_the_request(api):
    russian = api.get("missions/no-such-mission/").json()["errors"][0]["message"]
    english = api.get("missions/no-such-mission/", HTTP_ACCEPT_LANGUAGE="en").json()["errors"][0]["message"]

    assert russian != english
    assert english == "Not found."


def test_a_session_write_without_the_csrf_token_is_refused(api_world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_world.users["staff_x"])
    project = api_world.projects["public-project-x"]

    response = client.post(
        API + "projects/public-project-x/updates/", {"note": "Из браузера"}, content_type="application/json"
    )

    errors = assert_error_shape(response, 403)
    assert "CSRF" in errors[0]["message"]
    assert project.updates.count() == 1  # only the one the world made


# --- Paging ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "", str(10**20)])
def test_a_page_that_is_not_a_positive_whole_number_is_a_400(api, page):
    errors = assert_error_shape(api.get("regions/", {"page": page}), 400)

    assert [e["field"] for e in errors] == ["page"]


def test_a_page_past_the_last_is_empty_with_the_count_and_a_link_back_to_the_last(api):
    body = api.get("regions/", {"page": 100, "page_size": 25}).json()

    # The directory: 89 federal subjects and 248 foreign countries.
    assert body == {
        "count": 337,
        "next": None,
        "previous": "http://testserver/api/v1/regions/?page=14&page_size=25",
        "results": [],
    }
    assert len(api.get(body["previous"]).json()["results"]) == 337 - 13 * 25


@pytest.mark.parametrize("page_size", ["0", "-5", "abc", ""])
def test_a_page_size_that_is_not_a_positive_whole_number_is_a_400(api, page_size):
    errors = assert_error_shape(api.get("regions/", {"page_size": page_size}), 400)

    assert [e["field"] for e in errors] == ["page_size"]


def test_a_page_size_above_100_is_capped_at_100(api):
    f.RegionFactory.create_batch(15)  # with the 89 federal subjects and 248 countries of the directory: 352

    body = api.get("regions/", {"page_size": 1000}).json()

    assert body["count"] == 352
    assert len(body["results"]) == 100
    assert "page_size=1000" in body["next"]


def test_pages_follow_each_other_without_gaps_or_repeats(api):
    expected = api.get("regions/", {"page_size": 100}).json()["count"]
    seen, url = [], API + "regions/?page_size=7"
    while url:
        body = api.get(url).json()
        seen += [r["slug"] for r in body["results"]]
        url = body["next"]

    assert len(seen) == len(set(seen)) == expected


def test_the_default_page_is_25_rows(api):
    body = api.get("regions/").json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 25
    assert body["previous"] is None


# --- Ordering ------------------------------------------------------------------------------------


def test_ordering_by_a_whitelisted_field(api_world):
    api = Api(api_world)
    f.MissionFactory(slug="early", start_date="2024-03-01", end_date="2024-03-02")
    f.MissionFactory(slug="late", start_date="2026-03-01", end_date="2026-03-02")

    newest_first = [m["slug"] for m in api.get("missions/", {"ordering": "-start_date"}).json()["results"]]
    oldest_first = [m["slug"] for m in api.get("missions/", {"ordering": "start_date"}).json()["results"]]

    assert newest_first[0] == "late" and newest_first[-1] == "early"
    assert oldest_first[0] == "early" and oldest_first[-1] == "late"


@pytest.mark.parametrize("ordering", ["password", "organizer__name", "-nope", "is_public", "__class__", "start_date,,"])
def test_ordering_by_a_field_not_whitelisted_is_ignored(api, ordering):
    default = api.get("missions/", role="staff_x").json()["results"]

    response = api.get("missions/", {"ordering": ordering}, role="staff_x")

    assert response.status_code == 200
    assert [m["slug"] for m in response.json()["results"]] == [m["slug"] for m in default]


# --- Search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["завод альфа", "ЗАВОД АЛЬФА", "Альфа", "альф"])
def test_the_search_finds_cyrillic_names_whatever_the_case(api, query):
    response = api.get("organizations/", {"q": query})

    assert response.status_code == 200
    assert "company-a" in [o["slug"] for o in response.json()["results"]]


def test_the_search_finds_an_inn(api):
    slugs = [o["slug"] for o in api.get("organizations/", {"q": "7400000001"}).json()["results"]]

    assert slugs == ["company-b"]


def test_the_search_never_finds_a_hidden_organization_for_the_public(api):
    assert api.get("organizations/", {"q": "скрытый"}).json()["count"] == 0
    assert api.get("organizations/", {"q": "скрытый"}, role="official").json()["count"] == 2


# --- Every URL under /api/v1/ ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["nothing-here/", "organizations/No such region./", "people/-1.5e-3/", "missions/public-mission-x/extra/"]
)
def test_an_api_url_that_does_not_exist_is_a_404_in_the_error_shape(api, path):
    """A path the router does not know, such as a slug with a dot that is not a format suffix (the
    router's lookup stops at dots): schemathesis sends those, and gets Django's HTML page."""
    response = api.get(API + path, role="staff_x")

    assert_error_shape(response, 404)


def test_a_format_suffix_on_an_action_is_not_a_server_error(api_world):
    """The router also serves `…/updates.json`; the action must take (or the router not offer) `format`."""
    client = Client(raise_request_exception=False)
    project = api_world.projects["public-project-x"]

    response = client.post(
        API + "projects/public-project-x/updates.json",
        {"note": "Через суффикс"},
        content_type="application/json",
        headers=api_world.headers("staff_x"),
    )

    assert response.status_code < 500
    assert response.status_code in (201, 404)
    if response.status_code == 404:
        assert_error_shape(response, 404)
        assert project.updates.count() == 1


@pytest.mark.parametrize("path", ["missions.json", "missions/public-mission-x.json", "missions.xml"])
def test_there_are_no_format_suffixes(api, path):
    """JSON is the one format: `.json` is no other address of the same answer."""
    assert_error_shape(api.get(API + path), 404)


# --- Filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["meetings/", "me/meetings/"])
@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC: Python cannot convert it (SQLite: OverflowError)
        "9999-12-31T23:00:00-05:00",  # after year 9999 in UTC (likewise)
        "2025-01-01T00:00:00+22:23",  # a valid RFC 3339 offset that PostgreSQL refuses (DataError)
    ],
)
def test_a_date_time_filter_the_database_cannot_take_is_refused_not_a_500(api_world, path, value):
    client = Client(raise_request_exception=False)

    response = client.get(API + path, {"starts_after": value}, headers=api_world.headers("company_a"))

    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        assert [e["field"] for e in assert_error_shape(response, 400)] == ["starts_after"]


@pytest.mark.parametrize(("path", "name"), [("meetings/", "starts_before"), ("projects/", "next_step_due_before")])
def test_an_empty_date_filter_is_no_filter(api, path, name):
    """As on the pages: `?starts_before=` is the field left empty, not an invalid date (schemathesis
    calls it schema-invalid; the fuzzing test leaves that one case out)."""
    everything = api.get(path, role="staff_x").json()

    assert api.get(path, {name: ""}, role="staff_x").json() == everything
    assert_error_shape(api.get(path, {name: "not-a-date"}, role="staff_x"), 400)


def test_a_nul_character_is_cleaned_from_a_search_and_refused_in_a_filter(api):
    assert "company-a" in [o["slug"] for o in api.get("organizations/", {"q": "Альфа\x00"}).json()["results"]]

    errors = assert_error_shape(api.get("meetings/", {"mission": "public-mission-x\x00"}), 400)

    assert [(e["field"], e["code"]) for e in errors] == [("mission", "null_characters_not_allowed")]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "projects/a%00b/"), ("get", "organizations/a%00b/"), ("post", "projects/a%00b/updates/")],
)
def test_a_slug_with_a_nul_character_is_a_404_not_a_500(api_world, method, path):
    """PostgreSQL refuses a NUL in a query's text: the lookup must treat it as "no such row"."""
    client = Client(raise_request_exception=False)

    response = getattr(client, method)(
        API + path, {"note": "x"}, content_type="application/json", headers=api_world.headers("staff_x")
    )

    assert_error_shape(response, 404)
