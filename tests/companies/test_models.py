"""Directory constraints: each refused by the database, and by full_clean where Django validates it."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation

from companies.models import FederalDistrict, Person, Region, Sector
from tests.factories import (
    FederalDistrictFactory,
    OrganizationFactory,
    PersonFactory,
    RegionFactory,
    SectorFactory,
    directory_region,
)

pytestmark = pytest.mark.django_db


# --- Region --------------------------------------------------------------------------------


def test_region_federal_subject_without_district_refused_by_database():
    before = Region.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(name="Новый субъект", slug="novyy-subekt", kind=Region.Kind.FEDERAL_SUBJECT, code="999")
    assert Region.objects.count() == before


def test_region_federal_subject_losing_district_refused_by_update():
    region = directory_region("73")
    district_id = region.federal_district_id
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.filter(pk=region.pk).update(federal_district=None)
    region.refresh_from_db()
    assert region.federal_district_id == district_id


def test_region_foreign_country_with_district_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionFactory(federal_district=FederalDistrict.objects.first())
    assert not Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY, federal_district__isnull=False).exists()


def test_region_federal_subject_without_district_refused_by_full_clean():
    region = directory_region("74")
    region.federal_district = None
    with pytest.raises(ValidationError) as excinfo:
        region.full_clean()
    assert NON_FIELD_ERRORS in excinfo.value.message_dict
    region.refresh_from_db()
    assert region.federal_district is not None


def test_region_of_a_foreign_country_without_its_country_refused_on_the_field():
    region = Region(name="Минская область", slug="minsk-oblast", kind=Region.Kind.FOREIGN_REGION)
    with translation.override("ru"):
        with pytest.raises(ValidationError) as excinfo:
            region.full_clean()
        assert excinfo.value.message_dict == {"country": ["Выберите страну, к которой относится регион."]}
    assert not Region.objects.filter(slug="minsk-oblast").exists()


def test_region_of_a_foreign_country_with_its_country_accepted():
    belarus = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="BY")
    region = Region(name="Минская область", slug="minsk-oblast", kind=Region.Kind.FOREIGN_REGION, country=belarus)
    region.full_clean()
    region.save()
    assert list(belarus.subregions.values_list("name", flat=True)) == ["Минская область"]


def test_region_country_with_a_country_of_its_own_refused_on_the_field():
    country = Region(name="Новая страна", slug="new-country", kind=Region.Kind.FOREIGN_COUNTRY, country=RegionFactory())
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            country.full_clean()
        assert excinfo.value.message_dict == {
            "country": ["Only a region of a foreign country belongs to a country: leave it empty."]
        }


def test_region_country_on_a_federal_subject_refused_by_database():
    country = RegionFactory()
    region = directory_region("73")
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.filter(pk=region.pk).update(country=country)
    region.refresh_from_db()
    assert region.country_id is None


def test_region_duplicate_code_refused_by_database():
    district = directory_region("73").federal_district
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(
            name="Двойник", slug="dvoynik", kind=Region.Kind.FEDERAL_SUBJECT, code="73", federal_district=district
        )
    assert Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT, code="73").count() == 1


def test_region_duplicate_code_refused_by_full_clean():
    district = directory_region("73").federal_district
    region = Region(
        name="Двойник", slug="dvoynik", kind=Region.Kind.FEDERAL_SUBJECT, code="73", federal_district=district
    )
    with pytest.raises(ValidationError) as excinfo:
        region.full_clean()
    assert NON_FIELD_ERRORS in excinfo.value.message_dict
    assert not Region.objects.filter(slug="dvoynik").exists()


def test_region_same_code_in_other_kind_and_empty_codes_allowed():
    RegionFactory(code="73")
    RegionFactory(code=""), RegionFactory(code="")
    assert Region.objects.filter(code="73").count() == 2
    assert Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY, code="").count() == 2


# --- Sector --------------------------------------------------------------------------------


def test_sector_third_level_refused_by_clean():
    top = SectorFactory()
    child = SectorFactory(parent=top)
    grandchild = Sector(name="Подподотрасль", slug="podpodotrasl", parent=child)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        grandchild.full_clean()
    assert excinfo.value.message_dict["parent"] == ["Sectors have two levels: choose a top-level sector as parent."]
    assert not Sector.objects.filter(slug="podpodotrasl").exists()


def test_sector_second_level_accepted_by_clean():
    top = SectorFactory()
    child = Sector(name="Подотрасль", slug="podotrasl", parent=top)
    child.full_clean()
    child.save()
    assert list(top.children.all()) == [child]


def test_sector_own_parent_refused_by_clean_and_database():
    sector = SectorFactory()
    sector.parent = sector
    with pytest.raises(ValidationError) as excinfo:
        sector.full_clean()
    assert "parent" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Sector.objects.filter(pk=sector.pk).update(parent=F("pk"))
    sector.refresh_from_db()
    assert sector.parent_id is None


def test_sector_duplicate_top_level_name_refused_by_database():
    SectorFactory(name="Машиностроение")
    with pytest.raises(IntegrityError), transaction.atomic():
        SectorFactory(name="Машиностроение")
    assert Sector.objects.filter(name="Машиностроение").count() == 1


def test_sector_same_name_under_different_parents_allowed():
    first, second = SectorFactory(), SectorFactory()
    SectorFactory(name="Прочее", parent=first), SectorFactory(name="Прочее", parent=second)
    assert Sector.objects.filter(name="Прочее").count() == 2


def test_sector_duplicate_name_in_parent_refused_by_database():
    top = SectorFactory()
    SectorFactory(name="Станки", parent=top)
    with pytest.raises(IntegrityError), transaction.atomic():
        SectorFactory(name="Станки", parent=top)
    assert top.children.count() == 1


# --- Person and organization ------------------------------------------------------------------


def test_person_duplicate_in_organization_refused_by_database():
    person = PersonFactory(last_name="Петров", first_name="Пётр", patronymic="Петрович")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            organization=person.organization, last_name="Петров", first_name="Пётр", patronymic="Петрович"
        )
    assert person.organization.people.count() == 1


def test_person_duplicate_in_organization_refused_by_full_clean():
    person = PersonFactory(last_name="Петров", first_name="Пётр")
    twin = Person(organization=person.organization, last_name="Петров", first_name="Пётр")
    with pytest.raises(ValidationError) as excinfo:
        twin.full_clean()
    assert NON_FIELD_ERRORS in excinfo.value.message_dict
    assert person.organization.people.count() == 1


def test_person_known_by_position_only_accepted_and_named_by_position_and_organization():
    government = OrganizationFactory(name="Правительство Республики Беларусь", short_name="Правительство РБ")
    person = Person(organization=government, position="Заместитель премьер-министра")
    person.full_clean()
    person.save()
    assert (person.is_named, person.full_name) == (False, "Заместитель премьер-министра")
    assert str(Person.objects.get(pk=person.pk)) == "Заместитель премьер-министра (Правительство РБ)"


def test_named_person_is_shown_by_name():
    person = PersonFactory(last_name="Петров", first_name="Пётр", patronymic="Петрович", position="Министр")
    assert str(person) == "Пётр Петрович Петров"


def test_person_without_name_or_position_refused_on_the_position_field():
    person = Person(organization=OrganizationFactory(), email="someone@example.org")
    with translation.override("ru"):
        with pytest.raises(ValidationError) as excinfo:
            person.full_clean()
        assert excinfo.value.message_dict == {
            "position": ["Укажите фамилию человека или его должность, если имя неизвестно."]
        }
    assert not Person.objects.exists()


def test_person_with_a_first_name_but_no_last_name_refused_on_the_last_name_field():
    person = Person(organization=OrganizationFactory(), first_name="Иван", position="Министр")
    with translation.override("ru"):
        with pytest.raises(ValidationError) as excinfo:
            person.full_clean()
        assert excinfo.value.message_dict == {"last_name": ["Укажите и фамилию или оставьте имя пустым."]}


def test_two_people_known_by_one_position_in_one_organization_refused():
    first = PersonFactory(last_name="", first_name="", position="Министр промышленности")
    twin = Person(organization=first.organization, position="Министр промышленности")
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            twin.full_clean()
        assert excinfo.value.message_dict == {
            NON_FIELD_ERRORS: ["This organization already has a person known by this position."]
        }


def test_person_same_name_in_another_organization_allowed():
    person = PersonFactory(last_name="Петров", first_name="Пётр")
    other = PersonFactory(last_name="Петров", first_name="Пётр", organization=OrganizationFactory())
    other.full_clean()
    assert Person.objects.filter(last_name="Петров").count() == 2
    assert person.organization_id != other.organization_id


def test_organization_duplicate_name_in_region_refused_by_database():
    organization = OrganizationFactory(name="ООО Ромашка")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(name="ООО Ромашка", region=organization.region)
    assert organization.region.organizations.filter(name="ООО Ромашка").count() == 1


def test_federal_district_duplicate_code_refused_by_database():
    FederalDistrictFactory(code="xx")
    with pytest.raises(IntegrityError), transaction.atomic():
        FederalDistrictFactory(code="xx")
    assert FederalDistrict.objects.filter(code="xx").count() == 1
