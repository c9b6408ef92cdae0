"""The whole reading: the headline, the publication marker, the head of delegation, everything wired."""

import datetime

import pytest

from releases.draft import PersonItem, RegionItem
from releases.extraction.cleaning import fix_mixed_scripts
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
    ]
    assert [(p.name, p.position, p.organization) for p in draft.people] == [
        ("Олег Носов", "министр промышленности Курской области", None),
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
