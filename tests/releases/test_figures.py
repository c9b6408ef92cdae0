"""Figures of a press release: metric, qualifier, number and currency; what is no claim."""

from decimal import Decimal

import pytest

from releases.extraction.figures import find_figures
from releases.extraction.nlp import analysed


def figures(text: str) -> list[tuple[str, str, str, Decimal, str | None]]:
    return [(f.text, f.metric, f.qualifier, f.number, f.currency) for f in find_figures(analysed(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Заключено более 40 новых контрактов.", ("более 40 новых контрактов", "contracts", "more_than", 40, None)),
        (
            "Намечено порядка 12 потенциальных контрактов.",
            ("порядка 12 потенциальных контрактов", "contracts", "about", 12, None),
        ),
        ("Сделки на сумму свыше 3 млрд рублей.", ("свыше 3 млрд рублей", "value", "more_than", 3_000_000_000, "RUB")),
        ("Инвестиции составят $2 млн.", ("$2 млн", "value", "exactly", 2_000_000, "USD")),
        ("Поставки на 1,5 млн евро.", ("1,5 млн евро", "value", "exactly", 1_500_000, "EUR")),
        ("Заказы на 800 тыс. юаней.", ("800 тыс. юаней", "value", "exactly", 800_000, "CNY")),
        ("В делегацию вошли около 60 компаний.", ("около 60 компаний", "companies_in_delegation", "about", 60, None)),
        ("Форум собрал почти 400 участников.", ("почти 400 участников", "participants", "about", 400, None)),
        ("Подписано семь соглашений.", ("семь соглашений", "agreements", "exactly", 7, None)),
        ("Проведено 140 B2B-встреч.", ("140 B2B-встреч", "meetings", "exactly", 140, None)),
        ("Обсуждаются 18 инвестиционных проектов.", ("18 инвестиционных проектов", "other", "exactly", 18, None)),
        ("Ожидается до 30 экспонентов.", ("до 30 экспонентов", "other", "up_to", 30, None)),
        ("Работают менее 10 предприятий.", ("менее 10 предприятий", "companies_in_delegation", "less_than", 10, None)),
        (
            "Более десятка предприятий готовы к поставкам.",
            ("Более десятка предприятий", "companies_in_delegation", "more_than", 10, None),
        ),
        ("Доля выросла на 12%.", ("12%", "other", "exactly", 12, None)),
        ("Заключено контрактов на 1,2 млрд.", ("1,2 млрд", "value", "exactly", 1_200_000_000, None)),
        ("Собрано 2 млн тонн зерна.", ("2 млн тонн", "other", "exactly", 2_000_000, None)),
    ],
)
def test_a_figure_with_its_metric_qualifier_number_and_currency(text, expected):
    assert figures(text) == [expected]


def test_trade_turnover_is_read_from_the_noun_before_the_amount():
    assert figures("Товарооборот между регионами составил 4,2 млрд рублей.") == [
        ("4,2 млрд рублей", "trade_turnover", "exactly", 4_200_000_000, "RUB")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Делегация прибыла 14 мая.",  # a date
        "Сотрудничество началось в 2019 году.",  # a year
        "План на 2024-2026 годы утверждён.",  # a period
        "Это 5-й форум в истории региона.",  # an ordinal
        "Визит продлится три дня, переговоры шли 4 часа.",  # durations
        "Предприятия двух регионов и обеих сторон готовы.",  # the two sides
        "Ряд предприятий и несколько компаний заинтересованы.",  # vague amounts
        "Десятки компаний и сотни участников приехали.",  # vague plurals
        "Гостям показали пикапы ST6 и завод ЖБИ-8.",  # models and names
        "Новость\n\n245\n\nПросмотры: 1200",  # view counters
        "Показать еще 3 фото",  # page furniture
        "Сообщение сайта «Новости 24».",  # a number in a name
        "Компания заняла 1 место в рейтинге.",  # a rank
        "Телефон: +7 (351) 123-45-67, ул. Ленина, 5. Начало в 10:00.",  # phone, address, time
    ],
)
def test_no_claim(text):
    assert figures(text) == []


def test_a_restated_fact_is_given_once():
    text = "Подписано 15 контрактов. Эти 15 контрактов обеспечат заводы работой."
    assert figures(text) == [("15 контрактов", "contracts", "exactly", 15, None)]


def test_a_restated_fact_keeps_its_exact_form():
    text = "В миссии участвовали около 70 компаний. Все 70 компаний провели переговоры."
    assert figures(text) == [("70 компаний", "companies_in_delegation", "exactly", 70, None)]
