"""What the review proposes beyond the text: a year-less day ("3 февраля") stays without a year in the
draft (the gold labels' rule) but the mission record takes the year nearest the release's publication;
a head of region named without their body gets the region's government."""

import datetime

import pytest

from companies.dates import DatePrecision
from releases.draft import DateItem, Draft, PersonItem, RegionItem, Span
from releases.extraction.dates import day_near
from releases.proposals import draft_fill_guesses, mission_dates, signing_date


@pytest.mark.parametrize(
    ("text", "what", "published", "expected"),
    [
        ("3 февраля", "mission day", datetime.date(2025, 2, 5), datetime.date(2025, 2, 3)),
        ("28 декабря", "mission day", datetime.date(2025, 1, 10), datetime.date(2024, 12, 28)),
        ("5 января", "mission start", datetime.date(2024, 12, 20), datetime.date(2025, 1, 5)),
        ("11–12 марта", "mission start", datetime.date(2025, 3, 12), datetime.date(2025, 3, 11)),
        ("11–12 марта", "mission end", datetime.date(2025, 3, 12), datetime.date(2025, 3, 12)),
        ("с 30 сентября по 2 октября", "mission start", datetime.date(2024, 10, 3), datetime.date(2024, 9, 30)),
        ("с 30 сентября по 2 октября", "mission end", datetime.date(2024, 10, 3), datetime.date(2024, 10, 2)),
        ("29 февраля", "mission day", datetime.date(2025, 3, 1), datetime.date(2024, 2, 29)),
    ],
)
def test_a_year_less_day_takes_the_year_nearest_the_publication(text, what, published, expected):
    assert day_near(DateItem(text=text, iso=None, what=what), published) == expected


def test_a_date_with_its_year_or_without_a_day_is_not_guessed():
    published = datetime.date(2025, 2, 5)

    assert day_near(DateItem(text="3 февраля 2023 года", iso="2023-02-03", what="mission day"), published) is None
    assert day_near(DateItem(text="в феврале", iso=None, what="mission period"), published) is None


def test_the_mission_record_dates_a_year_less_release_by_its_publication():
    dates = [
        DateItem(text="25–26 февраля", iso=None, what="mission start"),
        DateItem(text="25–26 февраля", iso=None, what="mission end"),
        DateItem(text="26 февраля", iso=None, what="signing"),
    ]
    draft = Draft(text="", published=datetime.date(2026, 2, 27), dates=dates)

    assert mission_dates(draft) == (datetime.date(2026, 2, 25), datetime.date(2026, 2, 26), DatePrecision.DAY)
    assert signing_date(draft) == (datetime.date(2026, 2, 26), DatePrecision.DAY)
    # The draft itself keeps the text's own information: no year.
    assert [item.iso for item in draft.dates] == [None, None, None]


def test_without_a_publication_date_a_year_less_release_leaves_the_mission_undated():
    draft = Draft(text="", published=None, dates=[DateItem(text="9 августа", iso=None, what="mission start")])

    assert mission_dates(draft) == (None, None, DatePrecision.DAY)


def test_a_head_of_region_without_a_body_gets_the_regions_government_proposed():
    region = RegionItem(name="Пензенская область", spans=[Span(10, 28, "Пензенской области")])
    person = PersonItem(name="Олег Мельниченко", position="губернатор Пензенской области")
    draft = Draft(text="", origin_regions=[region], people=[person])

    draft_fill_guesses(draft)

    assert person.organization == "Правительство Пензенской области"
    assert [(o.name, o.kind, o.region_name) for o in draft.organizations] == [
        ("Правительство Пензенской области", "government", "Пензенская область")
    ]
