"""Programme items of a press release: kind, title from the text, date."""

from releases.extraction.dates import find_dates
from releases.extraction.nlp import analysed
from releases.extraction.programme import find_programme


def programme(text: str) -> list[tuple[str, str, str | None]]:
    doc = analysed(text)
    return [(item.kind, item.title, item.date) for item in find_programme(doc, find_dates(doc, None))]


def test_a_round_table_in_the_nominative_with_its_date():
    assert programme("15 мая 2025 года в рамках визита прошло заседание круглого стола.") == [
        ("round_table", "Круглый стол", "2025-05-15")
    ]


def test_a_forum_keeps_its_quoted_name():
    assert programme("Мероприятие проходит в рамках форума «Иннопром».") == [("forum", "Форум «Иннопром»", None)]


def test_b2b_talks_and_official_talks():
    assert programme("Для компаний организованы встречи в формате B2B. Губернаторы провели переговоры.") == [
        ("b2b", "Встречи в формате B2B", None),
        ("official_talks", "Переговоры", None),
    ]


def test_a_site_visit_and_a_signing_by_their_verbs():
    text = "Делегация посетила машиностроительный завод. Стороны подписали меморандум о сотрудничестве."
    assert programme(text) == [
        ("site_visit", "Посетила машиностроительный завод", None),
        ("signing", "Подписали меморандум о сотрудничестве", None),
    ]


def test_an_exhibition_with_its_complement_and_a_plenary_session():
    text = "Гости осмотрели выставку промышленной продукции. Затем открылось пленарное заседание."
    assert programme(text) == [
        ("exhibition", "Выставка промышленной продукции", None),
        ("plenary", "Пленарное заседание", None),
    ]


def test_an_earlier_visits_programme_is_no_item():
    assert programme("Напомним, ранее делегация посетила завод и провела круглый стол.") == []


def test_a_verb_without_its_object_is_no_item():
    # "посетили" with a region, not a site, is the mission itself
    assert programme("Предприниматели посетили Казахстан.") == []


def test_b2b_written_with_its_noun():
    assert programme("Проведено 140 B2B-встреч.") == [("b2b", "B2B-встреч", None)]
