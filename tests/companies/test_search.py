"""Searching the directory: case folding on every backend, INN prefixes, stemming on PostgreSQL,
ranking, and any input at all giving a page."""

import re
from urllib.parse import quote

import pytest
from django.db import connection

from companies.forms import SearchQueryField
from companies.models import Organization
from companies.search import MAX_QUERY_LENGTH, normalize_query, search_organizations
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


@pytest.fixture
def directory():
    return {
        "midaus": OrganizationFactory(
            name="Общество с ограниченной ответственностью «Мидаус»",
            short_name="ООО «Мидаус»",
            inn="7327012345",
            products="Эталонные сенсоры давления, калибраторы",
        ),
        "shafts": OrganizationFactory(
            name="АО «Челябинский кузнечно-прессовый завод»",
            short_name="АО «ЧКПЗ»",
            inn="7449006184",
            products="Карданные валы, поковки",
            capabilities="Горячая штамповка",
        ),
        "bearings": OrganizationFactory(
            name="ООО «Подшипник»", inn="7325000000", products="Подшипники для датчиков давления"
        ),
        "hidden": OrganizationFactory(name="ООО «Мидаус-Скрытый»", inn="7327099999", is_public=False),
    }


def names_found(client, query: str) -> list[str]:
    response = client.get("/companies/", {"q": query})
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a href="/companies/[^"]+/">([^<]+)</a>', response.content.decode())


def test_lowercase_cyrillic_finds_capitalised_name_on_every_backend(client, directory):
    found = names_found(client, "мидаус")

    assert found == ["Общество с ограниченной ответственностью «Мидаус»"]


def test_uppercase_cyrillic_finds_name(client, directory):
    assert names_found(client, "МИДАУС") == ["Общество с ограниченной ответственностью «Мидаус»"]


def test_search_does_not_show_non_public_organizations(client, directory):
    assert "ООО «Мидаус-Скрытый»" not in names_found(client, "мидаус")
    assert names_found(client, "7327099") == []


def test_staff_search_finds_non_public_organizations(client, staff_user, directory):
    staff_user.save(update_fields=["password"])
    client.force_login(staff_user)

    assert "ООО «Мидаус-Скрытый»" in names_found(client, "мидаус")


def test_inn_prefix_finds_organization(client, directory):
    assert names_found(client, "7449") == ["АО «Челябинский кузнечно-прессовый завод»"]
    assert names_found(client, "7327 0123") == ["Общество с ограниченной ответственностью «Мидаус»"]
    assert names_found(client, "7327012345") == ["Общество с ограниченной ответственностью «Мидаус»"]


def test_inn_does_not_match_in_the_middle(client, directory):
    assert names_found(client, "012345") == []


def test_products_and_capabilities_are_searched(client, directory):
    assert names_found(client, "карданные валы") == ["АО «Челябинский кузнечно-прессовый завод»"]
    assert names_found(client, "штамповка") == ["АО «Челябинский кузнечно-прессовый завод»"]


def test_name_match_ranks_above_products_match(client, directory):
    OrganizationFactory(name="ООО «Датчик»", products="Термопары")

    found = names_found(client, "датчик")

    assert found[0] == "ООО «Датчик»"
    assert "ООО «Подшипник»" in found


def test_inflected_products_word_finds_other_forms(client, directory):
    # PostgreSQL stems with the 'russian' configuration; SQLite drops a common ending. "Датчик" is
    # a synonym of "сенсор" (the seeded dictionary), so the bearings for sensors are found too.
    assert set(names_found(client, "сенсоров")) == {
        "Общество с ограниченной ответственностью «Мидаус»",
        "ООО «Подшипник»",
    }
    assert names_found(client, "калибраторами") == ["Общество с ограниченной ответственностью «Мидаус»"]
    assert set(names_found(client, "давлением")) == {
        "Общество с ограниченной ответственностью «Мидаус»",
        "ООО «Подшипник»",
    }


@on_postgresql
def test_misspelt_name_is_found_by_trigrams_on_postgresql(client, directory):
    assert "Общество с ограниченной ответственностью «Мидаус»" in names_found(client, "мидас")


def test_search_on_other_fields_combines_with_filters(client, directory):
    assert set(names_found(client, "давления")) == {
        "Общество с ограниченной ответственностью «Мидаус»",
        "ООО «Подшипник»",
    }
    response = client.get("/companies/", {"q": "давления", "region": "chelyabinsk-oblast"})
    assert "Мидаус" not in response.content.decode()


HOSTILE = [
    "'",
    '"',
    "%",
    "_",
    "\\",
    "a & b | !c",
    "<->",
    ":*",
    "мидаус:*",
    "!!!",
    "x" * 10000,
    "\x00",
    "мид\x00аус",
    "💥🚀",
    "\ud800",
    "'; DROP TABLE companies_organization; --",
    "((((",
    "))",
    "-",
    '"unterminated',
    "OR",
    "   ",
    "\u200b",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: repr(q[:20]))
def test_any_search_input_gives_a_page_with_the_form(client, directory, query):
    # The test client cannot encode a lone surrogate; a browser would send its WTF-8 bytes.
    url = "/companies/?q=" + quote(query, errors="surrogatepass")
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<form class="filters"' in html and 'name="q"' in html
    assert "<script>alert(1)</script>" not in html


def test_long_search_is_cut_and_the_page_says_so(client, directory):
    response = client.get("/companies/", {"q": "мидаус " + "x" * 10000}, headers={"accept-language": "en"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"longer than {MAX_QUERY_LENGTH} characters" in html
    value = re.search(r'name="q" value="([^"]*)"', html).group(1)
    assert len(value) == MAX_QUERY_LENGTH


def test_nul_inside_a_word_is_removed_not_refused(client, directory):
    response = client.get("/companies/?q=%D0%BC%D0%B8%D0%B4%00")

    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


@pytest.mark.parametrize("query", ["\ud800", "мид\ud800аус", "\x00", "a\x00b", "%_\\", "x" * 5000, "💥"])
def test_search_function_accepts_any_text(directory, query):
    list(search_organizations(Organization.objects.all(), query))


def test_normalize_query_removes_nul_controls_and_surrogates():
    assert normalize_query("  мид\x00аус\t\n\ud800  ") == "мид аус"
    assert normalize_query("и\u0306") == "й"  # decomposed й becomes one character
    assert normalize_query(None) == ""


def test_search_field_caps_length():
    field = SearchQueryField(required=False)

    assert field.clean("я" * 500) == "я" * MAX_QUERY_LENGTH
    assert field.clean("\x00") == ""
