"""Dates of a press release: days, ranges, years and periods with their role."""

import datetime

from releases.extraction.dates import find_dates
from releases.extraction.nlp import analysed


def dates(text: str, published: datetime.date | None = None) -> list[tuple[str, str | None, str]]:
    return [(item.text, item.iso, item.what) for item in find_dates(analysed(text), published)]


def test_a_range_with_a_year_gives_start_and_end_with_the_same_text():
    assert dates("25–26 февраля 2026 года в Казани прошла бизнес-миссия Пермского края.") == [
        ("25–26 февраля 2026 года", "2026-02-25", "mission start"),
        ("25–26 февраля 2026 года", "2026-02-26", "mission end"),
    ]


def test_a_range_across_months():
    assert dates("Делегация работала 30 сентября – 2 октября 2025 года.") == [
        ("30 сентября – 2 октября 2025 года", "2025-09-30", "mission start"),
        ("30 сентября – 2 октября 2025 года", "2025-10-02", "mission end"),
    ]


def test_a_day_without_a_year_has_no_iso_even_with_the_publication_date():
    assert dates("Бизнес-миссия прошла 12 апреля.", datetime.date(2025, 4, 13)) == [("12 апреля", None, "mission day")]


def test_an_opening_day_is_the_mission_start():
    assert dates("Сегодня, 14 мая, открылась бизнес-миссия.") == [("14 мая", None, "mission start")]


def test_a_signing_with_its_year():
    assert dates("Соглашение подписано 14 марта 2024 года.") == [("14 марта 2024 года", "2024-03-14", "signing")]


def test_a_day_before_the_missions_day_is_an_earlier_event():
    text = "12 мая состоялась встреча делегаций. Новый цех завода запущен 3 апреля."
    assert dates(text) == [("12 мая", None, "mission day"), ("3 апреля", None, "past event")]


def test_the_first_line_marker_is_the_publication():
    assert dates("date 2024-11-05 Делегация Курской области посетила Минск.") == [
        ("2024-11-05", "2024-11-05", "publication")
    ]


def test_a_dateline_is_the_publication():
    assert dates("КАЗАНЬ, 12 марта 2025 года — Делегация прибыла.") == [
        ("КАЗАНЬ, 12 марта 2025 года", "2025-03-12", "publication")
    ]


def test_a_period_of_years_gives_two_entries():
    assert dates("Подписан план мероприятий на 2025-2027 годы.") == [
        ("на 2025-2027 годы", "2025", "period"),
        ("на 2025-2027 годы", "2027", "period"),
    ]


def test_since_a_two_digit_year():
    assert dates("С 23 года проведено много встреч.") == [("С 23 года", "2023", "period")]


def test_a_year_tied_to_an_earlier_visit():
    assert dates("Напомним, в 2021 году делегация посетила Омск.", datetime.date(2025, 3, 1)) == [
        ("в 2021 году", "2021", "past event")
    ]


def test_a_year_in_passing_is_no_date():
    assert dates("Завод основан в 1956 году и выпускает насосы.") == []


def test_a_month_of_the_mission():
    assert dates("Бизнес-миссия пройдёт в октябре 2026 года.") == [("в октябре 2026 года", "2026", "mission period")]


def test_relative_expressions_and_durations_are_no_dates():
    assert dates("Вчера делегация приехала, через два дня она уедет; переговоры шли три часа.") == []


def test_the_next_missions_month_is_another_event():
    assert dates("Следующая бизнес-миссия запланирована в сентябре 2026 года.") == [
        ("в сентябре 2026 года", "2026", "event")
    ]


def test_two_days_joined_by_and():
    assert dates("Бизнес-миссия прошла 9 и 10 августа 2025 года.") == [
        ("9 и 10 августа 2025 года", "2025-08-09", "mission start"),
        ("9 и 10 августа 2025 года", "2025-08-10", "mission end"),
    ]


def test_a_first_line_that_is_only_a_date_and_time_is_the_publication():
    assert dates("17 сентября 2025, 10:35\nДелегация прибыла 16 сентября.") == [
        ("17 сентября 2025", "2025-09-17", "publication"),
        ("16 сентября", None, "mission day"),
    ]
    assert dates("05.06.2024 14:20\nБизнес-миссия прошла успешно.") == [("05.06.2024", "2024-06-05", "publication")]
