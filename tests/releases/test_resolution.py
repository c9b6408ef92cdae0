"""Resolution against the directory: fuzzy names, short names, legal forms, kinds, regions; people by
name forms; one query each, whatever the directory's size."""

import pytest

from companies.models import Organization
from releases.draft import OrganizationItem, PersonItem
from releases.extraction.resolution import comparison_key, resolve_organizations, resolve_people
from tests.factories import MinistryFactory, OrganizationFactory, PersonFactory, directory_region

pytestmark = pytest.mark.django_db


def test_comparison_key_drops_quotes_case_yo_and_a_leading_legal_form():
    assert comparison_key("ООО «Курский Ёлочный завод»") == "курский елочный завод"
    assert comparison_key("АО") == "ао"  # a name that is only a legal form stays itself


def test_a_company_matches_by_name_or_short_name_and_takes_the_directory_s_record(django_assert_num_queries):
    kursk = directory_region("46")
    signal = OrganizationFactory(name="Сигнал-М", short_name="АО «Сигнал-М»", legal_form="ao", region=kursk)
    cable = OrganizationFactory(name="Курский кабельный завод", short_name="ККЗ", region=kursk)
    OrganizationFactory(name="Сигнал-М Сервис", region=kursk)  # one word more: another company
    items = [
        OrganizationItem(name="Сигнал-М", kind="company", legal_form="ao"),
        OrganizationItem(name="Курский кабельный заводъ", kind="company"),  # a typo still matches
        OrganizationItem(name="ККЗ", kind="company"),  # the short name: taken already, stays new
        OrganizationItem(name="Северянка", kind="company"),
    ]
    with django_assert_num_queries(1):
        renamed = resolve_organizations(items, {"Курская область"})
    assert [(i.name, i.organization_id, i.region_name) for i in items] == [
        ("Сигнал-М", signal.pk, "Курская область"),
        ("Курский кабельный завод", cable.pk, "Курская область"),
        ("ККЗ", None, None),
        ("Северянка", None, None),
    ]
    assert renamed == {"Курский кабельный заводъ": "Курский кабельный завод"}
    assert items[0].score == 100.0
    assert items[1].score >= 90


def test_weak_matches_other_kinds_and_conflicting_legal_forms_are_refused():
    komi = directory_region("11")
    OrganizationFactory(name="Урал", region=komi)
    OrganizationFactory(name="Печора-Энерго", legal_form="ooo", region=komi)
    MinistryFactory(name="Министерство экономики Республики Коми", region=komi)
    items = [
        OrganizationItem(name="Урал-Сервис", kind="company"),  # one word: equality or nothing
        OrganizationItem(name="Печора-Энерго", kind="company", legal_form="pao"),  # another legal form
        OrganizationItem(name="Министерство экономики Республики Коми", kind="company"),  # not a company
        OrganizationItem(name="Министерство финансов Республики Коми", kind="government"),  # too far
    ]
    resolve_organizations(items, set())
    assert [i.organization_id for i in items] == [None, None, None, None]
    assert items[3].kind == "government"


def test_the_same_name_in_two_regions_prefers_the_release_s_region():
    OrganizationFactory(name="Фабрика Северянка", region=directory_region("46"))
    komi = OrganizationFactory(name="Фабрика Северянка", region=directory_region("11"))
    items = [OrganizationItem(name="Фабрика Северянка", kind="company")]
    resolve_organizations(items, {"Республика Коми"})
    assert items[0].organization_id == komi.pk


def test_people_match_by_name_forms_and_are_told_apart_by_organization(django_assert_num_queries):
    kursk = directory_region("46")
    first_org = OrganizationFactory(name="Сигнал-М", region=kursk)
    second_org = OrganizationFactory(name="Северянка", region=kursk)
    governor = PersonFactory(
        last_name="Старовойт", first_name="Роман", patronymic="Владимирович", organization=first_org
    )
    plain_nosov = PersonFactory(last_name="Носов", first_name="Олег", organization=first_org)
    nosov = PersonFactory(last_name="Носов", first_name="Олег", patronymic="Ильич", organization=second_org)
    items = [
        PersonItem(name="Р. Старовойт"),
        PersonItem(name="Олег Носов", organization="Северянка"),
        PersonItem(name="Олег Петрович Носов"),  # "Ильич" refuses; the one without a patronymic fits
        PersonItem(name="Ольга Старовойт"),
    ]
    with django_assert_num_queries(1):
        resolve_people(items, {"Северянка": second_org.pk})
    assert [(i.name, i.person_id) for i in items] == [
        ("Роман Владимирович Старовойт", governor.pk),
        ("Олег Ильич Носов", nosov.pk),
        ("Олег Носов", plain_nosov.pk),
        ("Ольга Старовойт", None),
    ]


def test_candidates_come_from_one_bounded_query_not_the_whole_directory(django_assert_num_queries):
    kursk = directory_region("46")
    Organization.objects.bulk_create(
        [Organization(name=f"Предприятие номер {n}", slug=f"bulk-{n}", region=kursk) for n in range(300)]
    )
    target = OrganizationFactory(name="Курскхимволокно", region=kursk)
    items = [OrganizationItem(name="Курскхимволокно", kind="company")]
    with django_assert_num_queries(1) as context:
        resolve_organizations(items, set())
    assert items[0].organization_id == target.pk
    sql = context.captured_queries[0]["sql"].lower()
    assert "like" in sql and "limit 500" in sql
