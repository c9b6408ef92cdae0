"""The other side of a visit, entered by ministry staff (no superuser) in the admin: foreign countries,
their regions, places, organizations and people anywhere. What they enter is recorded as their
organization's and stays theirs to change; another region's existing rows stay read only to them.
Autocomplete answers offer exactly the rows the form accepts."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from agreements.followup.admin import StaleAfterInline
from agreements.models import StaleAfter
from companies.admin_base import autocomplete_source_admin
from companies.models import Offer, Organization, Person, Place, Region
from tests import factories as f
from tests.test_admin import _form_errors, _inline_error_codes, _submit, _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return f.MinistryFactory(region=f.directory_region("73"), name="Министерство промышленности Ульяновской области")


@pytest.fixture
def staff(ministry):
    return f.MinistryStaffFactory(username="staff-ulyanovsk", organization=ministry)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def belarus():
    return Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="BY")


@pytest.fixture
def other_ministry():
    return f.MinistryFactory(region=f.directory_region("74"), name="Министерство промышленности Челябинской области")


def _page_form(response):
    return response.context["adminform"].form


def _field_messages(response, field):
    with translation.override("ru"):
        return [str(message) for message in _page_form(response).errors.get(field, [])]


# --- Regions: foreign countries and their regions, never a federal subject ---------------------


def test_staff_are_offered_the_two_foreign_kinds_of_region(staff_client):
    page = staff_client.get(_url(Region, "add"))

    kinds = [value for value, _label in _page_form(page).fields["kind"].choices]
    assert kinds == ["foreign_country", "foreign_region"]
    assert _page_form(page).initial["kind"] == "foreign_country"
    assert "federal_district" not in _page_form(page).fields


def test_staff_add_a_region_of_a_foreign_country_recorded_as_their_ministrys(staff_client, ministry, belarus):
    changes = {"name": "Минская область", "name_en": "Minsk Region", "kind": "foreign_region", "country": belarus.pk}

    response = _submit(staff_client, _url(Region, "add"), {**changes, "time_zone": "Europe/Minsk"})

    assert response.status_code == 302
    region = Region.objects.get(name="Минская область")
    assert (region.kind, region.country, region.slug, region.time_zone, region.recorded_by) == (
        "foreign_region",
        belarus,
        "minsk-region",
        "Europe/Minsk",
        ministry,
    )


def test_staff_keep_changing_a_region_they_recorded(staff_client, belarus):
    _submit(
        staff_client, _url(Region, "add"), {"name": "Гомельская обл.", "kind": "foreign_region", "country": belarus.pk}
    )
    region = Region.objects.get(name="Гомельская обл.")

    page = staff_client.get(_url(Region, "change", region.pk))
    response = _submit(staff_client, _url(Region, "change", region.pk), {"name": "Гомельская область"})

    assert page.context["has_change_permission"] is True
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.name == "Гомельская область"


def test_staff_add_a_foreign_country_missing_from_the_list(staff_client, ministry):
    response = _submit(staff_client, _url(Region, "add"), {"name": "Республика Абхазия", "name_en": "Abkhazia"})

    assert response.status_code == 302
    country = Region.objects.get(name="Республика Абхазия")
    assert (country.kind, country.slug, country.recorded_by) == ("foreign_country", "abkhazia", ministry)


def test_staff_cannot_add_a_federal_subject(staff_client):
    district = f.directory_region("73").federal_district
    changes = {"name": "Новый субъект", "kind": "federal_subject", "federal_district": district.pk, "code": "99"}

    response = _submit(staff_client, _url(Region, "add"), changes)

    assert response.status_code == 200
    assert _form_errors(response) == {"kind": {"invalid_choice"}}
    assert not Region.objects.filter(name="Новый субъект").exists()


def test_a_region_of_a_foreign_country_without_its_country_is_refused_on_the_field(staff_client):
    response = _submit(staff_client, _url(Region, "add"), {"name": "Могилёвская область", "kind": "foreign_region"})

    assert response.status_code == 200
    assert _field_messages(response, "country") == ["Выберите страну, к которой относится регион."]
    assert not Region.objects.filter(name="Могилёвская область").exists()


def test_the_shipped_countries_and_federal_subjects_stay_read_only_to_staff(staff_client, belarus):
    for region in (belarus, f.directory_region("73")):
        url = _url(Region, "change", region.pk)
        page = staff_client.get(url)
        refused = staff_client.post(url, {"name": "Правка", "slug": region.slug, "kind": region.kind})

        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        assert 'name="name"' not in page.content.decode()
        assert refused.status_code == 403
    assert Region.objects.filter(name="Правка").count() == 0


def test_a_region_another_ministry_recorded_stays_read_only(staff_client, other_ministry, belarus):
    region = Region.objects.create(
        name="Брестская область", slug="brest", kind="foreign_region", country=belarus, recorded_by=other_ministry
    )
    url = _url(Region, "change", region.pk)

    page = staff_client.get(url)
    refused = staff_client.post(url, {"name": "Правка", "slug": "brest", "kind": "foreign_region"})

    assert page.context["has_change_permission"] is False
    assert refused.status_code == 403
    region.refresh_from_db()
    assert region.name == "Брестская область"


# --- Places -----------------------------------------------------------------------------------


def test_staff_add_a_city_of_a_foreign_country(staff_client, ministry, belarus):
    minsk_region = Region.objects.create(
        name="Минская область", slug="minsk-region", kind="foreign_region", country=belarus
    )

    response = _submit(
        staff_client, _url(Place, "add"), {"name": "Борисов", "name_en": "Barysaw", "region": minsk_region.pk}
    )

    assert response.status_code == 302
    place = Place.objects.get()
    assert (place.name, place.slug, place.region, place.recorded_by) == ("Борисов", "barysaw", minsk_region, ministry)
    assert staff_client.get(_url(Place, "change", place.pk)).context["has_change_permission"] is True


def test_the_same_place_twice_in_one_region_is_refused(staff_client, belarus):
    Place.objects.create(name="Минск", slug="minsk", region=belarus)

    response = _submit(staff_client, _url(Place, "add"), {"name": "Минск", "region": belarus.pk})

    assert response.status_code == 200
    with translation.override("ru"):
        assert [str(e) for e in _page_form(response).non_field_errors()] == [
            "В этом регионе уже есть населённый пункт с таким названием."
        ]
    assert Place.objects.count() == 1


def test_a_place_of_another_region_stays_read_only(staff_client, other_ministry):
    chelyabinsk = f.directory_region("74")
    place = Place.objects.create(
        name="Магнитогорск", slug="magnitogorsk", region=chelyabinsk, recorded_by=other_ministry
    )
    url = _url(Place, "change", place.pk)

    page = staff_client.get(url)
    refused = staff_client.post(url, {"name": "Правка", "slug": "magnitogorsk", "region": chelyabinsk.pk})

    assert page.context["has_change_permission"] is False
    assert 'name="name"' not in page.content.decode()
    assert refused.status_code == 403
    place.refresh_from_db()
    assert place.name == "Магнитогорск"


def test_a_place_of_their_own_region_is_theirs(staff_client):
    place = Place.objects.create(name="Димитровград", slug="dimitrovgrad", region=f.directory_region("73"))

    response = _submit(staff_client, _url(Place, "change", place.pk), {"name_en": "Dimitrovgrad"})

    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name_en == "Dimitrovgrad"


def test_places_are_found_by_name_and_region_in_the_admin(staff_client, belarus):
    Place.objects.create(name="Минск", slug="minsk", region=belarus)
    Place.objects.create(name="Ульяновск", slug="ulyanovsk", region=f.directory_region("73"))

    by_name = staff_client.get(_url(Place, "changelist"), {"q": "Минск"})
    by_region = staff_client.get(_url(Place, "changelist"), {"q": "Belarus"})

    assert [p.name for p in by_name.context["cl"].result_list] == ["Минск"]
    assert [p.name for p in by_region.context["cl"].result_list] == ["Минск"]


# --- Organizations and people anywhere --------------------------------------------------------


def test_staff_add_a_foreign_company_with_its_original_name_and_a_person_known_by_position(
    staff_client, ministry, belarus
):
    changes = {
        "name": "Минский тракторный завод",
        "name_original": "Мінскі трактарны завод",
        "kind": "company",
        "region": belarus.pk,
        "people-TOTAL_FORMS": "2",
        "people-0-position": "Генеральный директор",
        "people-1-last_name": "Иванова",
        "people-1-first_name": "Анна",
        "people-1-position": "Начальник отдела ВЭД",
    }

    response = _submit(staff_client, _url(Organization, "add"), changes)

    assert response.status_code == 302
    company = Organization.objects.get(name="Минский тракторный завод")
    assert (company.region, company.name_original, company.recorded_by) == (belarus, "Мінскі трактарны завод", ministry)
    people = {str(p): p.recorded_by for p in company.people.select_related("organization")}
    assert people == {
        "Генеральный директор (Минский тракторный завод)": ministry,
        "Анна Иванова": ministry,
    }
    assert staff_client.get(_url(Organization, "change", company.pk)).context["has_change_permission"] is True


def test_a_person_row_without_name_or_position_is_refused_on_the_position_field(staff_client, belarus):
    changes = {"name": "Белорусская торговая компания", "kind": "company", "region": belarus.pk}

    response = _submit(staff_client, _url(Organization, "add"), {**changes, "people-0-email": "info@example.by"})

    assert response.status_code == 200
    people = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is Person)
    with translation.override("ru"):
        assert [str(m) for m in people.forms[0].errors["position"]] == [
            "Укажите фамилию человека или его должность, если имя неизвестно."
        ]
    assert _inline_error_codes(response, Person)
    assert not Organization.objects.filter(name="Белорусская торговая компания").exists()


def test_staff_add_the_partners_head_of_region_to_an_existing_partner_government(
    staff_client, ministry, other_ministry
):
    changes = {"organization": other_ministry.pk, "position": "Губернатор"}

    response = _submit(staff_client, _url(Person, "add"), changes)

    assert response.status_code == 302
    person = Person.objects.get(position="Губернатор")
    assert (person.organization, person.recorded_by, person.is_named) == (other_ministry, ministry, False)
    edited = _submit(staff_client, _url(Person, "change", person.pk), {"last_name": "Текслер", "first_name": "Алексей"})
    assert edited.status_code == 302
    person.refresh_from_db()
    assert str(person) == "Алексей Текслер"
    assert staff_client.get(_url(Organization, "change", other_ministry.pk)).context["has_change_permission"] is False


def test_a_person_without_name_or_position_is_refused_on_the_field(staff_client, ministry):
    response = _submit(staff_client, _url(Person, "add"), {"organization": ministry.pk, "email": "x@example.org"})

    assert response.status_code == 200
    assert _field_messages(response, "position") == ["Укажите фамилию человека или его должность, если имя неизвестно."]
    assert Person.objects.filter(email="x@example.org").count() == 0


def test_staff_may_choose_any_region_for_an_organization_and_any_organization_for_a_person(
    staff_client, ministry, other_ministry, belarus
):
    organization_form = _page_form(staff_client.get(_url(Organization, "add")))
    person_form = _page_form(staff_client.get(_url(Person, "add")))

    assert organization_form.fields["region"].queryset.count() == Region.objects.count() == 89 + 248
    assert set(person_form.fields["organization"].queryset) == {ministry, other_ministry}


def test_another_regions_organization_and_person_stay_read_only(staff_client, other_ministry):
    person = f.PersonFactory(organization=other_ministry, last_name="Петров", position="Министр")
    changes = {
        Organization: (other_ministry, {"name": "Правка", "slug": other_ministry.slug, "kind": "government"}),
        Person: (person, {"last_name": "Правка", "organization": other_ministry.pk, "position": "Министр"}),
    }

    for model, (row, data) in changes.items():
        url = _url(model, "change", row.pk)
        page = staff_client.get(url)
        refused = staff_client.post(url, {**data, "region": other_ministry.region_id})

        assert page.context["has_change_permission"] is False, model
        assert 'name="position"' not in page.content.decode() if model is Person else True
        assert refused.status_code == 403, model
    other_ministry.refresh_from_db()
    person.refresh_from_db()
    assert (other_ministry.name, person.last_name) == ("Министерство промышленности Челябинской области", "Петров")


def test_organizations_are_found_by_their_original_name_in_the_admin(staff_client, belarus):
    f.OrganizationFactory(name="Минский тракторный завод", name_original="Minsk Tractor Works", region=belarus)
    f.OrganizationFactory(name="Ульяновский автомобильный завод")

    response = staff_client.get(_url(Organization, "changelist"), {"q": "Tractor"})

    assert [o.name for o in response.context["cl"].result_list] == ["Минский тракторный завод"]


# --- Autocomplete offers what the form accepts ---------------------------------------------------


def _autocomplete(client, app_label, model_name, field_name, term=""):
    query = {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term}
    response = client.get(reverse("admin:autocomplete"), query)
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


@pytest.fixture
def directory(ministry, other_ministry, staff_client, belarus):
    """Organizations of the staff member's region, one they recorded abroad, and one of another region."""
    neighbour = f.OrganizationFactory(name="Ульяновский автомобильный завод", region=ministry.region)
    recorded = f.OrganizationFactory(name="Минский тракторный завод", region=belarus, recorded_by=ministry)
    far = f.OrganizationFactory(name="Челябинский трубопрокатный завод", region=other_ministry.region)
    return {"neighbour": neighbour, "recorded": recorded, "far": far}


def test_autocomplete_for_a_scoped_field_lists_exactly_what_the_form_accepts(staff_client, directory):
    offered = _autocomplete(staff_client, "companies", "offer", "organization")
    form = _page_form(staff_client.get(_url(Offer, "add")))

    assert offered == [
        "Министерство промышленности Ульяновской области",
        "Минский тракторный завод",
        "Ульяновский автомобильный завод",
    ]
    assert sorted(str(o) for o in form.fields["organization"].queryset) == offered


def test_autocomplete_does_not_offer_a_row_the_form_refuses(staff_client, directory):
    offered = _autocomplete(staff_client, "companies", "offer", "organization", term="Челябинский")
    refused = _submit(staff_client, _url(Offer, "add"), {"organization": directory["far"].pk, "title": "Трубы"})

    assert offered == []
    assert _form_errors(refused) == {"organization": {"invalid_choice"}}
    assert not Offer.objects.filter(title="Трубы").exists()


def test_autocomplete_for_an_unscoped_field_offers_every_organization(staff_client, directory):
    assert _autocomplete(staff_client, "companies", "person", "organization") == [
        "Министерство промышленности Ульяновской области",
        "Министерство промышленности Челябинской области",
        "Минский тракторный завод",
        "Ульяновский автомобильный завод",
        "Челябинский трубопрокатный завод",
    ]


def test_a_superuser_is_offered_every_organization_for_a_scoped_field(client, directory):
    client.force_login(f.StaffUserFactory(username="root"))

    assert _autocomplete(client, "companies", "offer", "organization", term="завод") == [
        "Минский тракторный завод",
        "Ульяновский автомобильный завод",
        "Челябинский трубопрокатный завод",
    ]


def test_autocomplete_names_a_person_known_by_position_with_the_organization(staff_client, belarus):
    government = f.OrganizationFactory(name="Совет Министров Республики Беларусь", region=belarus, kind="government")
    Person.objects.create(organization=government, position="Заместитель Премьер-министра")

    offered = _autocomplete(staff_client, "missions", "mission", "head_of_delegation", term="Премьер")

    assert offered == ["Заместитель Премьер-министра (Совет Министров Республики Беларусь)"]


def test_autocomplete_finds_the_source_form_of_a_model_shown_only_as_an_inline():
    source = autocomplete_source_admin(admin.site, StaleAfter)

    assert isinstance(source, StaleAfterInline)


def test_a_sectors_parent_is_offered_among_top_level_sectors_only(client):
    machinery = f.SectorFactory(name="Машиностроение")
    f.SectorFactory(name="Станкостроение", parent=machinery)
    f.SectorFactory(name="Металлургия")
    client.force_login(f.StaffUserFactory(username="root"))

    assert _autocomplete(client, "companies", "sector", "parent") == ["Машиностроение", "Металлургия"]
