"""A company may not wear another organization's name, and its new name, registry numbers and legal
form wait for the ministry staff who keep it (issue 14, finding 3).

Sverdlovsk (66) holds the company that renames itself and the ministry whose staff keep it;
Chelyabinsk (74) its government, whose name the company tries to wear; Ulyanovsk (73) "Авиастар",
another name it tries, and a ministry whose staff must not see the request. The names are those of
another region: within one, the unique name already refused an exact copy before.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from companies.account_services import profile_change_approve, profile_change_reject
from companies.exceptions import PortalError
from companies.models import Organization, ProfileChange
from tests.factories import (
    MinistryFactory,
    MinistryStaffFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    directory_region,
)
from tests.helpers import query_count

pytestmark = pytest.mark.django_db

QUEUE = "admin:companies_profilechange_changelist"


@pytest.fixture
def sverdlovsk():
    return directory_region("66")


@pytest.fixture
def chelyabinsk():
    return directory_region("74")


@pytest.fixture
def ulyanovsk():
    return directory_region("73")


@pytest.fixture
def aviastar(ulyanovsk):
    return OrganizationFactory(name="Авиастар", short_name="Авиастар", slug="aviastar", region=ulyanovsk)


@pytest.fixture
def government(chelyabinsk):
    return MinistryFactory(name="Правительство Челябинской области", slug="chelyabinsk-government", region=chelyabinsk)


@pytest.fixture
def company(sverdlovsk, aviastar, government):
    return OrganizationFactory(
        name="Уралмаш-Сервис", short_name="Уралмаш-Сервис", slug="uralmash-service", region=sverdlovsk
    )


@pytest.fixture
def rep(company):
    user = UserFactory(username="rep")
    PersonFactory(organization=company, user=user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_sverdlovsk(sverdlovsk):
    return MinistryStaffFactory(username="staff-66", organization=MinistryFactory(region=sverdlovsk))


@pytest.fixture
def staff_ulyanovsk(ulyanovsk):
    return MinistryStaffFactory(username="staff-73", organization=MinistryFactory(region=ulyanovsk))


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def profile_post(**overrides):
    data = {
        "name": "Уралмаш-Сервис",
        "short_name": "Уралмаш-Сервис",
        "legal_form": "ooo",
        "inn": "",
        "ogrn": "",
        "website": "https://uralmash.example",
        "products": "Ремонт прокатных станов",
    }
    data.update(overrides)
    return data


def public_page(company) -> str:
    response = Client().get(company.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def api_name(company) -> str:
    response = Client().get(reverse("api:organization-detail", args=[company.slug]))
    assert response.status_code == 200
    return response.json()["name"]


# --- The three attack names of the issue ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "Aвиастар",  # a Latin "A"
            "«Aвиастар» выглядит так же, как «Авиастар» — название организации, уже внесённой в справочник "
            "(компания, Ульяновская область). Выберите название, которое нельзя принять за название "
            "другой организации.",
        ),
        (
            "Авиастар\u200b",  # a zero-width space
            "«Авиастар» выглядит так же, как «Авиастар» — название организации, уже внесённой в справочник "
            "(компания, Ульяновская область). Выберите название, которое нельзя принять за название "
            "другой организации.",
        ),
        (
            "Правительство Челябинской области",
            "В названии компании не может быть слова «Правительство»: такие названия носят органы власти. "
            "Если ваша организация — один из них, напишите сотрудникам министерства.",
        ),
    ],
)
def test_profile_refuses_another_organizations_name(rep, company, name, message):
    response = rep.post(reverse("account:profile"), profile_post(name=name, short_name=""))
    assert response.status_code == 400
    assert message in response.context["form"].errors["name"]
    assert message in response.content.decode().replace("&laquo;", "«").replace("&raquo;", "»")
    company.refresh_from_db()
    assert (company.name, company.products) == ("Уралмаш-Сервис", "")  # nothing saved, the products neither
    assert ProfileChange.objects.count() == 0
    page = public_page(company)
    assert "Уралмаш-Сервис" in page
    assert "Aвиастар" not in page and "Правительство Челябинской области" not in page


def test_profile_refuses_a_short_name_of_a_government_body_of_another_region(rep, company):
    MinistryFactory(name="Министерство промышленности Ульяновской области", short_name="Минпром УО")
    response = rep.post(reverse("account:profile"), profile_post(short_name="Mинпром УО"))  # a Latin "M"
    assert response.status_code == 400
    assert response.context["form"].errors["short_name"] == [
        "«Mинпром УО» выглядит так же, как «Минпром УО» — название организации, уже внесённой в справочник "
        "(правительство или министерство, Ульяновская область). Выберите название, которое нельзя принять "
        "за название другой организации."
    ]
    assert ProfileChange.objects.count() == 0


# --- A legitimate rename waits for the staff ------------------------------------------------------


def test_rename_waits_for_staff_other_fields_apply_at_once(rep, company):
    response = rep.post(reverse("account:profile"), profile_post(name="Уралмаш  Инжиниринг\u200b", inn="7707083893"))
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name, company.inn, company.products) == ("Уралмаш-Сервис", "", "Ремонт прокатных станов")
    change = ProfileChange.objects.get()
    assert (change.status, change.name, change.inn, change.requested_by.username) == (
        "pending",
        "Уралмаш Инжиниринг",  # stored normalised
        "7707083893",
        "rep",
    )
    assert "Уралмаш Инжиниринг" not in public_page(company)
    assert api_name(company) == "Уралмаш-Сервис"
    profile = rep.get(reverse("account:profile")).content.decode()
    assert "ждёт проверки сотрудником министерства" in profile
    assert 'value="Уралмаш Инжиниринг"' in profile  # the form shows what waits, so saving again keeps it
    home = rep.get(reverse("account:home")).content.decode()
    assert "ждёт проверки сотрудником министерства" in home and "«Уралмаш Инжиниринг»" in home


def test_second_change_replaces_the_pending_one_equal_values_withdraw_it(rep, company):
    rep.post(reverse("account:profile"), profile_post(name="Уралмаш Инжиниринг"))
    rep.post(reverse("account:profile"), profile_post(name="Уралмаш Технологии"))
    assert list(ProfileChange.objects.values_list("status", "name")) == [("pending", "Уралмаш Технологии")]
    assert ProfileChange.history.filter(history_type="~").count() == 1  # the replacement is in the history
    rep.post(reverse("account:profile"), profile_post())
    assert list(ProfileChange.objects.values_list("status", "name")) == [("withdrawn", "Уралмаш Технологии")]


def test_staff_approve_in_the_admin_then_the_public_page_shows_the_new_name(rep, company, staff_sverdlovsk):
    rep.post(reverse("account:profile"), profile_post(name="Уралмаш Инжиниринг"))
    change = ProfileChange.objects.get()
    response = client_of(staff_sverdlovsk).post(
        reverse(QUEUE), {"action": "approve_selected", ACTION_CHECKBOX_NAME: [change.pk], "reason": ""}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    company.refresh_from_db()
    assert (change.status, change.decided_by, company.name) == ("approved", staff_sverdlovsk, "Уралмаш Инжиниринг")
    assert "Уралмаш Инжиниринг" in public_page(company)
    assert api_name(company) == "Уралмаш Инжиниринг"
    assert company.history.first().name == "Уралмаш Инжиниринг"
    assert "одобрена" in rep.get(reverse("account:profile")).content.decode()


def test_approve_runs_the_checks_again(rep, company, staff_sverdlovsk, ulyanovsk):
    rep.post(reverse("account:profile"), profile_post(name="Уралмаш Инжиниринг"))
    change = ProfileChange.objects.get()
    OrganizationFactory(name="Уралмаш Инжиниринг\u3164", region=ulyanovsk)  # meanwhile; a Hangul filler at the end
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        profile_change_approve(change=change, by=staff_sverdlovsk)
    assert refused.value.message_dict["name"][0].startswith("“Уралмаш Инжиниринг” looks the same as")
    change.refresh_from_db()
    company.refresh_from_db()
    assert (change.status, company.name) == ("pending", "Уралмаш-Сервис")


def test_staff_reject_with_reason_the_company_sees_it(rep, company, staff_sverdlovsk):
    rep.post(reverse("account:profile"), profile_post(name="Уралмаш Инжиниринг"))
    change = ProfileChange.objects.get()
    staff = client_of(staff_sverdlovsk)
    staff.post(reverse(QUEUE), {"action": "reject_selected", ACTION_CHECKBOX_NAME: [change.pk], "reason": " "})
    change.refresh_from_db()
    assert change.status == "pending"  # no reason, nothing done
    staff.post(
        reverse(QUEUE),
        {"action": "reject_selected", ACTION_CHECKBOX_NAME: [change.pk], "reason": "Нет выписки из ЕГРЮЛ"},
    )
    change.refresh_from_db()
    company.refresh_from_db()
    assert (change.status, change.reason, change.decided_by, company.name) == (
        "rejected",
        "Нет выписки из ЕГРЮЛ",
        staff_sverdlovsk,
        "Уралмаш-Сервис",
    )
    profile = rep.get(reverse("account:profile")).content.decode()
    assert "отклонена" in profile and "Нет выписки из ЕГРЮЛ" in profile


# --- Who sees and decides the queue ---------------------------------------------------------------


def test_staff_of_another_region_neither_see_nor_decide(rep, company, staff_sverdlovsk, staff_ulyanovsk, aviastar):
    rep.post(reverse("account:profile"), profile_post(name="Уралмаш Инжиниринг"))
    change = ProfileChange.objects.get()
    own = ProfileChange.objects.create(organization=aviastar, name="Авиастар-Сервис")  # region 73's, for contrast
    other = client_of(staff_ulyanovsk)
    listing = other.get(reverse(QUEUE)).content.decode()
    assert "Уралмаш Инжиниринг" not in listing and "Авиастар-Сервис" in listing
    change_page = other.get(reverse("admin:companies_profilechange_change", args=[change.pk]))
    assert change_page.status_code == 302  # as for a request that does not exist
    assert other.get(reverse("admin:companies_profilechange_history", args=[change.pk])).status_code == 404
    history_id = change.history.first().history_id
    url = reverse("admin:companies_profilechange_simple_history", args=[change.pk, history_id])
    assert other.get(url).status_code == 404
    other.post(reverse(QUEUE), {"action": "approve_selected", ACTION_CHECKBOX_NAME: [change.pk]})
    change.refresh_from_db()
    company.refresh_from_db()
    assert (change.status, company.name) == ("pending", "Уралмаш-Сервис")
    with pytest.raises(PortalError):
        profile_change_approve(change=change, by=staff_ulyanovsk)
    with pytest.raises(PortalError):
        profile_change_reject(change=change, reason="Чужое", by=staff_ulyanovsk)
    own_listing = client_of(staff_sverdlovsk).get(reverse(QUEUE)).content.decode()
    assert "Уралмаш Инжиниринг" in own_listing and "Авиастар-Сервис" not in own_listing
    own.refresh_from_db()
    assert own.status == "pending"


def test_a_representative_cannot_decide_their_own_change(rep, company):
    rep.post(reverse("account:profile"), profile_post(name="Уралмаш Инжиниринг"))
    change = ProfileChange.objects.get()
    with pytest.raises(PortalError):
        profile_change_approve(change=change, by=change.requested_by)
    assert rep.get(reverse(QUEUE)).status_code == 302  # to the admin's login


def test_queue_changelist_query_count_is_constant(staff_sverdlovsk, sverdlovsk):
    client = client_of(staff_sverdlovsk)

    def requests(n):
        for i in range(n):
            organization = OrganizationFactory(region=sverdlovsk)
            requester = UserFactory()
            PersonFactory(organization=organization, user=requester)
            ProfileChange.objects.create(organization=organization, name=f"Новое имя {i}", requested_by=requester)

    requests(2)
    few = query_count(client, reverse(QUEUE))
    requests(48)
    assert query_count(client, reverse(QUEUE)) == few
    assert query_count(client, reverse(QUEUE) + "?status__exact=pending") == few


def test_staff_in_the_admin_may_not_add_a_look_alike_of_their_regions_organization(ulyanovsk, aviastar):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = client_of(superuser).post(
        reverse("admin:companies_organization_add"),
        {
            "name": "Aвиастар",
            "short_name": "",
            "slug": "fake-aviastar",
            "kind": "company",
            "region": ulyanovsk.pk,
            "people-TOTAL_FORMS": 0,
            "people-INITIAL_FORMS": 0,
            "offers-TOTAL_FORMS": 0,
            "offers-INITIAL_FORMS": 0,
            "needs-TOTAL_FORMS": 0,
            "needs-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "«Aвиастар» выглядит так же, как «Авиастар» — название организации, уже внесённой в справочник "
        "(компания, Ульяновская область). Выберите название, которое нельзя принять за название "
        "другой организации."
    ]
    assert not Organization.objects.filter(slug="fake-aviastar").exists()


def test_a_name_kept_as_it_is_is_not_refused_for_an_older_namesake(rep, company, ulyanovsk):
    OrganizationFactory(name="Уралмаш-Сервис", region=ulyanovsk)  # a namesake entered by staff elsewhere
    response = rep.post(reverse("account:profile"), profile_post(inn="7707083893"))
    assert response.status_code == 302
    assert list(ProfileChange.objects.values_list("status", "name", "inn")) == [
        ("pending", "Уралмаш-Сервис", "7707083893")
    ]


def test_staff_may_change_other_fields_of_an_older_look_alike(ulyanovsk, aviastar):
    older = OrganizationFactory(name="Aвиастар", slug="older-aviastar", region=ulyanovsk)  # before the check
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = client_of(superuser).post(
        reverse("admin:companies_organization_change", args=[older.pk]),
        {
            "name": "Aвиастар",
            "short_name": "",
            "slug": "older-aviastar",
            "kind": "company",
            "legal_form": "ooo",
            "region": ulyanovsk.pk,
            "products": "Агрегаты",
            "people-TOTAL_FORMS": 0,
            "people-INITIAL_FORMS": 0,
            "offers-TOTAL_FORMS": 0,
            "offers-INITIAL_FORMS": 0,
            "needs-TOTAL_FORMS": 0,
            "needs-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.products == "Агрегаты"
