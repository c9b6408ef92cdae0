"""INN, OGRN and OKVED validators, and the organization rules built on them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from companies.models import Organization
from companies.validators import validate_inn, validate_ogrn, validate_okved
from tests.factories import OrganizationFactory


def _error_code(validator, value) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value.code


# --- INN -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "7707083893",  # Sberbank
        "7736207543",  # Yandex
        "500100732259",  # an individual entrepreneur, 12 digits
    ],
)
def test_validate_inn_accepts_real_numbers(value):
    assert validate_inn(value) is None


@pytest.mark.parametrize("value", ["7707083890", "7736207544", "500100732258", "500100732250"])
def test_validate_inn_wrong_check_digit_refused(value):
    assert _error_code(validate_inn, value) == "inn_checksum"


@pytest.mark.parametrize(
    "value",
    [
        "770708389",  # 9 digits
        "77070838931",  # 11 digits
        "5001007322590",  # 13 digits
        "77O7083893",  # a letter O for a zero
        "ИНН7707083",
        "7707-083893",
        " 7707083893",
        "",
        "   ",
    ],
)
def test_validate_inn_wrong_format_refused(value):
    assert _error_code(validate_inn, value) == "inn_format"


def test_validate_inn_fullwidth_digits_refused():
    assert _error_code(validate_inn, "７７０７０８３８９３") == "inn_format"


def test_validate_inn_checksum_message_names_the_number():
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        validate_inn("7707083890")
    assert excinfo.value.messages == ["The INN 7707083890 has a wrong check digit."]


# --- OGRN ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1027700132195",  # Sberbank
        "1027739850962",
        "304500116000157",  # OGRNIP, 15 digits
    ],
)
def test_validate_ogrn_accepts_real_numbers(value):
    assert validate_ogrn(value) is None


@pytest.mark.parametrize("value", ["1027700132196", "1027739850961", "304500116000158"])
def test_validate_ogrn_wrong_check_digit_refused(value):
    assert _error_code(validate_ogrn, value) == "ogrn_checksum"


@pytest.mark.parametrize(
    "value",
    ["102770013219", "10277001321950", "3045001160001570", "1O27700132195", "ОГРН102770013", "", "  "],
)
def test_validate_ogrn_wrong_format_refused(value):
    assert _error_code(validate_ogrn, value) == "ogrn_format"


# --- OKVED ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["28", "28.1", "28.12", "28.12.1", "01.13.11"])
def test_validate_okved_accepts_codes(value):
    assert validate_okved(value) is None


@pytest.mark.parametrize("value", ["2", "281", "28.", "28.123", "28.12.1.1", "28,12", "A28", "", " 28.12"])
def test_validate_okved_wrong_format_refused(value):
    assert _error_code(validate_okved, value) == "okved_format"


def test_validate_okved_trailing_newline_refused():
    assert _error_code(validate_okved, "28.12\n") == "okved_format"


# --- Organization ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_organization_full_clean_bad_inn_refused_with_message():
    organization = OrganizationFactory(inn="7707083893")
    organization.inn = "7707083890"
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        organization.full_clean()
    assert excinfo.value.message_dict["inn"] == ["The INN 7707083890 has a wrong check digit."]
    organization.refresh_from_db()
    assert organization.inn == "7707083893"


@pytest.mark.django_db
def test_organization_full_clean_bad_ogrn_refused():
    organization = OrganizationFactory()
    organization.ogrn = "1027700132196"
    with pytest.raises(ValidationError) as excinfo:
        organization.full_clean()
    assert list(excinfo.value.message_dict) == ["ogrn"]


@pytest.mark.django_db
def test_organization_full_clean_valid_numbers_accepted():
    organization = OrganizationFactory()
    organization.inn, organization.ogrn = "7707083893", "1027700132195"
    organization.full_clean()
    organization.save()
    organization.refresh_from_db()
    assert (organization.inn, organization.ogrn) == ("7707083893", "1027700132195")


@pytest.mark.django_db
def test_organization_unique_inn_second_row_refused_by_database():
    OrganizationFactory(inn="7707083893")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(inn="7707083893")
    assert Organization.objects.filter(inn="7707083893").count() == 1


@pytest.mark.django_db
def test_organization_unique_inn_second_row_refused_by_full_clean():
    OrganizationFactory(inn="7736207543")
    duplicate = OrganizationFactory()
    duplicate.inn = "7736207543"
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.messages == ["An organization with this INN is already registered."]
    assert Organization.objects.filter(inn="7736207543").count() == 1


@pytest.mark.django_db
def test_organization_unique_ogrn_second_row_refused_by_database():
    OrganizationFactory(ogrn="1027700132195")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(ogrn="1027700132195")
    assert Organization.objects.filter(ogrn="1027700132195").count() == 1


@pytest.mark.django_db
def test_organization_empty_inn_allowed_twice():
    first, second = OrganizationFactory(inn="", ogrn=""), OrganizationFactory(inn="", ogrn="")
    second.full_clean()
    assert Organization.objects.filter(pk__in=[first.pk, second.pk], inn="", ogrn="").count() == 2
