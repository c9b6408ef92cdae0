"""Regions and cities of a press release: the directory's name forms (Region.aliases) and the roles."""

import pytest

from companies.data.countries import COUNTRY_ALIASES_RU
from companies.data.regions import REGIONS
from companies.models import Place, Region
from companies.services import country_directory_sync, region_aliases_fill, region_directory_sync
from releases.extraction.nlp import analysed
from releases.extraction.regions import find_cities, find_mentions, find_regions
from tests.factories import directory_region

pytestmark = pytest.mark.django_db


def mentioned(text: str) -> list[str]:
    return [mention.form.name for mention in find_mentions(analysed(text))]


def roles(text: str) -> tuple[list[str], list[str]]:
    origin, destination = find_regions(analysed(text))
    return [item.name for item in origin], [item.name for item in destination]


# --- the directory's name forms -------------------------------------------------------------------


def test_every_federal_subject_ships_other_names_with_an_adjective():
    assert len(REGIONS) == 89
    for row in REGIONS:
        assert row["aliases_ru"], row["name_ru"]
        assert any(alias[:1].islower() for alias in row["aliases_ru"]), row["name_ru"]
    for region in Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT):
        assert any(alias[:1].islower() for alias in region.alias_list), region.name


def test_the_migration_fills_the_other_names_of_subjects_and_countries():
    assert {"Башкирия", "башкирский"} <= set(directory_region("02").alias_list)
    assert {"Южный Урал", "челябинский"} <= set(directory_region("74").alias_list)
    assert {"ХМАО", "Югра"} <= set(directory_region("86").alias_list)
    belarus = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="BY")
    assert belarus.alias_list == ["Республика Беларусь", "Белоруссия", "белорусский"]
    china = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="CN")
    assert set(COUNTRY_ALIASES_RU["CN"]) == set(china.alias_list)


def test_the_fill_keeps_names_staff_edited_and_fills_an_emptied_field():
    Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT, code="02").update(aliases="Башкирия")
    Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT, code="16").update(aliases="")
    assert region_aliases_fill() == 1
    assert directory_region("02").alias_list == ["Башкирия"]
    assert directory_region("16").alias_list == ["Татарстан", "татарстанский", "татарский"]


def test_the_syncs_create_a_deleted_region_and_country_with_their_names():
    directory_region("87").delete()
    Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="KZ").delete()
    assert region_directory_sync() == (0, 1)
    assert country_directory_sync() == 1
    assert directory_region("87").alias_list == ["Чукотка", "чукотский"]
    kazakhstan = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="KZ")
    assert kazakhstan.alias_list == ["Республика Казахстан", "казахстанский"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Предприятия работают в Башкирии.", "Республика Башкортостан"),
        ("Правительство Башкортостана поддержало проект.", "Республика Башкортостан"),
        ("Встреча башкирской делегации прошла успешно.", "Республика Башкортостан"),
        ("Производство развивается на Южном Урале.", "Челябинская область"),
        ("Коллеги из Югры поделились опытом.", "Ханты-Мансийский автономный округ — Югра"),
        ("Гости приехали из Татарстана.", "Республика Татарстан (Татарстан)"),
        ("Угольщики Кузбасса показали технику.", "Кемеровская область — Кузбасс"),
        ("Поставки в Зауралье выросли.", "Курганская область"),
        ("Соглашение с ХМАО продлено.", "Ханты-Мансийский автономный округ — Югра"),
        ("Компании Подмосковья приняли участие.", "Московская область"),
        ("Белорусские партнёры предложили станки.", "Беларусь"),
        ("Переговоры с КНР продолжатся.", "Китай"),
    ],
)
def test_inflected_and_colloquial_forms_resolve_to_the_directory(text, name):
    assert mentioned(text) == [name]


def test_a_coordinated_pair_of_names_gives_both_regions():
    assert mentioned("Губернаторы Курской и Белгородской областей подписали соглашение.") == [
        "Курская область",
        "Белгородская область",
    ]


def test_function_words_and_lower_case_words_are_not_names():
    # "того" would be Togo and "том" lower-case words by lemma alone
    assert mentioned("Кроме того, в том числе речь шла о поставках.") == []


def test_a_foreign_countrys_region_resolves_to_its_row():
    belarus = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="BY")
    Region.objects.create(
        name="Гомельская область", slug="gomel-region", kind=Region.Kind.FOREIGN_REGION, country=belarus
    )
    assert mentioned("Делегация работала в Гомельской области.") == ["Гомельская область"]


# --- roles ----------------------------------------------------------------------------------------


def test_delegation_of_a_region_visits_a_country():
    assert roles("Делегация Свердловской области посетила Казахстан.") == (["Свердловская область"], ["Казахстан"])


def test_a_mission_opens_in_the_host_region():
    assert roles("В Республике Татарстан открылась бизнес-миссия Пермского края.") == (
        ["Пермский край"],
        ["Республика Татарстан (Татарстан)"],
    )


def test_an_adjective_delegation_travels_to_a_region():
    assert roles("Башкирская делегация прибыла в Оренбургскую область.") == (
        ["Республика Башкортостан"],
        ["Оренбургская область"],
    )


def test_guests_from_a_region_come_to_another():
    assert roles("Предприниматели из Удмуртии приехали в Кировскую область.") == (
        ["Удмуртская Республика"],
        ["Кировская область"],
    )


def test_a_mission_to_an_abbreviated_region():
    assert roles("Бизнес-миссия Тюменской области в ЯНАО продлится до пятницы.") == (
        ["Тюменская область"],
        ["Ямало-Ненецкий автономный округ"],
    )


def test_an_earlier_visit_and_partners_in_passing_are_no_destination():
    text = (
        "Делегация Новосибирской области посетила Алтайский край. "
        "Напомним, ранее делегация региона посетила Иркутскую область. "
        "Среди партнёров региона — Китай, Индия и Турция."
    )
    assert roles(text) == (["Новосибирская область"], ["Алтайский край"])


def test_the_other_side_is_the_most_mentioned_other_region():
    text = (
        "Делегация Ярославской области провела переговоры с коллегами. "
        "Владимирская область готова к сотрудничеству. "
        "Предприятия Владимирской области показали продукцию. Упоминался и Китай."
    )
    assert roles(text) == (["Ярославская область"], ["Владимирская область"])


def test_a_visit_of_a_countrys_delegation_to_a_region():
    text = "В рамках визита делегации Республики Казахстан в Омскую область состоялся деловой форум."
    assert roles(text) == (["Казахстан"], ["Омская область"])


def test_the_next_mission_is_no_destination():
    text = (
        "Бизнес-миссия липецких предприятий в Республику Беларусь прошла успешно. "
        "Следующая бизнес-миссия запланирована в Узбекистан."
    )
    assert roles(text) == (["Липецкая область"], ["Беларусь"])


def test_a_delegation_led_by_a_governor():
    assert roles("Делегация во главе с губернатором Курской области посетила Беларусь.") == (
        ["Курская область"],
        ["Беларусь"],
    )


def test_cities_tell_the_sides_through_the_regions_capital():
    assert roles("Делегация Курской области прибыла в Казань.") == (
        ["Курская область"],
        ["Республика Татарстан (Татарстан)"],
    )
    assert roles("Делегация из Самары посетила Оренбургскую область.") == (
        ["Самарская область"],
        ["Оренбургская область"],
    )
    assert roles("Напомним, ранее делегация Курской области посетила Казань.") == ([], [])


def test_the_host_side():
    text = (
        "Делегация Пензенской области работает на выставке. Курская область принимает участие в выставке. "
        "Принимающей стороной выступила Республика Марий Эл."
    )
    assert roles(text) == (["Пензенская область"], ["Республика Марий Эл"])


def test_the_datelines_city_tells_the_host_and_a_second_noun_group_is_no_delegation():
    text = "КАЗАНЬ, 15 октября — Делегация Свердловской области и предприятия Республики Татарстан провели переговоры."
    assert roles(text) == (["Свердловская область"], ["Республика Татарстан (Татарстан)"])


def test_no_mission_words_no_roles():
    assert roles("Курская область и Орловская область обменялись опытом.") == ([], [])


# --- cities ---------------------------------------------------------------------------------------


def test_cities_in_the_nominative_with_their_region():
    cities = find_cities(analysed("Делегация побывала в Екатеринбурге и в Нижнем Тагиле."))
    assert [(city.name, city.region_name, city.place_id) for city in cities] == [
        ("Екатеринбург", "Свердловская область", None),
        ("Нижний Тагил", None, None),
    ]


def test_a_town_after_the_word_city_and_no_foreign_region_as_a_city():
    cities = find_cities(analysed("Гости побывали в городе Рыбинске и на заводе в Жодино Минской области."))
    assert [city.name for city in cities] == ["Рыбинск", "Жодино"]


def test_a_city_matches_the_directorys_place():
    region = directory_region("52")
    place = Place.objects.create(name="Дзержинск", slug="dzerzhinsk", region=region)
    cities = find_cities(analysed("Гости осмотрели завод в г. Дзержинске Нижегородской области."))
    assert [(city.name, city.region_name, city.place_id) for city in cities] == [
        ("Дзержинск", "Нижегородская область", place.pk)
    ]


def test_no_city_inside_an_outlets_or_a_companys_name_nor_russia_or_a_region():
    text = "Об этом сообщает «Вести Казань». Поставки по России и в Татарстан выросли."
    assert find_cities(analysed(text)) == []


# --- the admin ------------------------------------------------------------------------------------


def test_staff_edit_a_regions_other_names_in_the_admin(admin_client):
    region = directory_region("45")
    url = f"/admin/companies/region/{region.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="aliases"' in page.content.decode()
    assert "Зауралье" in page.content.decode()
    data = {
        "name": region.name,
        "name_en": region.name_en,
        "slug": region.slug,
        "kind": region.kind,
        "federal_district": region.federal_district_id,
        "country": "",
        "code": region.code,
        "time_zone": region.time_zone,
        "capital": region.capital,
        "capital_en": region.capital_en,
        "profile": "",
        "aliases": "Зауралье\nкурганский\nЗауральский край",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    region.refresh_from_db()
    assert region.alias_list == ["Зауралье", "курганский", "Зауральский край"]
    assert mentioned("Делегация Зауральского края прибыла.") == ["Курганская область"]


def test_a_city_with_its_country_in_brackets():
    cities = find_cities(analysed("Бизнес-миссия прошла в Ереване (Армения)."))
    assert [(city.name, city.region_name) for city in cities] == [("Ереван", "Армения")]


# --- foreign regions the directory does not have ---------------------------------------------------


def found_regions(text: str) -> tuple[list[tuple], list[tuple]]:
    origin, destination = find_regions(analysed(text))
    return (
        [(item.name, item.region_id, item.country) for item in origin],
        [(item.name, item.region_id, item.country) for item in destination],
    )


def test_a_foreign_province_is_proposed_with_its_type_word_and_country_instead_of_the_country():
    text = (
        "Делегация провинции Ляонин посетила Новосибирскую область. Китайскую делегацию возглавил "
        "вице-губернатор провинции Ляонин Ван Мин. Во встрече с гостями из китайской провинции "
        "приняли участие предприниматели Новосибирской области."
    )
    novosibirsk = Region.objects.get(name="Новосибирская область").pk
    assert found_regions(text) == (
        [("провинция Ляонин", None, "Китай")],
        [("Новосибирская область", novosibirsk, None)],
    )


def test_a_foreign_area_named_with_its_country_in_brackets():
    text = "Делегация Гродненской области (Беларусь) посетила Смоленскую область и провела переговоры."
    smolensk = Region.objects.get(name="Смоленская область").pk
    assert found_regions(text) == (
        [("Гродненская область", None, "Беларусь")],
        [("Смоленская область", smolensk, None)],
    )


def test_a_state_without_a_named_country_keeps_no_country_and_a_region_of_the_directory_is_untouched():
    text = "Бизнес-миссия Курской области прибыла в штат Гуджарат. Делегация посетила штат Гуджарат."
    kursk = Region.objects.get(name="Курская область").pk
    assert found_regions(text) == ([("Курская область", kursk, None)], [("штат Гуджарат", None, None)])


def test_an_adjective_and_область_without_a_country_is_not_a_foreign_region():
    assert found_regions("Делегация Курской области посетила Гродненскую область.")[1] == []


def test_a_federal_or_city_district_and_a_person_after_a_type_word_are_no_foreign_region():
    text = (
        "Делегация Курской области посетила Уральский федеральный округ. Во встрече участвовал "
        "полномочный представитель в федеральном округе Павел Сидоров и глава округа Олег Ким."
    )
    kursk = Region.objects.get(name="Курская область").pk
    origin, destination = found_regions(text)
    assert origin == [("Курская область", kursk, None)]
    assert all(region_id is not None for _name, region_id, _country in destination)
    assert found_regions("Делегация Курской области встретилась в округе Иваном Петровым.")[1] == []
