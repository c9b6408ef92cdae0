"""What sources report (ReportedFigure) and who keeps the sources (Source.recorded_by): the metrics real
releases use, whole counts, a year, the sentence set beside a figure, what is compared with the
portal's rows and what never is, and the programme kinds."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from missions.models import ProgramItem, ReportedFigure, Source
from missions.selectors import FigureRow, figures_beside_counts
from tests import factories as f
from tests.helpers import html_of, section_of
from tests.test_admin import _form_errors, _submit

pytestmark = pytest.mark.django_db

Metric = ReportedFigure.Metric


def _figure(metric=Metric.CONTRACTS, number=16, currency="", **fields) -> ReportedFigure:
    return ReportedFigure(metric=metric, number=Decimal(number), currency=currency, **fields)


# --- The sentence beside a figure --------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "recorded", "sentence"),
    [
        (3, 2, "на 1 запись меньше, чем заявлено"),
        (4, 2, "на 2 записи меньше, чем заявлено"),
        (7, 2, "на 5 записей меньше, чем заявлено"),
        (23, 2, "на 21 запись меньше, чем заявлено"),
        (1, 2, "на 1 запись больше, чем заявлено"),
        (2, 4, "на 2 записи больше, чем заявлено"),
        (2, 7, "на 5 записей больше, чем заявлено"),
        (2, 23, "на 21 запись больше, чем заявлено"),
        (12, 12, "столько же, сколько заявлено"),
    ],
)
def test_the_sentence_beside_a_count_is_correct_russian(reported, recorded, sentence):
    row = FigureRow(_figure(number=reported), recorded)

    with translation.override("ru"):
        assert row.comparison == sentence


def test_the_sentence_beside_a_count_in_english():
    assert FigureRow(_figure(number=3), 2).comparison == "1 record fewer than reported"
    assert FigureRow(_figure(number=2), 7).comparison == "5 records more than reported"


def test_a_value_is_compared_without_counting_records():
    row = FigureRow(_figure(Metric.VALUE, 2_000_000, "RUB"), Decimal(1_000_000), "RUB")

    with translation.override("ru"):
        assert (row.comparison, row.falls_short) == ("меньше, чем заявлено", True)


def test_nothing_to_compare_says_nothing():
    assert FigureRow(_figure(Metric.PARTICIPANTS, 30), None).comparison == ""


# --- What is compared with the portal's rows ---------------------------------------------------


def test_only_metrics_with_rows_behind_them_are_compared():
    figures = [
        _figure(Metric.MEETINGS, 40),
        _figure(Metric.PARTICIPANTS, 30),
        _figure(Metric.HOST_COMPANIES, 20),
        _figure(Metric.TRADE_TURNOVER, 5_000_000, "USD", period=2023),
        _figure(Metric.POTENTIAL_VALUE, 2_000_000, "RUB"),
        _figure(Metric.VALUE, 2_000_000, "RUB"),
    ]
    counts = {Metric.MEETINGS: 38, Metric.PARTICIPANTS: 99, Metric.HOST_COMPANIES: 99}
    values = {"RUB": Decimal(1_500_000), "USD": Decimal(7_000_000)}

    rows = figures_beside_counts(figures, counts, values)

    assert [(row.figure.metric, row.recorded, row.currency) for row in rows] == [
        ("meetings", 38, ""),
        ("participants", None, ""),  # people and host companies have no rows behind them
        ("host_companies", None, ""),
        ("trade_turnover", None, "USD"),  # never set beside contract sums
        ("potential_value", None, "RUB"),
        ("value", Decimal(1_500_000), "RUB"),
    ]


# --- Whole counts, values with a currency, a year ----------------------------------------------


def test_a_count_with_a_fraction_is_refused_with_a_message():
    figure = f.ReportedFigureFactory.build(
        source=f.SourceFactory(), mission=f.MissionFactory(), metric=Metric.PARTICIPANTS, number=Decimal("16.5")
    )

    with pytest.raises(ValidationError) as refusal:
        figure.full_clean()

    assert refusal.value.message_dict == {"number": ["A count is a whole number: 16.5 is not."]}


def test_a_value_may_have_cents_and_a_count_reads_as_a_whole_number():
    value = _figure(Metric.TRADE_TURNOVER, "1500000.50", "USD", source=f.SourceFactory(), mission=f.MissionFactory())
    value.full_clean()
    count = _figure(Metric.CONTRACTS, "16.00")

    assert (count.count, count.number_as_text, value.count, value.number_as_text) == (16, "16", None, "1500000.5")


@pytest.mark.parametrize("metric", [Metric.TRADE_TURNOVER, Metric.POTENTIAL_VALUE])
def test_a_value_metric_without_a_currency_is_refused_by_the_database(metric):
    with pytest.raises(IntegrityError):
        f.ReportedFigureFactory(metric=metric, number=100, currency="")


def test_a_count_with_a_currency_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        f.ReportedFigureFactory(metric=Metric.PARTICIPANTS, number=30, currency="RUB")


def test_a_year_out_of_range_is_refused():
    figure = f.ReportedFigureFactory.build(source=f.SourceFactory(), mission=f.MissionFactory(), period=1812)

    with pytest.raises(ValidationError) as refusal:
        figure.full_clean()

    assert list(refusal.value.message_dict) == ["period"]


def test_the_mission_page_shows_counts_as_whole_numbers_values_grouped_and_the_year(client):
    mission = f.MissionFactory(title="Визит в Минск", slug="minsk", is_public=True)
    source = f.SourceFactory(title="Итоги визита")
    mission.sources.add(source)
    f.ReportedFigureFactory(
        source=source, mission=mission, metric=Metric.PARTICIPANTS, qualifier="more_than", number=20
    )
    f.ReportedFigureFactory(source=source, mission=mission, metric=Metric.MEETINGS, qualifier="exactly", number=16)
    f.ReportedFigureFactory(
        source=source, mission=mission, metric=Metric.TRADE_TURNOVER, qualifier="about", number=1_500_000_000,
        currency="USD", period=2023,
    )  # fmt: skip

    html = section_of(html_of(client.get(reverse("missions:detail", kwargs={"slug": "minsk"}))), "sources-heading")
    rows = {
        re.sub(r"<[^>]+>", "", th): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rest)).strip()
        for th, rest in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', html, re.S)
    }

    assert rows["участники (человек)"].startswith("более 20 портал не учитывает")
    assert rows["B2B-встречи"].startswith("ровно 16 проведено встреч: 0 на 16 записей меньше, чем заявлено")
    assert rows["товарооборот, 2023 год"].startswith(
        "около 1 500 000 000 $ портал не учитывает"
    )  # grouped by no-break spaces
    assert "16.00" not in html and "16,00" not in html
    assert "1\xa0500\xa0000\xa0000 $" in html


def test_the_admin_shows_a_count_as_a_whole_number(staff_client):
    figure = f.ReportedFigureFactory(metric=Metric.MEETINGS, number=16)

    page = staff_client.get(reverse("admin:missions_reportedfigure_change", args=[figure.pk])).content.decode()

    assert re.search(r'name="number" value="16"', page)


def test_a_count_with_a_fraction_entered_in_the_admin_is_refused_on_its_field(staff_client):
    figure = f.ReportedFigureFactory(metric=Metric.MEETINGS, number=16)

    response = _submit(
        staff_client, reverse("admin:missions_reportedfigure_change", args=[figure.pk]), {"number": "16.5"}
    )

    assert _form_errors(response) == {"number": {"count_not_whole"}}
    figure.refresh_from_db()
    assert figure.number == 16


# --- Sources are kept by the ministry that recorded them ---------------------------------------


@pytest.fixture
def ministries():
    return f.MinistryFactory(name="Минпром У"), f.MinistryFactory(name="Минпром Ч", region=f.directory_region("74"))


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_source_a_staff_member_adds_stays_editable_by_their_ministry(ministries):
    ours, theirs = ministries
    author = f.MinistryStaffFactory(username="author", organization=ours)
    colleague = f.MinistryStaffFactory(username="colleague", organization=ours)
    stranger = f.MinistryStaffFactory(username="stranger", organization=theirs)

    response = _submit(
        _client(author),
        reverse("admin:missions_source_add"),
        {"title": "Итоги визита", "outlet": "Пресс-служба", "published_on": "15.05.2024"},
    )

    assert response.status_code == 302, _form_errors(response)
    source = Source.objects.get(title="Итоги визита")
    assert source.recorded_by == ours
    url = reverse("admin:missions_source_change", args=[source.pk])
    edited = _submit(_client(colleague), url, {"title": "Итоги рабочего визита"})
    assert edited.status_code == 302, _form_errors(edited)
    refused = _client(stranger).post(url, {"title": "Чужая правка"})
    assert refused.status_code == 403
    source.refresh_from_db()
    assert (source.title, source.recorded_by) == ("Итоги рабочего визита", ours)


def test_the_figures_of_a_kept_source_are_edited_by_its_keeper(ministries):
    ours, theirs = ministries
    keeper = f.MinistryStaffFactory(username="keeper", organization=ours)
    mission = f.MissionFactory(organizer=theirs)  # someone else's mission, reported by our source
    figure = f.ReportedFigureFactory(source=f.SourceFactory(recorded_by=ours), mission=mission, number=5)

    response = _submit(
        _client(keeper), reverse("admin:missions_reportedfigure_change", args=[figure.pk]), {"number": "6"}
    )

    assert response.status_code == 302, _form_errors(response)
    figure.refresh_from_db()
    assert figure.number == 6


# --- Programme kinds ---------------------------------------------------------------------------


def test_the_programme_has_the_kinds_real_programmes_use():
    assert ProgramItem.Kind.values == [
        "b2b",
        "round_table",
        "site_visit",
        "signing",
        "exhibition",
        "plenary",
        "forum",
        "presentation",
        "official_talks",
        "section",
        "other",
    ]


def test_a_forum_is_shown_as_a_forum_on_the_mission_page(client):
    mission = f.MissionFactory(slug="forum-visit", is_public=True)
    f.ProgramItemFactory(
        mission=mission,
        kind=ProgramItem.Kind.FORUM,
        title="Форум регионов",
        starts_at=datetime.datetime(2024, 5, 14, 10, tzinfo=datetime.UTC),
    )
    f.ProgramItemFactory(mission=mission, kind=ProgramItem.Kind.OFFICIAL_TALKS, title="Переговоры с правительством")

    html = section_of(
        html_of(client.get(reverse("missions:detail", kwargs={"slug": "forum-visit"}))), "program-heading"
    )

    assert re.search(r"Форум регионов.*?</th>\s*<td>форум</td>", html, re.S)
    assert re.search(r"Переговоры с правительством.*?</th>\s*<td>официальные переговоры</td>", html, re.S)
