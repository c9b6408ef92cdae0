"""The whole reading: the headline, the publication marker, the head of delegation, everything wired."""

import datetime

import pytest

from releases.draft import Draft, PersonItem, RegionItem
from releases.extraction.cleaning import blank_credits, fix_mixed_scripts
from releases.extraction.pipeline import analyse, head_of_delegation, headline, publication_marker
from tests.factories import OrganizationFactory, directory_region


def test_headline_skips_page_furniture_breadcrumbs_and_the_date_marker():
    text = "Главная / Новости\n12.03.2024\nПоказать еще 3 фото\n128\nОмские компании провели переговоры\nТекст."
    assert headline(text) == "Омские компании провели переговоры"
    assert headline("Новости Курская область и Республика Коми расширяют связи\n") == (
        "Курская область и Республика Коми расширяют связи"
    )
    long = " date 2025-03-02 " + "Министерство экономики Курской области провело бизнес-миссию. " + "Слово " * 60
    assert headline(long) == "Министерство экономики Курской области провело бизнес-миссию."
    assert headline("\n\n") == ""


def test_publication_marker():
    assert publication_marker(" date 2025-03-02 Текст") == datetime.date(2025, 3, 2)
    assert publication_marker("date 2025-13-40 Текст") is None
    assert publication_marker("Текст от date 2025-03-02") is None


def test_head_of_delegation_from_the_text_or_the_origin_side_s_governor():
    governor = PersonItem(name="Роман Старовойт", position="губернатор Курской области")
    minister = PersonItem(name="Олег Носов", position="министр экономики Курской области")
    text = "Делегацию возглавил министр экономики Курской области Олег Носов."
    minister.spans = [type("S", (), {"start": text.index("Олег"), "end": len(text) - 1})()]
    assert head_of_delegation(text, [governor, minister], [RegionItem("Курская область")]) == "Олег Носов"
    assert (
        head_of_delegation("Встреча прошла.", [minister, governor], [RegionItem("Курская область")])
        == "Роман Старовойт"
    )
    assert head_of_delegation("Встреча прошла.", [governor], [RegionItem("Республика Коми")]) is None


@pytest.mark.django_db
def test_analyse_wires_everything_and_resolves_against_the_directory():
    kursk = directory_region("46")
    signal = OrganizationFactory(name="Сигнал-М", short_name="АО «Сигнал-М»", legal_form="ao", region=kursk)
    text = (
        " date 2025-03-02 Курские предприятия побывали в Республике Коми\n"
        "Бизнес-миссию возглавил министр промышленности Курской области Олег Носов. В состав делегации вошли "
        "АО «Сигнал-М» и ООО «Северянка». Директор АО «Сигнал-М» Павел Гусев подписал договор поставки насосов "
        "между АО «Сигнал-М» и ООО «Печора-Энерго»."
    )
    draft = analyse(text)
    assert draft.published == datetime.date(2025, 3, 2)
    assert draft.title == "Курские предприятия побывали в Республике Коми"
    assert [(o.name, o.organization_id) for o in draft.organizations] == [
        ("Сигнал-М", signal.pk),
        ("Северянка", None),
        ("Печора-Энерго", None),
        ("Министерство промышленности Курской области", None),  # the minister's title names it
    ]
    assert [(p.name, p.position, p.organization) for p in draft.people] == [
        ("Олег Носов", "министр промышленности Курской области", "Министерство промышленности Курской области"),
        ("Павел Гусев", "директор АО «Сигнал-М»", "Сигнал-М"),
    ]
    assert draft.head_of_delegation == "Олег Носов"
    gold = draft.to_gold()
    assert gold["agreements"] == [
        {
            "title_or_description": "договор поставки насосов между АО «Сигнал-М» и ООО «Печора-Энерго»",
            "parties": ["Сигнал-М", "Печора-Энерго"],
            "kind": "commercial_contract",
        }
    ]
    assert {"text": "2025-03-02", "iso": "2025-03-02", "what": "publication"} in gold["dates"]
    assert analyse(text, published=datetime.date(2025, 3, 5)).published == datetime.date(2025, 3, 5)


def test_latin_look_alikes_inside_russian_words_are_read_as_cyrillic_without_moving_offsets():
    text = "Cотрудничество с ООО «Нoвaтор» и IT-компанией Wi-Fi"
    fixed = fix_mixed_scripts(text)
    assert fixed == "Сотрудничество с ООО «Новатор» и IT-компанией Wi-Fi"
    assert len(fixed) == len(text)


def test_credit_lines_are_blanked_without_moving_offsets():
    text = (
        "Тверские станкостроители побывали в Казани\nФото: пресс-служба Минэкономразвития КБР\n"
        "Источник: ГТРК «Тверь»\nФото пресс-службы правительства области\nАвтор фото — Иван Смирнов\n"
        "Фотовыставка открылась в Казани."
    )
    blanked = blank_credits(text)
    assert len(blanked) == len(text)
    assert blanked.split("\n") == [
        "Тверские станкостроители побывали в Казани",
        " " * len("Фото: пресс-служба Минэкономразвития КБР"),
        " " * len("Источник: ГТРК «Тверь»"),
        " " * len("Фото пресс-службы правительства области"),
        " " * len("Автор фото — Иван Смирнов"),
        "Фотовыставка открылась в Казани.",
    ]


@pytest.mark.django_db
def test_a_credit_line_gives_no_organization_city_or_person_and_a_channel_is_media():
    text = (
        "Делегация Калужской области провела переговоры в Туле\n"
        "Фото: пресс-служба Минсельхоза КБР\n"
        "В переговорах участвовали ООО «Тулачермет-Сталь» и АО «Калужский турбинный завод». Об этом сообщил "
        "Telegram-канал «Тульский вестник» и паблик «Калуга сегодня».\n"
        "Фото: Telegram-канал «Городские новости Тулы»"
    )
    draft = analyse(text)
    assert [o.name for o in draft.organizations] == ["Тулачермет-Сталь", "Калужский турбинный завод"]
    assert [city.name for city in draft.cities] == ["Тула"]
    assert draft.people == []


def test_gold_region_names_drop_a_parenthesis_repeating_the_name_only():
    draft = Draft(
        text="",
        origin_regions=[RegionItem("Республика Адыгея (Адыгея)"), RegionItem("Республика Саха (Якутия)")],
        destination_regions=[RegionItem("Пермский край")],
    )
    gold = draft.to_gold()
    assert gold["origin_regions"] == ["Республика Адыгея", "Республика Саха (Якутия)"]
    assert gold["destination_regions"] == ["Пермский край"]
