"""Benchmark of partner suggestions (`make bench`): one company's suggestions computed, and its page's
read, in a directory of 100,000 organizations (bulk-created), on PostgreSQL when DATABASE_URL is set.

Each organization offers one thing and needs another, drawn from a vocabulary of some 2,000 phrases
(materials × products, in several word forms); the index rows are what `suggestion_terms_index`
writes for them (the same `text_keys`), written in bulk. The cost of one company stays flat: the
candidates come from index lookups and only `CANDIDATES` of them are read.
"""

import random

import pytest
from django.contrib.auth.models import AnonymousUser

from companies.models import Need, Offer, Organization, Region
from partners.models import SuggestionState, SuggestionTerm
from partners.suggestions.selectors import suggestions_for
from partners.suggestions.services import suggestion_terms_index, suggestions_compute, synonym_index
from partners.suggestions.terms import text_keys

pytestmark = pytest.mark.django_db

ORGANIZATIONS = 100_000
MATERIALS = [
    "чугунные", "стальные", "алюминиевые", "медные", "латунные", "титановые", "пластиковые", "резиновые",
    "стеклянные", "деревянные", "бетонные", "керамические", "композитные", "бронзовые", "никелевые",
    "оцинкованные", "нержавеющие", "полимерные", "кварцевые", "графитовые", "вольфрамовые", "магниевые",
    "свинцовые", "оловянные", "фарфоровые", "кожаные", "льняные", "хлопковые", "шерстяные", "силиконовые",
]  # fmt: skip
PRODUCTS = [
    "заготовки", "отливки", "поковки", "валы", "шестерни", "втулки", "фланцы", "корпуса", "панели",
    "трубы", "листы", "профили", "прутки", "детали", "крепёжные изделия", "пружины", "муфты", "клапаны",
    "задвижки", "подшипники", "редукторы", "насосы", "датчики", "кабели", "провода", "плиты", "блоки",
    "кольца", "диски", "ролики", "цепи", "канаты", "сетки", "ёмкости", "баки", "резервуары", "фильтры",
    "сопла", "лопатки", "штампы", "пресс-формы", "оснастка", "инструменты", "фрезы", "свёрла", "изоляторы",
    "шины", "рукава", "уплотнители", "прокладки",
]  # fmt: skip
PHRASES = [f"{m} {p}" for m in MATERIALS for p in PRODUCTS]  # 1,500 phrases


@pytest.fixture
def directory(db):
    rng = random.Random(100_000)
    regions = list(Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT).values_list("pk", flat=True))
    synonyms = synonym_index()
    keys = {phrase: sorted(text_keys(phrase, synonyms)) for phrase in PHRASES}
    Organization.objects.bulk_create(
        (
            Organization(
                name=f"Предприятие {n}", slug=f"bench-{n}", region_id=regions[n % len(regions)], is_public=True
            )
            for n in range(ORGANIZATIONS)
        ),
        batch_size=5000,
    )
    rows = list(Organization.objects.filter(slug__startswith="bench-").values_list("pk", "region_id"))
    offers, needs, terms, states = [], [], [], []
    for pk, region_id in rows:
        offer, need = rng.sample(PHRASES, 2)
        offers.append(Offer(organization_id=pk, title=offer))
        needs.append(Need(organization_id=pk, title=need))
        for side, phrase in (("offer", offer), ("need", need)):
            terms += [
                SuggestionTerm(organization_id=pk, region_id=region_id, side=side, source=side, item=phrase, key=key)
                for key in keys[phrase]
            ]
        states.append(SuggestionState(organization_id=pk, stale=True))
    Offer.objects.bulk_create(offers, batch_size=5000)
    Need.objects.bulk_create(needs, batch_size=5000)
    SuggestionTerm.objects.bulk_create(terms, batch_size=10000)
    SuggestionState.objects.bulk_create(states, batch_size=10000)
    company = Organization.objects.create(name="Заказчик", slug="bench-company", region_id=regions[0], is_public=True)
    Need.objects.create(organization=company, title="Чугунные отливки для корпусов")
    Offer.objects.create(organization=company, title="Механическая обработка стальных валов")
    suggestion_terms_index(organization_ids=[company.pk])
    return company


def test_bench_one_company_among_100000_organizations(benchmark, directory):
    suggestions = benchmark.pedantic(suggestions_compute, kwargs={"organization": directory}, rounds=5, iterations=1)

    assert Organization.objects.count() >= ORGANIZATIONS
    assert 0 < len(suggestions) <= 30
    assert all(s.partner.region_id != directory.region_id for s in suggestions)


def test_bench_the_suggestions_read_among_100000_organizations(benchmark, directory):
    suggestions_compute(organization=directory)

    rows = benchmark.pedantic(lambda: list(suggestions_for(directory, AnonymousUser())[:30]), rounds=10, iterations=1)

    assert 0 < len(rows) <= 30
