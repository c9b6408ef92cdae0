"""An organization's name: its normal form, its confusable skeletons (Unicode TR39), the words that
only a government body's name holds, and the names stored normalised whoever writes them."""

import pytest
from django.core.exceptions import ValidationError

from companies.models import Organization
from companies.names import (
    government_word_in,
    name_normal_form,
    name_skeletons,
    names_look_alike,
    tr39_skeleton,
)
from tests.factories import OrganizationFactory, directory_region

# --- The normal form -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Авиастар\u200b", "Авиастар"),  # zero-width space
        ("\ufeffАвиа\u200dстар", "Авиастар"),  # byte order mark, zero-width joiner
        ("Авиа\u00adстар", "Авиастар"),  # soft hyphen
        ("Авиастар\u202e", "Авиастар"),  # right-to-left override
        ("\u2066Авиастар\u2069", "Авиастар"),  # left-to-right isolate … pop directional isolate
        ("Авиа\u2060стар\u2064", "Авиастар"),  # word joiner, invisible plus
        ("Авиастар\u200e\u200f", "Авиастар"),  # left-to-right and right-to-left marks
        ("Авиастар\ufe0f", "Авиастар"),  # variation selector
        ("  Авиастар \t СП\n", "Авиастар СП"),  # whitespace collapsed and stripped
        ("Авиастар\u00a0СП", "Авиастар СП"),  # no-break space
        ("ＡＢＣ　１２３", "ABC 123"),  # fullwidth forms (NFKC)
        ("ﬁнанс", "fiнанс"),  # the "fi" ligature (NFKC)
        ("Завод №1", "Завод №1"),  # the numero sign is kept, NFKC would give "No1"
        ("Е\u0308лка", "Ёлка"),  # a letter and its combining accent composed (NFKC)
        ("Авиа\x00стар\x7f", "Авиастар"),  # control characters
        ("\u200b\u200b", ""),
        ("", ""),
    ],
)
def test_name_normal_form(typed, stored):
    assert name_normal_form(typed) == stored


# --- The skeletons -------------------------------------------------------------------------------


def test_tr39_skeleton_maps_cyrillic_look_alikes_to_latin_prototypes():
    # Cyrillic А, В, С, Т, Р and а, с, р, е, о have Latin prototypes; в and т the small capitals.
    assert tr39_skeleton("АВСТР") == "ABCTP"
    assert tr39_skeleton("асрео") == "acpeo"
    assert tr39_skeleton("вт") == "\u0299\u1d1b"
    assert tr39_skeleton("I1l") == "lll"  # capital I, digit one, small L
    assert tr39_skeleton("№") == "No"


def test_name_skeletons_as_written_upper_case_and_casefolded():
    assert name_skeletons("Авиастар") == (
        "A\u0299\u1d0eac\u1d1bap",  # as written: в and т small capitals, и a reversed small capital N
        "AB\u0418ACTAP",  # upper case: И has no Latin prototype
        "a\u0299\u1d0eac\u1d1bap",  # casefolded
    )
    assert name_skeletons("Aвиастар\u200b") == name_skeletons("Авиастар")


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("Авиастар", "Aвиастар", True),  # a Latin "A"
        ("Авиастар", "Авиастар\u200b", True),  # a zero-width space
        ("Авиастар", "АВИАСТАР", True),  # case
        ("Авиастар", "AВИACTAP", True),  # upper case with Latin A, C, T, P
        ("Авиастар", "A\u0299иастар", True),  # a Latin small capital B for в
        ("Сокол", "Cокoл", True),  # Latin C and o
        ("Авиастар", "Авиастар-СП", False),
        ("Авиастар", "Авиаcтройка", False),
        ("ILL", "LLL", False),  # the capital I is a small L, not a capital one
        ("", "", False),
        ("\u200b", "", False),
    ],
)
def test_names_look_alike(a, b, alike):
    assert names_look_alike(a, b) is alike
    assert names_look_alike(b, a) is alike


# --- A company's name posing as a government body -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Правительство Челябинской области", "Правительство"),
        ("ООО «Прaвительство»", "Правительство"),  # a Latin "a"
        ("ПРАВИТЕЛЬСТВО ЧЕЛЯБИНСКОЙ ОБЛАСТИ", "Правительство"),
        ("Министерство промышленности", "Министерство"),
        ("Администрация Ульяновской области", "Администрация"),
        ("Приёмная губернатора", "Губернатор"),
        ("Ministry of Industry", "Ministry"),
        ("Авиастар-СП", None),
        ("Администрирование сетей", None),
        ("Chemistry Lab", None),
    ],
)
def test_government_word_in(name, word):
    assert government_word_in(name) == word


# --- Stored normalised by every writer -----------------------------------------------------------


@pytest.mark.django_db
def test_organization_save_stores_names_normalised():
    organization = OrganizationFactory(
        name=" Авиастар\u200b  СП ", short_name="\u2066Авиастар\u2069", name_original="Ａｖｉａｓｔａｒ"
    )
    organization.refresh_from_db()
    assert (organization.name, organization.short_name, organization.name_original) == (
        "Авиастар СП",
        "Авиастар",
        "Aviastar",
    )


@pytest.mark.django_db
def test_organization_clean_normalises_before_the_unique_name_check():
    region = directory_region("73")
    OrganizationFactory(name="Авиастар", region=region)
    twin = Organization(name="Авиастар\u200b", slug="twin", region=region)
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert refused.value.message_dict == {"__all__": ["Organization with this Region and Full name already exists."]}
    assert twin.name == "Авиастар"


@pytest.mark.django_db
def test_organization_clean_refuses_a_name_of_invisible_characters_only():
    organization = Organization(name="\u200b\u200b", slug="blank", region=directory_region("73"))
    with pytest.raises(ValidationError) as refused:
        organization.full_clean()
    assert refused.value.message_dict["name"] == [
        "Enter the name in letters: invisible characters alone are not a name."
    ]


@pytest.mark.django_db
def test_company_named_like_a_government_body_is_refused_a_ministry_is_not():
    region = directory_region("74")
    company = Organization(name="Правительство Челябинской области", slug="fake", region=region)
    with pytest.raises(ValidationError) as refused:
        company.full_clean()
    assert refused.value.message_dict["name"] == [
        "A company's name cannot contain the word “Правительство”: such names belong to government bodies. "
        "If your organization is one, write to the ministry staff."
    ]
    government = Organization(
        name="Правительство Челябинской области", slug="real", region=region, kind=Organization.Kind.GOVERNMENT
    )
    government.full_clean()


@pytest.mark.django_db
def test_migration_normalises_existing_rows_and_keeps_a_name_that_would_clash():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("companies.migrations.0016_normalize_organization_names")
    region = directory_region("73")
    kept = OrganizationFactory(name="Авиастар", region=region)
    spoof = OrganizationFactory(name="Авиастар-СП", region=region)
    clash = OrganizationFactory(name="Волга", region=region)
    other = OrganizationFactory(name="Волга2", region=region)
    # Rows written before the normal form (a queryset update skips save, as the old code did).
    Organization.objects.filter(pk=spoof.pk).update(name="Авиастар\u200b-СП ", short_name="\u202eАвиастар")
    Organization.objects.filter(pk=clash.pk).update(name="Волга\u200b")  # its normal form is taken…
    Organization.objects.filter(pk=other.pk).update(name="Волга")  # …by this row

    migration.normalize_names(apps, None)

    assert dict(Organization.objects.filter(region=region).values_list("pk", "name")) == {
        kept.pk: "Авиастар",
        spoof.pk: "Авиастар-СП",
        clash.pk: "Волга\u200b",
        other.pk: "Волга",
    }
    assert Organization.objects.get(pk=spoof.pk).short_name == "Авиастар"
