"""The scorer: each matching rule of the gold README on hand-made gold and prediction pairs."""

import pytest

from releases.evaluation import (
    Evaluation,
    agreements_match,
    dates_match,
    figures_match,
    normalise,
    organization_names_match,
    person_names_match,
)


def empty(**lists):
    base = {
        "origin_regions": [],
        "destination_regions": [],
        "cities": [],
        "organizations": [],
        "people": [],
        "dates": [],
        "figures": [],
        "agreements": [],
    }
    base.update(lists)
    return base


def test_normalise_trims_collapses_lowercases_maps_yo_and_drops_quotes():
    assert normalise("  Завод\n «Стрела»   ЁЛКА \"x\" 'y' „z“ ") == "завод стрела елка x y z"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Кировский завод", "кировский  завод", True),
        ("ООО «Вектор»", "Вектор", True),  # legal form and quotes dropped
        ('ПАО "Сигнал"', "АО Сигнал", True),
        ("Станкозавод «Сигнал»", "Сигнал", True),  # the quoted part of one equals the other
        ("Сигнал", "Сигнал-Сервис", False),  # one word: no prefix match
        ("Сигнал", "ТД-Сигнал", False),
        ("Правительство Пермского края", "Правительство Пермского края — Прикамья", True),  # ≥ 2 words, prefix
        ("Правительство Пермского", "Правительство Пермскогоо края", False),  # not at a word boundary
        ("Министерство экономики", "Министерство финансов", False),
        ("", "Сигнал", False),
    ],
)
def test_organization_names(a, b, expected):
    assert organization_names_match(a, b) is expected
    assert organization_names_match(b, a) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Игорь Петрович Сомов", "Игорь Сомов", True),  # patronymic ignored
        ("И. Сомов", "Игорь Сомов", True),  # an initial matches the first name's letter
        ("И.П. Сомов", "Игорь Петрович Сомов", True),
        ("Илья Сомов", "Игорь Сомов", False),
        ("А. Сомов", "Игорь Сомов", False),
        ("Игорь Сомов", "Игорь Сомова", False),
        ("Сомов", "Игорь Сомов", False),  # a surname alone does not say who
        ("Пётр Ёлкин", "петр елкин", True),
    ],
)
def test_person_names(a, b, expected):
    assert person_names_match(a, b) is expected


def test_dates_match_on_iso_and_a_null_iso_on_the_text():
    assert dates_match({"text": "5 мая 2024 года", "iso": "2024-05-05"}, {"text": "5 мая", "iso": "2024-05-05"})
    assert not dates_match({"text": "5 мая", "iso": "2024-05-05"}, {"text": "5 мая", "iso": "2024-05-06"})
    assert dates_match({"text": "5 мая", "iso": None}, {"text": " 5  Мая", "iso": None})
    assert not dates_match({"text": "5 мая", "iso": None}, {"text": "6 мая", "iso": None})
    assert not dates_match({"text": "5 мая", "iso": None}, {"text": "5 мая", "iso": "2024-05-05"})


def test_figures_match_on_metric_qualifier_number_and_currency_together():
    gold = {
        "text": "свыше 3 млрд рублей",
        "metric": "value",
        "qualifier": "more_than",
        "number": 3e9,
        "currency": "RUB",
    }
    assert figures_match(gold, dict(gold, text="более 3 млрд руб.", number=3000000000))
    assert not figures_match(gold, dict(gold, qualifier="about"))
    assert not figures_match(gold, dict(gold, metric="trade_turnover"))
    assert not figures_match(gold, dict(gold, number=4e9))
    assert not figures_match(gold, dict(gold, currency="USD"))


def test_agreements_match_on_kind_parties_and_a_similar_description():
    gold = {
        "title_or_description": "соглашение о сотрудничестве между Пермским краем и Республикой Коми",
        "parties": ["Пермский край", "Республика Коми"],
        "kind": "intergovernmental",
    }
    same = {
        "title_or_description": "Соглашение о сотрудничестве между Пермским краем и Республикой Коми в сфере экономики",
        "parties": ["Республика Коми", "Пермский край"],
        "kind": "intergovernmental",
    }
    assert agreements_match(gold, same)
    assert not agreements_match(gold, dict(same, kind="memorandum"))
    assert not agreements_match(gold, dict(same, parties=["Пермский край"]))
    assert not agreements_match(gold, dict(same, title_or_description="договор поставки станков"))
    # parties are organization names matched by the organization rule
    company = {
        "title_or_description": "договор поставки станков",
        "parties": ["Вектор", "Сигнал"],
        "kind": "commercial_contract",
    }
    assert agreements_match(company, dict(company, parties=["ООО «Сигнал»", "АО «Вектор»"]))


def test_every_gold_item_is_matched_at_most_once():
    evaluation = Evaluation()
    evaluation.add(
        empty(cities=["Пермь"]),
        empty(cities=["Пермь", "пермь"]),
        file="a",
    )
    cities = evaluation.scores["cities"]
    assert (cities.true_positives, cities.false_positives, cities.false_negatives) == (1, 1, 0)
    assert cities.false_hits == [("a", "пермь")]


def test_matching_is_maximum_not_greedy():
    # "Правительство Пермского края" matches both predictions by the prefix rule; the exact one goes
    # to its equal so that both gold items are found.
    gold = empty(
        organizations=[
            {"name": "Правительство Пермского края", "kind": "government"},
            {"name": "Правительство Пермского края — Прикамья", "kind": "government"},
        ]
    )
    predicted = empty(
        organizations=[
            {"name": "Правительство Пермского края — Прикамья", "kind": "government"},
            {"name": "Правительство Пермского края", "kind": "government"},
        ]
    )
    evaluation = Evaluation()
    evaluation.add(gold, predicted)
    assert evaluation.scores["organizations"].true_positives == 2


def test_regions_are_scored_together_and_by_side():
    evaluation = Evaluation()
    evaluation.add(
        empty(origin_regions=["Пермский край"], destination_regions=["Республика Коми"]),
        empty(origin_regions=["Республика Коми"], destination_regions=["Пермский край"]),
    )
    assert evaluation.scores["regions"].as_dict()["f1"] == 1.0
    assert evaluation.scores["origin_regions"].true_positives == 0
    assert evaluation.scores["destination_regions"].false_hits == [("", "Пермский край")]


def test_empty_gold_makes_every_prediction_a_false_hit():
    evaluation = Evaluation()
    evaluation.add(empty(), empty(figures=[{"text": "5", "metric": "other", "qualifier": "exactly", "number": 5}]))
    figures = evaluation.scores["figures"]
    assert (figures.precision, figures.recall, figures.f1) == (0.0, 1.0, 0.0)


def test_positions_and_kinds_are_scored_on_matched_items():
    gold = empty(
        people=[
            {"name": "Игорь Сомов", "position": "министр экономики Пермского края", "organization": None},
            {"name": "Олег Ким", "position": None, "organization": None},
            {"name": "Анна Лис", "position": "директор", "organization": None},
        ],
        organizations=[{"name": "Вектор", "kind": "company"}],
    )
    predicted = empty(
        people=[
            {"name": "Игорь Петрович Сомов", "position": "Министр экономики Пермского края", "organization": None},
            {"name": "Олег Ким", "position": "губернатор", "organization": None},
            {"name": "Вера Лис", "position": "директор", "organization": None},  # another person
        ],
        organizations=[{"name": "ООО «Вектор»", "kind": "association"}],
    )
    evaluation = Evaluation()
    evaluation.add(gold, predicted, file="f")
    positions = evaluation.scores["positions"]
    assert (positions.true_positives, positions.false_positives, positions.false_negatives) == (1, 1, 0)
    assert positions.false_hits == [("f", {"of": "Олег Ким", "position": "губернатор"})]
    people = evaluation.scores["people"]
    assert (people.true_positives, people.false_positives, people.false_negatives) == (2, 1, 1)
    kinds = evaluation.scores["organization_kinds"]
    assert (kinds.true_positives, kinds.false_positives, kinds.false_negatives) == (0, 1, 1)


def test_counts_are_summed_over_files_before_the_ratios():
    evaluation = Evaluation()
    evaluation.add(empty(cities=["Пермь", "Кудымкар"]), empty(cities=["Пермь"]), file="1")
    evaluation.add(empty(cities=["Сыктывкар"]), empty(cities=["Сыктывкар", "Ухта"]), file="2")
    result = evaluation.as_dict()["cities"]
    assert (result["precision"], result["recall"], result["f1"]) == (0.6667, 0.6667, 0.6667)
    assert evaluation.scores["cities"].misses == [("1", "Кудымкар")]
