"""Directory services: the region directory, slugs, and publishing records."""

import pytest

from companies.data.regions import FEDERAL_DISTRICTS, REGIONS
from companies.models import FederalDistrict, Organization, Region
from companies.services import records_set_public, region_directory_sync, unique_slug
from missions.models import Mission
from tests.factories import MissionFactory, OrganizationFactory, directory_region

pytestmark = pytest.mark.django_db


# --- region_directory_sync -------------------------------------------------------------------


def test_region_directory_loaded_by_migration():
    assert FederalDistrict.objects.count() == 8 == len(FEDERAL_DISTRICTS)
    assert Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT).count() == 89 == len(REGIONS)
    assert not Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT, federal_district__isnull=True).exists()


def test_region_directory_sync_second_run_creates_nothing():
    assert region_directory_sync() == (0, 0)
    assert FederalDistrict.objects.count() == 8
    assert Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT).count() == 89


def test_region_directory_sync_keeps_staff_edited_names():
    region = directory_region("73")
    region.name, region.name_en = "Ульяновская область (ред.)", "Ulyanovsk (edited)"
    region.save()
    district = FederalDistrict.objects.get(code=region.federal_district.code)
    district.name = "Приволжье"
    district.save()

    assert region_directory_sync() == (0, 0)

    region.refresh_from_db()
    district.refresh_from_db()
    assert (region.name, region.name_en) == ("Ульяновская область (ред.)", "Ulyanovsk (edited)")
    assert district.name == "Приволжье"


def test_region_directory_sync_recreates_a_deleted_region():
    directory_region("74").delete()
    assert region_directory_sync() == (0, 1)
    assert directory_region("74").federal_district is not None
    assert Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT).count() == 89


# --- unique_slug ---------------------------------------------------------------------------


def test_unique_slug_transliterates_cyrillic():
    assert unique_slug(Organization, "Ульяновский автомобильный завод") == "ulyanovskiy-avtomobilnyy-zavod"
    assert unique_slug(Organization, "Щёкинский химзавод «Азот»") == "shchekinskiy-khimzavod-azot"


def test_unique_slug_collision_gets_numeric_suffix():
    OrganizationFactory(slug="avtokomponent")
    assert unique_slug(Organization, "Автокомпонент") == "avtokomponent-2"
    OrganizationFactory(slug="avtokomponent-2")
    assert unique_slug(Organization, "Автокомпонент") == "avtokomponent-3"


def test_unique_slug_own_row_is_not_a_collision():
    organization = OrganizationFactory(slug="avtokomponent")
    assert unique_slug(Organization, "Автокомпонент", exclude_pk=organization.pk) == "avtokomponent"


def test_unique_slug_without_letters_falls_back_to_model_name():
    assert unique_slug(Mission, "— *** —") == "mission"


def test_unique_slug_respects_max_length():
    slug = unique_slug(Organization, "Очень длинное название предприятия " * 10, max_length=40)
    assert len(slug) <= 40
    assert not slug.endswith("-")


# --- records_set_public ----------------------------------------------------------------------


def test_records_set_public_flips_only_selected_rows():
    chosen = [OrganizationFactory(is_public=False), OrganizationFactory(is_public=False)]
    untouched = OrganizationFactory(is_public=False)

    changed = records_set_public(queryset=Organization.objects.filter(pk__in=[o.pk for o in chosen]), is_public=True)

    assert changed == 2
    assert set(Organization.objects.filter(is_public=True).values_list("pk", flat=True)) >= {o.pk for o in chosen}
    untouched.refresh_from_db()
    assert untouched.is_public is False


def test_records_set_public_counts_only_rows_that_changed():
    already, hidden = OrganizationFactory(is_public=True), OrganizationFactory(is_public=False)
    changed = records_set_public(queryset=Organization.objects.filter(pk__in=[already.pk, hidden.pk]), is_public=True)
    assert changed == 1
    assert records_set_public(queryset=Organization.objects.filter(pk__in=[already.pk, hidden.pk]), is_public=True) == 0


def test_records_set_public_writes_history_rows():
    organization = OrganizationFactory(is_public=True)
    history_before = organization.history.count()

    records_set_public(queryset=Organization.objects.filter(pk=organization.pk), is_public=False)

    assert organization.history.count() == history_before + 1
    latest = organization.history.latest()
    assert latest.is_public is False
    assert latest.history_type == "~"


def test_records_set_public_hides_missions():
    mission, other = MissionFactory(is_public=True), MissionFactory(is_public=True)
    assert records_set_public(queryset=Mission.objects.filter(pk=mission.pk), is_public=False) == 1
    assert list(Mission.objects.filter(is_public=True)) == [other]
    assert mission.history.latest().is_public is False


def test_records_set_public_accepts_a_queryset_with_joins_and_distinct():
    # Admin and selector querysets carry select_related over nullable keys and distinct();
    # FOR UPDATE refuses both on PostgreSQL.
    mission = MissionFactory(is_public=False)
    queryset = Mission.objects.select_related("head_of_delegation", "reciprocal_of").filter(pk=mission.pk).distinct()
    assert records_set_public(queryset=queryset, is_public=True) == 1
    mission.refresh_from_db()
    assert mission.is_public is True
