"""Directory services: the region directory, the world's countries, time zones, slugs, and publishing records."""

import pytest
from django.utils import translation

from companies.data.regions import FEDERAL_DISTRICTS, REGIONS
from companies.exceptions import PortalError
from companies.models import FederalDistrict, Organization, Place, Region
from companies.services import (
    country_directory_sync,
    directory_row_create,
    records_set_public,
    region_directory_sync,
    region_time_zones_fill,
    unique_slug,
)
from missions.models import Mission
from tests.factories import (
    MinistryFactory,
    MinistryStaffFactory,
    MissionFactory,
    OrganizationFactory,
    RegionFactory,
    directory_region,
)

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
    assert directory_region("74").time_zone == "Asia/Yekaterinburg"
    assert Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT).count() == 89


# --- Time zones of the federal subjects ------------------------------------------------------

# The zones as the tz database assigns the subjects, written out for the regions where a wrong
# zone would move every time by hours (and for one Moscow-time region of each part of the country).
EXPECTED_ZONES = {
    "39": "Europe/Kaliningrad",
    "77": "Europe/Moscow",
    "43": "Europe/Kirov",
    "34": "Europe/Volgograd",
    "30": "Europe/Astrakhan",
    "64": "Europe/Saratov",
    "73": "Europe/Ulyanovsk",
    "63": "Europe/Samara",
    "18": "Europe/Samara",
    "02": "Asia/Yekaterinburg",
    "56": "Asia/Yekaterinburg",
    "59": "Asia/Yekaterinburg",
    "74": "Asia/Yekaterinburg",
    "86": "Asia/Yekaterinburg",
    "89": "Asia/Yekaterinburg",
    "55": "Asia/Omsk",
    "54": "Asia/Novosibirsk",
    "22": "Asia/Barnaul",
    "04": "Asia/Barnaul",
    "70": "Asia/Tomsk",
    "42": "Asia/Novokuznetsk",
    "24": "Asia/Krasnoyarsk",
    "19": "Asia/Krasnoyarsk",
    "17": "Asia/Krasnoyarsk",
    "38": "Asia/Irkutsk",
    "03": "Asia/Irkutsk",
    "75": "Asia/Chita",
    "28": "Asia/Yakutsk",
    "14": "Asia/Yakutsk",
    "25": "Asia/Vladivostok",
    "27": "Asia/Vladivostok",
    "79": "Asia/Vladivostok",
    "49": "Asia/Magadan",
    "65": "Asia/Sakhalin",
    "41": "Asia/Kamchatka",
    "87": "Asia/Anadyr",
    "82": "Europe/Simferopol",
    "92": "Europe/Simferopol",
    "80": "Europe/Moscow",
    "81": "Europe/Moscow",
    "84": "Europe/Moscow",
    "85": "Europe/Moscow",
    "16": "Europe/Moscow",
    "23": "Europe/Moscow",
    "51": "Europe/Moscow",
}


def test_every_federal_subject_has_its_zone_after_migration():
    zones = dict(Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT).values_list("code", "time_zone"))

    assert {code: zones[code] for code in EXPECTED_ZONES} == EXPECTED_ZONES
    assert sorted(code for code, zone in zones.items() if not zone) == []


def test_time_zones_fill_sets_empty_zones_and_keeps_the_ones_set():
    Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT, code__in=["63", "74"]).update(time_zone="")
    Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT, code="73").update(time_zone="Europe/Samara")

    assert region_time_zones_fill() == 2

    zones = dict(Region.objects.filter(code__in=["63", "73", "74"]).values_list("code", "time_zone"))
    assert zones == {"63": "Europe/Samara", "73": "Europe/Samara", "74": "Asia/Yekaterinburg"}


# --- country_directory_sync --------------------------------------------------------------------


def test_the_worlds_countries_are_loaded_by_migration_without_russia():
    countries = Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY)
    rows = {
        code: (name, name_en, slug, zone)
        for code, name, name_en, slug, zone in countries.filter(
            code__in=["BY", "IR", "KZ", "CN", "US", "UA", "BV"]
        ).values_list("code", "name", "name_en", "slug", "time_zone")
    }

    assert countries.count() == 248
    assert not countries.filter(code="RU").exists()
    assert rows == {
        "BY": ("Беларусь", "Belarus", "belarus", "Europe/Minsk"),
        "IR": ("Иран", "Iran", "iran", "Asia/Tehran"),
        "KZ": ("Казахстан", "Kazakhstan", "kazakhstan", "Asia/Almaty"),
        "CN": ("Китай", "China", "china", "Asia/Shanghai"),
        "US": ("Соединённые Штаты Америки", "United States", "united-states", "America/New_York"),
        "UA": ("Украина", "Ukraine", "ukraine", "Europe/Kyiv"),
        "BV": ("Остров Буве", "Bouvet Island", "bouvet-island", ""),  # no zone in zone.tab
    }
    assert list(countries.exclude(federal_district=None).exclude(country=None)) == []


def test_country_directory_sync_second_run_creates_nothing():
    assert country_directory_sync() == 0
    assert Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY).count() == 248


def test_country_directory_sync_keeps_staff_edited_countries_and_recreates_a_deleted_one():
    Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY, code="BY").update(
        name="Республика Беларусь", name_en="Republic of Belarus"
    )
    Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY, code="KZ").delete()

    assert country_directory_sync() == 1

    by_code = dict(Region.objects.filter(code__in=["BY", "KZ"]).values_list("code", "name"))
    assert by_code == {"BY": "Республика Беларусь", "KZ": "Казахстан"}


def test_country_directory_sync_takes_a_country_entered_by_name_instead_of_crashing():
    Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY, code__in=["MN", "LA"]).delete()
    entered = RegionFactory(name="Монголия", name_en="Mongolia (entered)", slug="mongolia-entered")
    namesake_region = RegionFactory(
        name="Лаосская Народно-Демократическая Республика", kind=Region.Kind.FOREIGN_REGION, country=entered
    )

    assert country_directory_sync() == 0

    entered.refresh_from_db()
    namesake_region.refresh_from_db()
    assert (entered.code, entered.name_en, entered.slug) == ("MN", "Mongolia (entered)", "mongolia-entered")
    assert (namesake_region.kind, namesake_region.code) == (Region.Kind.FOREIGN_REGION, "")
    assert not Region.objects.filter(code="LA").exists()
    assert Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY).count() == 247


def test_country_directory_sync_gives_a_taken_slug_the_country_code():
    Region.objects.filter(kind=Region.Kind.FOREIGN_COUNTRY, code="MN").delete()
    RegionFactory(
        name="Монголия (историческая область)",
        slug="mongolia",
        kind=Region.Kind.FOREIGN_REGION,
        country=Region.objects.get(code="CN"),
    )

    assert country_directory_sync() == 1

    assert Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="MN").slug == "mongolia-mn"


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


# --- directory_row_create --------------------------------------------------------------------


def test_a_new_directory_row_is_recorded_as_the_staff_members_organization():
    ministry = MinistryFactory()
    staff = MinistryStaffFactory(username="staff-records", organization=ministry)
    belarus = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="BY")

    region = directory_row_create(
        Region(name="Витебская область", slug="vitebsk-region", kind=Region.Kind.FOREIGN_REGION, country=belarus),
        by=staff,
    )
    place = directory_row_create(Place(name="Витебск", slug="vitebsk", region=region), by=staff)

    assert (region.recorded_by, place.recorded_by) == (ministry, ministry)
    assert Region.objects.get(pk=region.pk).recorded_by == ministry


def test_staff_cannot_create_a_federal_subject_through_the_service():
    staff = MinistryStaffFactory(username="staff-no-subject")
    district = directory_region("73").federal_district
    subject = Region(
        name="Новый субъект", slug="new-subject", kind=Region.Kind.FEDERAL_SUBJECT, federal_district=district
    )

    with translation.override("ru"):
        with pytest.raises(PortalError) as excinfo:
            directory_row_create(subject, by=staff)
        assert excinfo.value.message_dict == {
            "kind": [
                "Субъекты Российской Федерации уже есть в справочнике портала: добавьте иностранное государство "
                "или его регион."
            ]
        }
    assert not Region.objects.filter(name="Новый субъект").exists()
