"""Partner suggestions: the reasons in words, both directions, other regions only, what each viewer
may see, feedback, the refresh after a change, and constant query counts on the pages."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client
from django.urls import reverse
from django.utils import translation

from companies.models import Need, Offer, Organization
from companies.roles import OFFICIALS_GROUP
from missions.models import Mission
from partners.models import PartnerSuggestion, SuggestionFeedback, SuggestionState
from partners.suggestions import signals
from partners.suggestions.selectors import reason_texts, suggestions_for
from partners.suggestions.services import (
    suggestion_terms_index,
    suggestions_compute,
    suggestions_refresh_all,
    suggestions_refresh_stale,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    return {code: f.directory_region(code) for code in ("73", "74", "13")}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The set-up's writes as if committed: their refreshes run (eager Celery), as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def pair(regions, committed):
    """Company A of Ulyanovsk needs castings and machines parts; a foundry of Chelyabinsk casts iron
    and needs machining; a foundry next door to A, a hidden foundry and a trading house do not count."""
    with committed():
        world = _pair(regions)
    suggestions_refresh_all()  # the companies refreshed one after another: each one's stale marks caught up
    return world


def _pair(regions):
    a = f.OrganizationFactory(name="Волжский механический завод", slug="a", region=regions["73"])
    Need.objects.create(organization=a, title="Литые заготовки из чугуна")
    Offer.objects.create(organization=a, title="Механообработка корпусных деталей")
    b = f.OrganizationFactory(name="Уральский литейный завод", slug="b", region=regions["74"])
    Offer.objects.create(organization=b, title="Литьё чугуна под заказ")
    Need.objects.create(organization=b, title="Механическая обработка корпусов")
    neighbour = f.OrganizationFactory(name="Ульяновская литейка", slug="neighbour", region=regions["73"])
    Offer.objects.create(organization=neighbour, title="Литьё чугуна")
    hidden = f.OrganizationFactory(name="Закрытый литейный цех", slug="hidden", region=regions["74"], is_public=False)
    Offer.objects.create(organization=hidden, title="Литьё чугуна и бронзы")
    trader = f.OrganizationFactory(name="Торговый дом Саранск", slug="trader", region=regions["13"])
    Offer.objects.create(organization=trader, title="Поставка оборудования", description="Различные материалы")
    return {"a": a, "b": b, "neighbour": neighbour, "hidden": hidden, "trader": trader}


def _rep(organization, username):
    user = f.UserFactory(username=username)
    f.PersonFactory(organization=organization, user=user)
    return user


def _partners(company, user=None):
    return [(s.partner.slug, s.direction) for s in suggestions_for(company, user or AnonymousUser())]


def test_a_company_is_suggested_the_partner_of_another_region_both_ways(pair):
    assert _partners(pair["a"]) == [("b", "both")]
    assert _partners(pair["b"]) == [("a", "both")]


def test_the_reasons_name_the_need_the_partner_its_region_and_what_answers(pair):
    suggestion = suggestions_for(pair["a"], AnonymousUser()).get()

    assert reason_texts(suggestion, to_the_company=True) == [
        "You need “Литые заготовки из чугуна” — Уральский литейный завод (Chelyabinsk Oblast) "
        "offers “Литьё чугуна под заказ”.",
        "Уральский литейный завод (Chelyabinsk Oblast) needs “Механическая обработка корпусов” — "
        "you offer “Механообработка корпусных деталей”.",
    ]
    assert reason_texts(suggestion, to_the_company=False)[0] == (
        "Волжский механический завод needs “Литые заготовки из чугуна” — Уральский литейный завод "
        "(Chelyabinsk Oblast) offers “Литьё чугуна под заказ”."
    )
    with translation.override("ru"):
        assert reason_texts(suggestion, to_the_company=True)[0] == (
            "Вы ищете «Литые заготовки из чугуна» — Уральский литейный завод (Челябинская область) "
            "предлагает «Литьё чугуна под заказ»."
        )


def test_products_and_sectors_answer_a_need_too(regions):
    a = f.OrganizationFactory(slug="a", region=regions["73"])
    Need.objects.create(organization=a, title="Подшипники для редукторов")
    maker = f.OrganizationFactory(name="Саранский подшипниковый завод", slug="maker", region=regions["13"])
    maker.products = "подшипники роликовые; ступицы"
    maker.save()
    foundry_sector = f.SectorFactory(name="Литейное производство", slug="foundry")
    caster = f.OrganizationFactory(name="Челябинское литьё", slug="caster", region=regions["74"])
    caster.sectors.add(foundry_sector)
    Need.objects.create(organization=a, title="Отливки из алюминия")
    suggestions_refresh_all()

    texts = {s.partner.slug: reason_texts(s, to_the_company=True) for s in suggestions_for(a, AnonymousUser())}

    assert texts == {
        "maker": ["You need “Подшипники для редукторов” — Саранский подшипниковый завод (Republic of Mordovia) "
                  "makes подшипники роликовые."],
        "caster": ["You need “Отливки из алюминия” — Челябинское литьё (Chelyabinsk Oblast) works in "
                   "Литейное производство."],
    }  # fmt: skip


def test_a_company_of_the_same_region_is_never_suggested(pair):
    slugs = {s.partner.slug for s in PartnerSuggestion.objects.filter(company=pair["a"])}

    assert "neighbour" not in slugs
    assert PartnerSuggestion.objects.filter(company=pair["neighbour"], partner=pair["a"]).count() == 0


def test_generic_words_alone_make_no_suggestion(pair):
    assert PartnerSuggestion.objects.filter(partner=pair["trader"]).count() == 0


def test_a_hidden_organization_that_fits_is_not_suggested_to_a_company(pair):
    rep = _rep(pair["a"], "rep-a")

    assert _partners(pair["a"], rep) == [("b", "both")]
    page = _client(rep).get(reverse("suggestions:company")).content.decode()
    assert "Уральский литейный завод" in page
    assert "Закрытый литейный цех" not in page


def test_staff_and_officials_see_the_hidden_partner(pair):
    staff = f.MinistryStaffFactory(username="staff-73", organization=f.MinistryFactory(region=pair["a"].region))
    official = f.UserFactory(username="official")
    official.groups.add(Group.objects.get(name=OFFICIALS_GROUP))

    assert sorted(_partners(pair["a"], staff)) == [("b", "both"), ("hidden", "they_offer")]
    assert sorted(_partners(pair["a"], official)) == [("b", "both"), ("hidden", "they_offer")]


def _client(user):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


# --- Feedback ----------------------------------------------------------------------------------


def _rate(client, company, partner, useful):
    return client.post(
        reverse("suggestions:feedback"),
        {"company": company.pk, "partner": partner.pk, "useful": useful, "next": reverse("suggestions:company")},
    )


def test_not_useful_is_not_shown_again_even_after_a_recomputation(pair):
    rep = _rep(pair["a"], "rep-a")

    response = _rate(_client(rep), pair["a"], pair["b"], "0")

    assert (response.status_code, response.url) == (302, "/partners/suggestions/")
    assert list(SuggestionFeedback.objects.values_list("company__slug", "partner__slug", "useful", "by")) == [
        ("a", "b", False, rep.pk)
    ]
    assert _partners(pair["a"], rep) == []
    suggestions_compute(organization=pair["a"])
    assert _partners(pair["a"], rep) == []
    assert _partners(pair["b"]) == [("a", "both")]  # the other company's own list is its own


def test_useful_keeps_a_weaker_partner_on_top(pair, regions):
    second = f.OrganizationFactory(name="Мордовский литейщик", slug="second", region=regions["13"])
    Offer.objects.create(organization=second, title="Отливки из чугуна")
    suggestions_refresh_all()
    rep = _rep(pair["a"], "rep-a")
    assert [slug for slug, _d in _partners(pair["a"], rep)] == ["b", "second"]

    _rate(_client(rep), pair["a"], second, "1")

    assert [slug for slug, _d in _partners(pair["a"], rep)] == ["second", "b"]
    suggestions_compute(organization=pair["a"])
    assert [slug for slug, _d in _partners(pair["a"], rep)] == ["second", "b"]


def test_another_company_cannot_rate_and_learns_nothing(pair):
    intruder = _rep(pair["trader"], "rep-trader")

    response = _rate(_client(intruder), pair["a"], pair["b"], "0")

    assert response.status_code == 404
    assert SuggestionFeedback.objects.count() == 0


def test_staff_rate_the_companies_their_ministry_keeps_only(pair):
    ours = f.MinistryStaffFactory(username="staff-73", organization=f.MinistryFactory(region=pair["a"].region))
    theirs = f.MinistryStaffFactory(username="staff-13", organization=f.MinistryFactory(region=pair["trader"].region))

    assert _rate(_client(theirs), pair["a"], pair["b"], "0").status_code == 404
    assert _rate(_client(ours), pair["a"], pair["b"], "0").status_code == 302
    assert list(SuggestionFeedback.objects.values_list("by__username", "useful")) == [("staff-73", False)]


def test_feedback_needs_the_csrf_token(pair):
    client = Client(enforce_csrf_checks=True)
    client.force_login(_rep(pair["a"], "rep-a"))

    response = _rate(client, pair["a"], pair["b"], "0")

    assert response.status_code == 403
    assert SuggestionFeedback.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [{"useful": "maybe"}, {"partner": "x"}, {"partner": ""}, {"company": "-1"}],
    ids=["useful", "partner-text", "partner-empty", "company-negative"],
)
def test_a_bad_rating_changes_nothing_and_says_why_in_russian(pair, data):
    client = Client()
    client.force_login(_rep(pair["a"], "rep-a"))
    payload = {"company": pair["a"].pk, "partner": pair["b"].pk, "useful": "0", **data}

    response = client.post(reverse("suggestions:feedback"), payload, follow=True)

    assert response.status_code == 200
    assert "Оценка не сохранена: форма заполнена не полностью." in response.content.decode()
    assert SuggestionFeedback.objects.count() == 0


def test_a_partner_that_is_not_suggested_cannot_be_rated(pair):
    client = Client()
    client.force_login(_rep(pair["a"], "rep-a"))

    response = client.post(
        reverse("suggestions:feedback"),
        {"company": pair["a"].pk, "partner": pair["trader"].pk, "useful": "1"},
        follow=True,
    )

    assert "Этой организации нет среди предложенных партнёров." in response.content.decode()
    assert SuggestionFeedback.objects.count() == 0


def test_feedback_is_post_only_and_an_outside_next_is_ignored(pair):
    client = _client(_rep(pair["a"], "rep-a"))

    assert client.get(reverse("suggestions:feedback")).status_code == 405
    response = client.post(
        reverse("suggestions:feedback"),
        {"company": pair["a"].pk, "partner": pair["b"].pk, "useful": "1", "next": "https://evil.example/"},
    )
    assert response.url == "/partners/suggestions/"


# --- Refresh on change -------------------------------------------------------------------------


def test_an_offer_added_appears_after_the_task_runs(regions, committed, django_capture_on_commit_callbacks):
    with committed():
        a = f.OrganizationFactory(name="Ульяновский приборный завод", slug="a", region=regions["73"])
        Need.objects.create(organization=a, title="Датчики давления")
        b = f.OrganizationFactory(name="Челябинская электроника", slug="b", region=regions["74"])
    assert (_partners(a), _partners(b)) == ([], [])

    with django_capture_on_commit_callbacks(execute=True):
        Offer.objects.create(organization=b, title="Сенсоры давления и температуры")

    assert _partners(b) == [("a", "they_need")]  # the changed company, recomputed at once
    assert SuggestionState.objects.get(organization=a).stale is True  # the affected one, marked
    with django_capture_on_commit_callbacks(execute=True):
        page = _client(_rep(a, "rep-a")).get(reverse("suggestions:company"))  # its page asks for it
    assert "being updated" in page.content.decode()
    assert _partners(a) == [("b", "they_offer")]
    assert SuggestionState.objects.get(organization=a).stale is False


def test_an_offer_deleted_takes_the_suggestion_away_on_both_sides(pair, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Offer.objects.filter(organization=pair["b"]).delete()
    suggestions_refresh_stale()

    assert _partners(pair["b"]) == [("a", "they_offer")]
    assert _partners(pair["a"]) == [("b", "they_need")]


def test_many_writes_of_one_company_queue_one_refresh(regions, committed, django_capture_on_commit_callbacks):
    with committed():
        a = f.OrganizationFactory(slug="a", region=regions["73"])

    with django_capture_on_commit_callbacks() as callbacks:
        for n in range(5):
            Offer.objects.create(organization=a, title=f"Предложение {n}")
        a.products = "литьё"
        a.save()
        a.sectors.add(f.SectorFactory())

    assert len(callbacks) == 1


def test_the_periodic_catch_up_indexes_new_organizations_and_runs_twice_harmlessly(pair, regions):
    late = Organization.objects.create(name="Новый завод", slug="late", region=regions["13"], is_public=True)
    Offer.objects.create(organization=late, title="Литые детали из чугуна")

    assert suggestions_refresh_stale() == 1  # the new one (the signals did not run in this test)
    assert suggestions_refresh_stale() == 0
    assert ("a", "they_need") in _partners(late)


def test_the_index_reads_a_synonym_and_word_forms(regions):
    a = f.OrganizationFactory(slug="a", region=regions["73"])
    Need.objects.create(organization=a, title="Станки с ЧПУ")
    suggestion_terms_index(organization_ids=[a.pk])
    b = f.OrganizationFactory(slug="b", region=regions["74"])
    Offer.objects.create(organization=b, title="Обрабатывающие центры с числовым программным управлением")
    suggestion_terms_index(organization_ids=[b.pk])

    assert [(s.partner.slug, s.reasons[0]["item"]) for s in suggestions_compute(organization=a)] == [
        ("b", "Обрабатывающие центры с числовым программным управлением")
    ]


# --- Pages: constant query counts ----------------------------------------------------------------


def _partners_of(company, regions, n):
    for i in range(n):
        partner = f.OrganizationFactory(name=f"Литейщик {i}", slug=f"caster-{i}", region=regions["74"])
        Offer.objects.create(organization=partner, title=f"Литьё чугуна, серия {i}")
    suggestions_refresh_all()


@pytest.mark.parametrize("n", [1, 4])
def test_the_company_page_runs_a_fixed_number_of_queries(regions, n, django_assert_num_queries):
    a = f.OrganizationFactory(slug="a", region=regions["73"])
    Need.objects.create(organization=a, title="Литые заготовки")
    _partners_of(a, regions, n)
    client = _client(_rep(a, "rep-a"))

    with django_assert_num_queries(8):
        response = client.get(reverse("suggestions:company"))

    assert response.content.decode().count('<li class="suggestion') == n


@pytest.mark.parametrize("n", [1, 4])
def test_the_region_pair_page_runs_a_fixed_number_of_queries(regions, n, django_assert_num_queries):
    a = f.OrganizationFactory(slug="a", region=regions["73"])
    Need.objects.create(organization=a, title="Литые заготовки")
    _partners_of(a, regions, n)

    with django_assert_num_queries(3):
        response = Client().get(reverse("suggestions:region-pair", args=[regions["73"].slug, regions["74"].slug]))

    assert response.content.decode().count('<li class="suggestion') == 2 * n  # A → B and B → A


@pytest.mark.parametrize("n", [1, 4])
def test_the_mission_page_runs_a_fixed_number_of_queries(regions, n, django_assert_num_queries):
    mission = f.MissionFactory(status=Mission.Status.PLANNED, slug="trip", destination_regions=[regions["74"]])
    for i in range(n):
        member = f.OrganizationFactory(name=f"Участник {i}", slug=f"member-{i}", region=regions["73"])
        Need.objects.create(organization=member, title="Литые заготовки")
        f.DelegationMemberFactory(mission=mission, organization=member)
        guest = f.OrganizationFactory(name=f"Гость {i}", slug=f"guest-{i}", region=regions["73"])
        Need.objects.create(organization=guest, title="Отливки чугунные")
    caster = f.OrganizationFactory(name="Литейщик", slug="caster", region=regions["74"])
    Offer.objects.create(organization=caster, title="Литьё чугуна")
    suggestions_refresh_all()
    client = _client(f.MinistryStaffFactory(username="staff-73"))

    with django_assert_num_queries(8):
        response = client.get(reverse("suggestions:mission", args=["trip"]))

    page = response.content.decode()
    assert page.count("<h3>Участник") == n
    assert page.count("needs “Отливки чугунные” — Литейщик (Chelyabinsk Oblast) offers “Литьё чугуна”.") == n


def test_a_broker_outage_leaves_the_company_for_the_periodic_task(pair, committed, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(signals.refresh_suggestions_task, "delay", unreachable)
    with committed():
        Offer.objects.filter(organization=pair["b"]).delete()  # the write itself succeeds

    state = SuggestionState.objects.get(organization=pair["b"])
    assert (state.stale, state.indexed_at) == (True, None)
    suggestions_refresh_stale()
    assert _partners(pair["b"]) == [("a", "they_offer")]


def test_a_company_cannot_probe_a_hidden_partner_through_the_rating(pair):
    assert PartnerSuggestion.objects.filter(company=pair["a"], partner=pair["hidden"]).exists()  # cached for staff
    client = _client(_rep(pair["a"], "rep-a"))

    response = _rate(client, pair["a"], pair["hidden"], "0")

    assert response.status_code == 404
    assert SuggestionFeedback.objects.count() == 0
