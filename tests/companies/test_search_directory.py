"""The directory search as people use it: sectors with their subsectors, product synonyms, offers and
needs, INN and OGRN, typos, the synonym dictionary staff extend in the admin, why a row matched,
facets with counts, and the region directory opening on the active regions. Each test runs on the
embedded SQLite default and, with DATABASE_URL, on PostgreSQL."""

import io
import re
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.models import Organization, SearchSynonym
from companies.search import search_terms
from companies.search_text import marked_html, parse_query, snippet, stem
from tests.factories import (
    AgreementPartyFactory,
    MinistryStaffFactory,
    NeedFactory,
    OfferFactory,
    OrganizationFactory,
    SectorFactory,
    directory_region,
)

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigram similarity")


def names_found(client, query: str, **filters) -> list[str]:
    response = client.get("/companies/", {"q": query, **filters})
    assert response.status_code == 200
    return re.findall(r'<th scope="row"><a href="/companies/[^"]+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def directory():
    machinery = SectorFactory(name="Машиностроение", slug="mashinostroenie")
    aviation = SectorFactory(name="Авиация", slug="aviatsiya", parent=machinery)
    instruments = SectorFactory(name="Приборостроение", slug="priborostroenie")
    measuring = SectorFactory(name="Средства измерений", slug="sredstva-izmereniy", parent=instruments)
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    rows = {
        "aviastar": OrganizationFactory(
            name="Авиастар", inn="7328032711", ogrn="1027301159111", size="large", region=ulyanovsk
        ),
        "midaus": OrganizationFactory(
            name="Мидаус", products="Эталонные сенсоры давления.", size="small", region=ulyanovsk
        ),
        "foundry": OrganizationFactory(name="Уральский завод", region=chelyabinsk, size="medium"),
        "buyer": OrganizationFactory(name="Приборный завод", region=chelyabinsk, size="medium"),
        "plant": OrganizationFactory(name="Продмаш", region=chelyabinsk, kind=Organization.Kind.COMPANY),
        "ministry": OrganizationFactory(name="Министерство промышленности", kind=Organization.Kind.GOVERNMENT),
    }
    rows["aviastar"].sectors.add(aviation)
    rows["midaus"].sectors.add(measuring)
    rows["plant"].sectors.add(machinery)
    OfferFactory(organization=rows["foundry"], title="Литьё алюминиевых сплавов под давлением")
    OfferFactory(organization=rows["ministry"], title="Отливки из чугуна", is_active=False)
    NeedFactory(organization=rows["buyer"], title="Закупаем подшипники качения", description="Партиями от 1000 штук")
    return rows


def test_a_sector_finds_its_companies_and_those_of_its_subsectors(client, directory):
    # Продмаш is in Машиностроение itself, Авиастар in its subsector Авиация.
    assert set(names_found(client, "машиностроение")) == {"Авиастар", "Продмаш"}


def test_a_subsector_finds_only_its_own_companies(client, directory):
    assert names_found(client, "авиация") == ["Авиастар"]


def test_a_product_synonym_in_another_form_finds_the_product(client, directory):
    # "датчики" → the synonym "сенсор" (seeded) → "сенсоры" in Мидаус's products.
    assert names_found(client, "датчики") == ["Мидаус"]
    assert names_found(client, "Датчик давления") == ["Мидаус"]


def test_an_active_offer_is_found_by_a_synonym_and_an_inactive_one_is_not(client, directory):
    # "отливки" ↔ "литьё" (seeded): the foundry's active offer; the ministry's offer of castings is inactive.
    assert names_found(client, "отливки") == ["Уральский завод"]
    assert names_found(client, "чугун") == []


def test_a_need_is_found_by_its_title_and_description(client, directory):
    assert names_found(client, "подшипник") == ["Приборный завод"]
    assert names_found(client, "партиями") == ["Приборный завод"]


def test_inn_and_ogrn_find_the_organization(client, directory):
    assert names_found(client, "7328032711") == ["Авиастар"]
    assert names_found(client, "1027301159111") == ["Авиастар"]
    assert names_found(client, "102730115911") == []  # an OGRN is searched whole


def test_a_typo_or_a_cut_name_finds_the_organization(client, directory):
    assert names_found(client, "Авиастр") == ["Авиастар"]
    assert names_found(client, "мидас") == ["Мидаус"]


@on_postgresql
def test_a_typo_in_a_sector_name_finds_its_companies_on_postgresql(client, directory):
    assert set(names_found(client, "машинострение")) == {"Авиастар", "Продмаш"}


def test_words_must_all_be_found_somewhere(client, directory):
    assert names_found(client, "датчик авиация") == []
    assert names_found(client, "сенсоры приборостроение") == ["Мидаус"]  # products + parent sector


def test_a_name_match_ranks_above_a_sector_match_above_a_product_match(client):
    gearboxes = SectorFactory(name="Редукторы и приводы")
    by_product = OrganizationFactory(name="Приводная техника", products="Червячные мотор-редукторы")
    by_sector = OrganizationFactory(name="Волжский механический завод")
    by_sector.sectors.add(gearboxes)
    OrganizationFactory(name="Редуктор-М")
    del by_product

    assert names_found(client, "редукторы") == ["Редуктор-М", "Волжский механический завод", "Приводная техника"]


def test_a_synonym_added_in_the_admin_is_used_by_the_next_search(client, directory):
    OrganizationFactory(name="Гидромаш", products="Гидроцилиндры для спецтехники")
    assert names_found(client, "силовой цилиндр") == []

    client.force_login(MinistryStaffFactory())  # a ministry's staff member, not a superuser
    response = client.post("/admin/companies/searchsynonym/add/", {"terms": "гидроцилиндр, силовой цилиндр"})
    assert response.status_code == 302 and response["Location"] == "/admin/companies/searchsynonym/"
    client.logout()

    assert names_found(client, "силовые цилиндры") == ["Гидромаш"]


def test_a_synonym_group_of_one_term_is_refused_in_russian(client):
    before = SearchSynonym.objects.count()
    client.force_login(MinistryStaffFactory())

    response = client.post("/admin/companies/searchsynonym/add/", {"terms": "гидроцилиндр"})

    assert response.status_code == 200
    assert "Укажите не менее двух терминов через запятую." in response.content.decode()
    assert SearchSynonym.objects.count() == before


def test_the_result_shows_why_it_matched_with_the_words_marked(client):
    OrganizationFactory(name="Мидаус", products="Эталонные <b>сенсоры</b> давления & калибраторы")

    html = client.get("/companies/", {"q": "датчики"}).content.decode()

    found_in = re.search(r'<span class="search-match">(.*?)</span>', html).group(1)
    # SQLite shows the tag as text; PostgreSQL's ts_headline leaves tags out. Never a raw tag.
    assert found_in in (
        "Найдено в тексте: Эталонные &lt;b&gt;<mark>сенсоры</mark>&lt;/b&gt; давления &amp; калибраторы",
        "Найдено в тексте: Эталонные  <mark>сенсоры</mark>  давления &amp; калибраторы",
    )


def test_a_name_match_shows_no_snippet(client, directory):
    html = client.get("/companies/", {"q": "Авиастар"}).content.decode()

    assert "<mark>" not in html


def _facets(response) -> dict[str, dict[str, int]]:
    return {facet.title: {value.label: value.count for value in facet.values} for facet in response.context["facets"]}


def test_facets_count_the_results_given_the_other_filters(en, directory):
    response = en.get("/companies/", {"q": "завод", "region": "chelyabinsk-oblast"})

    assert _facets(response) == {
        # without the region filter: the three plants called "завод"
        "Region": {"Chelyabinsk Oblast": 2},
        "Kind": {"company": 2},
        "Size": {"medium-sized enterprise": 2},
    }
    response = en.get("/companies/", {"size": "medium"})
    facets = _facets(response)
    assert facets["Region"] == {"Chelyabinsk Oblast": 2}
    assert facets["Size"] == {"large enterprise": 1, "small enterprise": 1, "medium-sized enterprise": 2}


def test_sector_facet_counts_a_subsector_under_its_top_level_sector(client, directory):
    facets = _facets(client.get("/companies/"))

    assert facets["Отрасль"] == {"Машиностроение": 2, "Приборостроение": 1}


def test_a_facet_link_keeps_the_query_and_the_other_filters(en, directory):
    response = en.get("/companies/", {"q": "завод", "size": "medium", "page": "2"})

    region = next(facet for facet in response.context["facets"] if facet.name == "region")
    assert [value.url for value in region.values] == [
        "?q=%D0%B7%D0%B0%D0%B2%D0%BE%D0%B4&size=medium&region=chelyabinsk-oblast"  # q=завод
    ]


def test_search_page_with_facets_runs_the_same_queries_for_2_and_50_results(client):
    machinery = SectorFactory(name="Машиностроение")

    def build(n):
        for _ in range(n):
            organization = OrganizationFactory(products="Редукторы", region=directory_region("73"))
            organization.sectors.add(SectorFactory(parent=machinery))
            OfferFactory(organization=organization, title="Поковки")
            NeedFactory(organization=organization, title="Подшипники")

    build(2)
    client.get("/companies/", {"q": "редуктор"})
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/companies/", {"q": "редуктор"}).context["organizations"]) == 2
    build(48)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/companies/", {"q": "редуктор"}).context["organizations"]) == 30

    assert len(many) == len(few)


HOSTILE = ["&|!():*", "a & b | !c", "мидаус:* & !", "'; DROP TABLE x; --", "\x00\x00", "<->", "x" * 5000, "ПО", "и"]
HOSTILE += ["Мiдаус Ω 漢字 ∑", "((датчик | сенсор) & !давление)", "🙂" * 50]


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: repr(q[:20]))
def test_hostile_search_input_gives_a_page_and_an_api_answer(client, directory, query):
    page = client.get("/companies/?q=" + quote(query))
    api = client.get("/api/v1/organizations/?q=" + quote(query))

    assert page.status_code == 200 and 'name="q"' in page.content.decode()
    assert api.status_code == 200 and "results" in api.json()


def test_api_list_searches_like_the_page(client, directory):
    response = client.get("/api/v1/organizations/", {"q": "датчики"})

    assert [row["name"] for row in response.json()["results"]] == ["Мидаус"]


def test_query_is_read_into_concepts_with_synonyms():
    groups = [["ЧПУ", "числовое программное управление"], ["ПО", "программное обеспечение"]]

    concepts = parse_query("ПО для станков с ЧПУ", groups)

    assert [concept.alternatives for concept in concepts] == [
        (("программное", "обеспечение"),),  # "по" alone is a stopword: only its expansion is searched
        (("станков",),),
        (("чпу",), ("числовое", "программное", "управление")),
    ]


def test_snippet_marks_the_matched_words_and_escapes_the_rest():
    concepts = parse_query("сенсоры", [["датчик", "сенсор"]])

    html = marked_html(snippet('<b onclick="x()">Датчики</b> и сенсоры', concepts))

    assert html == "&lt;b onclick=&quot;x()&quot;&gt;<mark>Датчики</mark>&lt;/b&gt; и <mark>сенсоры</mark>"


def test_search_terms_read_the_synonyms_in_one_query(django_assert_num_queries):
    # PostgreSQL reads the words like the typed ones too, in one more query for all of them.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 1):
        terms = search_terms("датчики давления")

    assert [concept.alternatives for concept in terms.concepts] == [
        (("датчик",), ("датчики",), ("сенсор",)),
        (("давления",),),
    ]


def test_demo_examples_are_found(client):
    call_command("load_demo", no_login=True, stdout=io.StringIO())

    assert "Мидаус" in names_found(client, "датчики")
    assert {"Авиастар", "Завод Продмаш"} <= set(names_found(client, "машиностроение"))
    assert names_found(client, "Авиастр")[0] == "Авиастар"


# --- The region directory ----------------------------------------------------------------------


def region_names(client, **params) -> list[str]:
    html = client.get("/regions/", params).content.decode()
    return re.findall(r'<th scope="row"><a href="/regions/[^"]+/">([^<]+)</a>', html)


def test_region_directory_opens_on_the_regions_with_activity(client):
    OrganizationFactory.create_batch(2, region=directory_region("74"), is_public=True)
    OrganizationFactory(region=directory_region("73"), is_public=True)

    names = region_names(client)

    assert names[:2] == ["Челябинская область", "Ульяновская область"]
    assert names[2] == "Алтайский край"  # then the rest by name


def test_region_directory_by_name_keeps_the_alphabet(client):
    OrganizationFactory(region=directory_region("74"), is_public=True)

    assert region_names(client, sort="name")[:2] == ["Алтайский край", "Амурская область"]


def test_region_directory_counts_agreements_as_activity(client):
    # Челябинская: two organizations, nothing else (2). Ульяновская: one ministry, party to two
    # agreements (1 + 2 = 3), and to a hidden one, which the public does not see.
    OrganizationFactory.create_batch(2, region=directory_region("74"))
    ministry = OrganizationFactory(region=directory_region("73"), kind=Organization.Kind.GOVERNMENT)
    AgreementPartyFactory.create_batch(2, organization=ministry)
    AgreementPartyFactory(organization=ministry, agreement__is_public=False)

    response = client.get("/regions/")

    regions = list(response.context["regions"])[:2]
    assert [(r.name, r.agreement_count) for r in regions] == [("Ульяновская область", 2), ("Челябинская область", 0)]


@on_postgresql
def test_the_embedded_stemmer_stems_as_postgresql_russian_configuration():
    words = ["датчики", "сенсоров", "металлических", "конструкциями", "машиностроение", "поставками", "литья"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT w, ts_lexize('russian_stem', w) FROM unnest(%s::text[]) AS w", [words])
        postgresql = {word: lexemes[0] for word, lexemes in cursor.fetchall()}

    assert {word: stem(word) for word in words} == postgresql
