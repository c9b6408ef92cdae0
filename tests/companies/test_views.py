"""The directory pages: regions, a region, a pair of regions, organizations and an organization."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import translation

from agreements.models import Agreement, CooperationProject
from companies.models import Organization, Person, Region
from companies.templatetags.portal import money
from missions.models import DelegationMember, Mission
from tests.factories import (
    DelegationMemberFactory,
    MinistryFactory,
    NeedFactory,
    OfferFactory,
    OrganizationFactory,
    RegionFactory,
    SectorFactory,
    agreement_between,
    directory_region,
    project_between,
)
from tests.factories import mission_between as mission
from tests.helpers import query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    """tests/conftest.py's staff_client with the password saved first: UserFactory sets it in a
    post-generation hook that is not saved, so the session hash would differ and the login drop."""
    staff_user.save(update_fields=["password"])
    client.force_login(staff_user)
    return client


@pytest.fixture
def ulyanovsk():
    return directory_region("73")


@pytest.fixture
def chelyabinsk():
    return directory_region("74")


@pytest.fixture
def tula():
    return directory_region("71")


def page(client, url, status=200, lang=None):
    """The page's HTML; `lang="en"` asks for English where the test reads interface text."""
    response = client.get(url, headers={"accept-language": lang} if lang else {})
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def row_of(html: str, text: str) -> str:
    """The table row (<tr>…</tr>) that contains `text`."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0]


def numbers_in(row: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]


# --- /regions/ --------------------------------------------------------------------------------


def test_region_list_shows_district_capital_and_visible_counts(client, ulyanovsk, chelyabinsk):
    government = MinistryFactory(region=ulyanovsk, name="Минпромторг Ульяновской области")
    OrganizationFactory(region=ulyanovsk)
    OrganizationFactory(region=ulyanovsk, is_public=False)
    mission(ulyanovsk, [chelyabinsk], organizer=government)
    mission(ulyanovsk, [chelyabinsk], organizer=government, is_public=False)
    mission(chelyabinsk, [ulyanovsk, directory_region("86")], organizer=OrganizationFactory(region=chelyabinsk))

    html = page(client, "/regions/?active=on")

    row = row_of(html, 'href="/regions/ulyanovsk-oblast/"')
    assert "Ульяновская область" in row
    assert "Приволжский федеральный округ" in row
    assert "Ульяновск" in row
    # organizations, missions to the region, missions from the region; non-public rows not counted
    assert numbers_in(row) == [2, 1, 1]
    assert numbers_in(row_of(html, 'href="/regions/chelyabinsk-oblast/"')) == [1, 1, 1]


def test_region_list_staff_counts_non_public_rows(staff_client, ulyanovsk, chelyabinsk):
    OrganizationFactory(region=ulyanovsk, is_public=False)
    mission(ulyanovsk, [chelyabinsk], is_public=False)

    html = page(staff_client, "/regions/?district=vfd")

    assert numbers_in(row_of(html, 'href="/regions/ulyanovsk-oblast/"')) == [2, 0, 1]


def test_region_list_filter_by_federal_district(client):
    html = page(client, "/regions/?district=ufd")

    assert "Челябинская область" in html
    assert "Ханты-Мансийский автономный округ" in html
    assert "Ульяновская область" not in html


def test_region_list_filter_abroad_shows_foreign_regions_only(client):
    abkhazia = RegionFactory(name="Республика Абхазия", slug="abkhazia")
    OrganizationFactory(region=abkhazia)
    OrganizationFactory(region=directory_region("73"))

    html = page(client, "/regions/?district=abroad&active=on")

    assert "Республика Абхазия" in html
    assert "Ульяновская область" not in html


def test_region_list_shows_every_federal_subject_and_only_the_countries_with_something_to_show(client):
    belarus = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="BY")
    OrganizationFactory(region=belarus, name="Минский тракторный завод (тест)", is_public=True)

    html = page(client, "/regions/?district=abroad")

    assert "Беларусь" in html
    assert "Монголия" not in html  # shipped with the directory, nothing there yet
    everything = client.get("/regions/").context["paginator"]
    assert everything.count == 89 + 1


def test_region_list_filter_by_key_sector_or_sector_of_organizations(client, ulyanovsk, chelyabinsk, tula):
    machinery = SectorFactory(name="Машиностроение", slug="machinery")
    bearings = SectorFactory(name="Подшипники", slug="bearings", parent=machinery)
    chelyabinsk.key_sectors.add(machinery)
    OrganizationFactory(region=ulyanovsk).sectors.add(bearings)
    OrganizationFactory(region=tula, is_public=False).sectors.add(machinery)

    html = page(client, "/regions/?sector=machinery")

    assert "Челябинская область" in html  # key sector
    assert "Ульяновская область" in html  # an organization in a subsector
    assert "Тульская область" not in html  # only a non-public organization
    assert "Москва" not in html


def test_region_list_sorted_by_activity_puts_busiest_region_first(client, ulyanovsk, chelyabinsk):
    OrganizationFactory(region=chelyabinsk)
    mission(chelyabinsk, [ulyanovsk], organizer=OrganizationFactory(region=chelyabinsk))

    html = page(client, "/regions/?sort=activity")

    names = re.findall(r'<th scope="row"><a href="/regions/([^/]+)/">', html)
    assert names[:2] == ["chelyabinsk-oblast", "ulyanovsk-oblast"]


def test_region_list_active_filter_hides_empty_regions(client, ulyanovsk):
    OrganizationFactory(region=ulyanovsk)

    html = page(client, "/regions/?active=on")

    assert "Ульяновская область" in html
    assert "Челябинская область" not in html


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("district=atlantis", "Federal district"),
        ("sector=no-such-sector", "Sector"),
        ("page=abc", "abc"),
        ("page=99999", "99999"),
    ],
)
def test_region_list_bad_input_gives_page_with_notice(client, query, notice):
    html = page(client, f"/regions/?{query}", lang="en")

    assert '<div class="notices"' in html
    assert notice in re.search(r'<div class="notices".*?</div>', html, flags=re.S).group(0)
    assert "<h1>" in html


def test_region_list_paginates(client):
    html = page(client, "/regions/")

    assert html.count('<th scope="row"><a href="/regions/') == 30
    assert "?page=2" in html
    assert len(re.findall(r"<h1>", html)) == 1


def test_region_list_query_count_does_not_grow_with_rows(client, ulyanovsk, chelyabinsk):
    def add_rows(n):
        for _ in range(n):
            region = RegionFactory()
            region.key_sectors.add(SectorFactory())
            OrganizationFactory(region=region)
            mission(region, [ulyanovsk, chelyabinsk], organizer=OrganizationFactory(region=region))

    add_rows(2)
    few = query_count(client, "/regions/?district=abroad")
    add_rows(48)
    many = query_count(client, "/regions/?district=abroad")
    assert few == many
    assert query_count(client, "/regions/") == few


# --- /regions/<slug>/ -------------------------------------------------------------------------


@pytest.fixture
def region_story(ulyanovsk, chelyabinsk, tula):
    """Ulyanovsk with public and non-public organizations, offers, missions, agreements and projects."""
    ulyanovsk.profile = "Авиастроение и автомобилестроение."
    ulyanovsk.save()
    aviation = SectorFactory(name="Авиастроение", slug="aviation")
    ulyanovsk.key_sectors.add(aviation)
    government = MinistryFactory(region=ulyanovsk, name="Министерство промышленности Ульяновской области")
    chel_government = MinistryFactory(region=chelyabinsk, name="Министерство промышленности Челябинской области")
    midaus = OrganizationFactory(region=ulyanovsk, name="ООО «Мидаус»", products="Датчики давления")
    midaus.sectors.add(aviation)
    hidden = OrganizationFactory(region=ulyanovsk, name="ООО «Секретный завод»", is_public=False)
    OfferFactory(organization=midaus, title="Поставка датчиков")
    NeedFactory(organization=midaus, title="Ищем литьё")
    OfferFactory(organization=hidden, title="Скрытое предложение")
    OfferFactory(organization=midaus, title="Старое предложение", is_active=False)
    out = mission(ulyanovsk, [chelyabinsk], title="Миссия в Челябинск", organizer=government)
    back = mission(chelyabinsk, [ulyanovsk], title="Ответная миссия", organizer=chel_government, reciprocal_of=out)
    mission(ulyanovsk, [tula], title="Тайная миссия", organizer=government, is_public=False)
    agreement_between(government, chel_government, title="Соглашение Ульяновск — Челябинск")
    agreement_between(government, chel_government, title="Черновик соглашения", is_public=False)
    agreement_between(hidden, OrganizationFactory(region=tula), title="Договор скрытого завода")
    project_between(midaus, OrganizationFactory(region=chelyabinsk), title="Поставка эталонных датчиков")
    project_between(midaus, OrganizationFactory(region=tula), title="Закрытый проект", is_public=False)
    return {"midaus": midaus, "out": out, "back": back}


def test_region_page_shows_profile_companies_offers_missions_agreements_projects(client, region_story):
    html = page(client, "/regions/ulyanovsk-oblast/")

    assert "<h1>Ульяновская область</h1>" in html
    assert "Авиастроение и автомобилестроение." in html
    assert "Авиастроение" in html
    assert 'href="/companies/' + region_story["midaus"].slug + '/"' in html
    assert "Датчики давления" in html
    assert "Поставка датчиков" in html and "Ищем литьё" in html
    assert "Старое предложение" not in html
    assert "Миссия в Челябинск" in html and "Ответная миссия" in html
    assert 'href="/missions/' + region_story["out"].slug + '/"' in html
    assert "Соглашение Ульяновск — Челябинск" in html
    assert "Поставка эталонных датчиков" in html
    assert 'href="/regions/ulyanovsk-oblast/chelyabinsk-oblast/"' in html


def test_region_page_hides_non_public_rows_from_anonymous(client, region_story):
    html = page(client, "/regions/ulyanovsk-oblast/")

    for secret in (
        "Секретный завод",
        "Скрытое предложение",
        "Тайная миссия",
        "Черновик соглашения",
        "Договор скрытого завода",
        "Закрытый проект",
    ):
        assert secret not in html
    # Tula is linked only through non-public rows
    assert "/regions/ulyanovsk-oblast/tula-oblast/" not in html


def test_region_page_shows_non_public_rows_to_staff(staff_client, region_story):
    html = page(staff_client, "/regions/ulyanovsk-oblast/")

    for secret in ("Секретный завод", "Скрытое предложение", "Тайная миссия", "Черновик соглашения", "Закрытый проект"):
        assert secret in html
    assert "/regions/ulyanovsk-oblast/tula-oblast/" in html


def test_region_page_unknown_slug_is_404(client):
    page(client, "/regions/atlantis/", status=404)


def test_region_page_query_count_does_not_grow_with_rows(client, ulyanovsk, chelyabinsk):
    government = MinistryFactory(region=ulyanovsk)
    partner = MinistryFactory(region=chelyabinsk)

    def add_rows(n):
        for _ in range(n):
            organization = OrganizationFactory(region=ulyanovsk)
            organization.sectors.add(SectorFactory())
            OfferFactory(organization=organization, sector=SectorFactory())
            NeedFactory(organization=organization)
            out = mission(ulyanovsk, [chelyabinsk], organizer=government)
            mission(RegionFactory(), [ulyanovsk], organizer=partner, reciprocal_of=out)
            agreement_between(government, OrganizationFactory(region=RegionFactory()), signed_at_mission=out)
            project_between(organization, partner, origin_mission=out)

    add_rows(2)
    few = query_count(client, "/regions/ulyanovsk-oblast/")
    add_rows(48)
    many = query_count(client, "/regions/ulyanovsk-oblast/")
    assert few == many


# --- /regions/<a>/<b>/ ------------------------------------------------------------------------


@pytest.fixture
def pair_story(ulyanovsk, chelyabinsk, tula):
    uly_government = MinistryFactory(region=ulyanovsk, name="Правительство Ульяновской области")
    chel_government = MinistryFactory(region=chelyabinsk, name="Правительство Челябинской области")
    midaus = OrganizationFactory(region=ulyanovsk, name="ООО «Мидаус»")
    chel_plant = OrganizationFactory(region=chelyabinsk, name="АО «Челябинский завод»")
    first = mission(
        ulyanovsk,
        [chelyabinsk],
        title="Ульяновская делегация в Челябинске",
        organizer=uly_government,
        start_date=datetime.date(2023, 10, 10),
        end_date=datetime.date(2023, 10, 11),
    )
    back = mission(
        chelyabinsk,
        [ulyanovsk],
        title="Челябинская делегация в Ульяновске",
        organizer=chel_government,
        start_date=datetime.date(2024, 5, 20),
        end_date=datetime.date(2024, 5, 21),
        reciprocal_of=first,
    )
    mission(ulyanovsk, [tula], title="Миссия в Тулу", organizer=uly_government)
    mission(ulyanovsk, [chelyabinsk], title="Закрытая миссия", organizer=uly_government, is_public=False)
    agreement_between(
        uly_government,
        chel_government,
        title="Соглашение о сотрудничестве Ульяновск — Челябинск",
        status=Agreement.Status.IN_FORCE,
        signed_at_mission=back,
        signed_on=datetime.date(2024, 5, 20),
    )
    agreement_between(uly_government, chel_government, title="Проект плана мероприятий", is_public=False)
    agreement_between(
        midaus,
        chel_plant,
        title="Договор поставки датчиков",
        kind=Agreement.Kind.CONTRACT,
        value=Decimal("12500000"),
        currency="RUB",
        signed_on=datetime.date(2024, 5, 21),
    )
    agreement_between(uly_government, MinistryFactory(region=tula), title="Соглашение с Тулой")
    project_between(midaus, chel_plant, title="Эталонные датчики давления", stage=CooperationProject.Stage.NEGOTIATION)
    project_between(
        midaus,
        chel_plant,
        title="Карданные валы",
        stage=CooperationProject.Stage.PROPOSAL,
        expected_value=Decimal("3000000"),
    )
    project_between(midaus, chel_plant, title="Секретный проект", is_public=False)
    project_between(midaus, OrganizationFactory(region=tula), title="Проект с Тулой")
    return {"first": first, "back": back}


def test_pair_page_shows_missions_both_ways_with_return_mission_linked(client, pair_story):
    html = page(client, "/regions/ulyanovsk-oblast/chelyabinsk-oblast/")

    assert "<h1>Ульяновская область — Челябинская область</h1>" in html
    assert "Ульяновская делегация в Челябинске" in html
    assert "Челябинская делегация в Ульяновске" in html
    # The return mission names and links the mission it returns.
    html_en = page(client, "/regions/ulyanovsk-oblast/chelyabinsk-oblast/", lang="en")
    first_url = f'href="/missions/{pair_story["first"].slug}/"'
    assert re.search(r"return mission of\s*<a " + first_url + ">Ульяновская делегация в Челябинске</a>", html_en)
    assert "Миссия в Тулу" not in html
    # The timeline is in date order: first mission, return mission, agreement signed during it.
    assert html.index("Ульяновская делегация в Челябинске") < html.index("Челябинская делегация в Ульяновске")


def test_pair_page_answers_what_was_signed_and_what_is_under_way(client, pair_story):
    html = page(client, "/regions/ulyanovsk-oblast/chelyabinsk-oblast/", lang="en")

    assert "Соглашение о сотрудничестве Ульяновск — Челябинск" in html
    assert "in force" in html
    assert "Договор поставки датчиков" in html
    with translation.override("en"):
        assert money(Decimal("12500000"), "RUB") in html
    assert "Эталонные датчики давления" in html and "Карданные валы" in html
    projects = html[html.index('id="projects-heading"') :]
    assert projects.index("Эталонные датчики давления") < projects.index("Карданные валы")  # negotiation, then proposal
    assert "Соглашение с Тулой" not in html and "Проект с Тулой" not in html


def test_pair_page_in_english_names_stages_and_statuses(client, pair_story):
    html = page(client, "/regions/ulyanovsk-oblast/chelyabinsk-oblast/", lang="en")

    assert "in force" in html
    assert "Negotiation" in html and "Proposal" in html
    assert "1 open cooperation project" not in html and "2 open cooperation projects" in html
    assert "1 contract" in html


def test_pair_page_hides_non_public_rows_from_anonymous(client, pair_story):
    html = page(client, "/regions/ulyanovsk-oblast/chelyabinsk-oblast/")

    assert "Закрытая миссия" not in html
    assert "Проект плана мероприятий" not in html
    assert "Секретный проект" not in html


def test_pair_page_does_not_link_a_non_public_original_mission(client, ulyanovsk, chelyabinsk):
    hidden = mission(ulyanovsk, [chelyabinsk], title="Непубличная первая миссия", is_public=False)
    mission(chelyabinsk, [ulyanovsk], title="Публичная ответная миссия", reciprocal_of=hidden)

    html = page(client, "/regions/ulyanovsk-oblast/chelyabinsk-oblast/")

    assert "Публичная ответная миссия" in html
    assert "Непубличная первая миссия" not in html
    assert hidden.slug not in html


def test_pair_page_shows_non_public_rows_to_staff(staff_client, pair_story):
    html = page(staff_client, "/regions/ulyanovsk-oblast/chelyabinsk-oblast/")

    assert "Закрытая миссия" in html
    assert "Проект плана мероприятий" in html
    assert "Секретный проект" in html


def test_pair_page_same_region_redirects_and_unknown_is_404(client):
    response = client.get("/regions/ulyanovsk-oblast/ulyanovsk-oblast/")
    assert response.status_code == 302
    assert response["Location"] == "/regions/ulyanovsk-oblast/"
    page(client, "/regions/ulyanovsk-oblast/atlantis/", status=404)


def test_pair_page_query_count_does_not_grow_with_rows(client, ulyanovsk, chelyabinsk):
    uly, chel = MinistryFactory(region=ulyanovsk), MinistryFactory(region=chelyabinsk)

    def add_rows(n):
        for _ in range(n):
            out = mission(ulyanovsk, [chelyabinsk], organizer=uly)
            mission(chelyabinsk, [ulyanovsk], organizer=chel, reciprocal_of=out)
            agreement_between(uly, chel, signed_at_mission=out)
            agreement_between(
                OrganizationFactory(region=ulyanovsk),
                OrganizationFactory(region=chelyabinsk),
                kind=Agreement.Kind.CONTRACT,
                value=Decimal("1000"),
                currency="RUB",
            )
            project_between(OrganizationFactory(region=ulyanovsk), chel, origin_mission=out).sectors.add(
                SectorFactory()
            )

    add_rows(2)
    few = query_count(client, "/regions/ulyanovsk-oblast/chelyabinsk-oblast/")
    add_rows(48)
    many = query_count(client, "/regions/ulyanovsk-oblast/chelyabinsk-oblast/")
    assert few == many


# --- /companies/ ------------------------------------------------------------------------------


def test_company_list_shows_public_organizations_with_region_and_sectors(client, ulyanovsk):
    sector = SectorFactory(name="Приборостроение")
    midaus = OrganizationFactory(region=ulyanovsk, name="ООО «Мидаус»", products="Датчики давления")
    midaus.sectors.add(sector)
    OrganizationFactory(name="ООО «Невидимка»", is_public=False)

    html = page(client, "/companies/")

    row = row_of(html, "ООО «Мидаус»")
    assert f'href="/companies/{midaus.slug}/"' in row
    assert 'href="/regions/ulyanovsk-oblast/"' in row
    assert "Приборостроение" in row and "Датчики давления" in row
    assert "Невидимка" not in html


def test_company_list_staff_sees_non_public(staff_client):
    OrganizationFactory(name="ООО «Невидимка»", is_public=False)

    assert "Невидимка" in page(staff_client, "/companies/")


def test_company_list_filters_narrow_the_list(client, ulyanovsk, chelyabinsk):
    machinery = SectorFactory(name="Машиностроение", slug="machinery")
    bearings = SectorFactory(name="Подшипники", slug="bearings", parent=machinery)
    OrganizationFactory(region=ulyanovsk, name="Ульяновский подшипник", size=Organization.Size.SMALL).sectors.add(
        bearings
    )
    OrganizationFactory(region=chelyabinsk, name="Челябинский станкозавод", size=Organization.Size.LARGE).sectors.add(
        machinery
    )
    MinistryFactory(region=chelyabinsk, name="Минпром Челябинской области")

    by_region = page(client, "/companies/?region=chelyabinsk-oblast")
    assert "Челябинский станкозавод" in by_region and "Минпром" in by_region
    assert "Ульяновский подшипник" not in by_region

    by_sector = page(client, "/companies/?sector=machinery")  # includes the subsector
    assert "Челябинский станкозавод" in by_sector and "Ульяновский подшипник" in by_sector
    assert "Минпром" not in by_sector
    by_subsector = page(client, "/companies/?sector=bearings")
    assert "Ульяновский подшипник" in by_subsector and "Челябинский станкозавод" not in by_subsector

    by_kind = page(client, "/companies/?kind=government")
    assert "Минпром" in by_kind and "станкозавод" not in by_kind

    by_size = page(client, "/companies/?size=small")
    assert "Ульяновский подшипник" in by_size and "станкозавод" not in by_size

    combined = page(client, "/companies/?region=chelyabinsk-oblast&kind=company&size=large")
    assert "Челябинский станкозавод" in combined and "Минпром" not in combined


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("region=atlantis", "Region"),
        ("sector=nothing", "Sector"),
        ("kind=spaceship", "Kind"),
        ("size=huge", "Size"),
        ("page=-1", "-1"),
        ("page=99999", "99999"),
        ("page=x%00y", "page"),
    ],
)
def test_company_list_bad_filter_input_gives_page_with_notice(client, query, notice):
    OrganizationFactory(name="ООО «Мидаус»")

    html = page(client, f"/companies/?{query}", lang="en")

    notices = re.search(r'<div class="notices".*?</div>', html, flags=re.S)
    assert notices, html
    assert notice in notices.group(0) or query.startswith("page=x")
    assert "ООО «Мидаус»" in html


def test_company_list_pagination_keeps_filters(client, ulyanovsk):
    for i in range(35):
        OrganizationFactory(region=ulyanovsk, name=f"Завод {i:02d}")

    html = page(client, "/companies/?region=ulyanovsk-oblast")

    assert "region=ulyanovsk-oblast&amp;page=2" in html
    second = page(client, "/companies/?region=ulyanovsk-oblast&page=2")
    assert "Завод 34" in second and "Завод 00" not in second


def test_company_list_query_count_does_not_grow_with_rows(client):
    def add_rows(n):
        for _ in range(n):
            OrganizationFactory(region=RegionFactory()).sectors.add(SectorFactory(), SectorFactory())

    add_rows(2)
    few = query_count(client, "/companies/")
    searching = query_count(client, "/companies/?q=Предприятие&kind=company")
    add_rows(48)
    assert query_count(client, "/companies/") == few
    assert query_count(client, "/companies/?q=Предприятие&kind=company") == searching


# --- /companies/<slug>/ -----------------------------------------------------------------------


@pytest.fixture
def company_story(ulyanovsk, chelyabinsk):
    sensors = SectorFactory(name="Датчики и КИП", name_en="Sensors and instruments")
    midaus = OrganizationFactory(
        region=ulyanovsk,
        name="Общество с ограниченной ответственностью «Мидаус»",
        short_name="ООО «Мидаус»",
        legal_form=Organization.LegalForm.OOO,
        size=Organization.Size.MEDIUM,
        inn="7327012345",
        products="Эталонные датчики давления",
        capabilities="Калибровка и поверка",
        website="https://midaus.example.org",
    )
    midaus.sectors.add(sensors)
    OfferFactory(organization=midaus, title="Поставка датчиков")
    NeedFactory(organization=midaus, title="Литые корпуса")
    visited = mission(ulyanovsk, [chelyabinsk], title="Миссия в Челябинск")
    DelegationMemberFactory(mission=visited, organization=midaus, role=DelegationMember.Role.PARTICIPANT)
    hidden_mission = mission(ulyanovsk, [chelyabinsk], title="Закрытая миссия", is_public=False)
    DelegationMemberFactory(mission=hidden_mission, organization=midaus)
    partner = OrganizationFactory(region=chelyabinsk, name="АО «Челябинский партнёр»")
    hidden_partner = OrganizationFactory(region=chelyabinsk, name="АО «Скрытый партнёр»", is_public=False)
    project_between(midaus, partner, title="Поставка эталонных датчиков", stage=CooperationProject.Stage.PROPOSAL)
    project_between(midaus, partner, title="Закрытый проект", is_public=False)
    agreement_between(
        midaus,
        partner,
        hidden_partner,
        title="Договор поставки",
        kind=Agreement.Kind.CONTRACT,
        value=Decimal("500000"),
        currency="RUB",
    )
    agreement_between(midaus, partner, title="Закрытое соглашение", is_public=False)
    return midaus


def test_company_page_shows_profile_offers_missions_projects_agreements(client, company_story):
    html = page(client, f"/companies/{company_story.slug}/", lang="en")

    assert "<h1>Общество с ограниченной ответственностью «Мидаус»" in html
    assert "ООО «Мидаус»" in html
    assert "company" in html and "LLC (OOO)" in html and "medium-sized enterprise" in html
    assert 'href="/regions/ulyanovsk-oblast/"' in html
    assert "Sensors and instruments" in html
    assert "7327012345" in html
    assert "Эталонные датчики давления" in html and "Калибровка и поверка" in html
    assert 'href="https://midaus.example.org"' in html
    assert "Поставка датчиков" in html and "Литые корпуса" in html
    assert "Миссия в Челябинск" in html and "participant" in html
    assert "Поставка эталонных датчиков" in html and "proposal" in html
    assert "Договор поставки" in html and "АО «Челябинский партнёр»" in html


def test_company_page_hides_non_public_rows_from_anonymous(client, company_story):
    html = page(client, f"/companies/{company_story.slug}/")

    for secret in ("Закрытая миссия", "Закрытый проект", "Закрытое соглашение", "Скрытый партнёр"):
        assert secret not in html


def test_company_page_shows_non_public_rows_to_staff(staff_client, company_story):
    html = page(staff_client, f"/companies/{company_story.slug}/")

    for secret in ("Закрытая миссия", "Закрытый проект", "Закрытое соглашение", "Скрытый партнёр"):
        assert secret in html


def test_non_public_company_is_404_like_a_missing_one(client, staff_user):
    OrganizationFactory(slug="hidden-plant", name="ООО «Скрытый завод»", is_public=False)

    hidden = client.get("/companies/hidden-plant/")
    missing = client.get("/companies/no-such-plant/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content.replace(b"hidden-plant", b"") == missing.content.replace(b"no-such-plant", b"")
    assert "Скрытый завод" not in hidden.content.decode()
    staff_user.save(update_fields=["password"])
    client.force_login(staff_user)
    assert "<h1>ООО «Скрытый завод»" in page(client, "/companies/hidden-plant/")


def test_company_page_query_count_does_not_grow_with_rows(client, ulyanovsk, chelyabinsk):
    company = OrganizationFactory(region=ulyanovsk)
    company.sectors.add(SectorFactory())

    def add_rows(n):
        for _ in range(n):
            out = mission(ulyanovsk, [chelyabinsk, RegionFactory()], organizer=company)
            DelegationMemberFactory(mission=mission(chelyabinsk, [ulyanovsk], reciprocal_of=out), organization=company)
            OfferFactory(organization=company, sector=SectorFactory())
            NeedFactory(organization=company)
            partner = OrganizationFactory(region=chelyabinsk)
            project_between(company, partner, origin_mission=out).sectors.add(SectorFactory())
            agreement_between(company, partner, signed_at_mission=out)

    add_rows(2)
    few = query_count(client, f"/companies/{company.slug}/")
    add_rows(48)
    many = query_count(client, f"/companies/{company.slug}/")
    assert few == many
    assert Mission.objects.count() == 100


# --- Foreign organizations: the name in the original language beside the Russian one -----------


@pytest.fixture
def minsk_tractor_works():
    belarus = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="BY")
    return OrganizationFactory(
        name="ОАО «Минский тракторный завод»", name_original="ААТ «Мінскі трактарны завод»", region=belarus
    )


def test_company_page_shows_the_name_in_the_original_language(client, minsk_tractor_works):
    html = page(client, minsk_tractor_works.get_absolute_url())

    assert "ОАО «Минский тракторный завод»" in html
    assert "ААТ «Мінскі трактарны завод»" in html


def test_company_list_and_country_page_show_the_original_name(client, minsk_tractor_works):
    listing = page(client, "/companies/")
    country = page(client, minsk_tractor_works.region.get_absolute_url())

    for html in (listing, country):
        assert "ААТ «Мінскі трактарны завод»" in row_of(html, "ОАО «Минский тракторный завод»")


def test_company_without_an_original_name_shows_none(client, ulyanovsk):
    company = OrganizationFactory(name="ООО «Ульяновский станкозавод»", region=ulyanovsk)

    html = page(client, company.get_absolute_url())

    assert 'class="lead original-name"' not in html


# --- A head of delegation known only by position --------------------------------------------


def test_mission_page_names_a_head_known_by_position_with_the_organization_once(client, ulyanovsk):
    belarus = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="BY")
    government = OrganizationFactory(name="Совет Министров Республики Беларусь", region=belarus, kind="government")
    head = Person.objects.create(organization=government, position="Заместитель Премьер-министра")
    deputy = Person.objects.create(organization=government, position="Министр промышленности")
    trip = mission(belarus, [ulyanovsk], head_of_delegation=head)
    DelegationMemberFactory(mission=trip, organization=government, person=deputy)

    html = page(client, trip.get_absolute_url())

    assert "Заместитель Премьер-министра, Совет Министров Республики Беларусь" in html
    assert html.count("Заместитель Премьер-министра") == 1
    assert html.count("Министр промышленности") == 1
