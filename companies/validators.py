"""Validators for Russian registry numbers, built on python-stdnum's check-digit rules."""

import re
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

OKVED_RE = re.compile(r"\d{2}(\.\d{1,2}){0,2}", re.ASCII)


def validate_inn(value: str) -> None:
    """INN: 10 digits for an organization, 12 for an individual entrepreneur, with check digits."""
    if not (value.isascii() and value.isdigit()) or len(value) not in (10, 12):
        raise ValidationError(_("An INN has 10 digits (organization) or 12 digits (individual)."), code="inn_format")
    if not stdnum_inn.is_valid(value):
        raise ValidationError(
            _("The INN %(value)s has a wrong check digit."), code="inn_checksum", params={"value": value}
        )


def validate_ogrn(value: str) -> None:
    """OGRN: 13 digits for an organization, OGRNIP: 15 digits for an entrepreneur, with check digit."""
    if not (value.isascii() and value.isdigit()) or len(value) not in (13, 15):
        raise ValidationError(_("An OGRN has 13 digits (OGRNIP: 15 digits)."), code="ogrn_format")
    if not stdnum_ogrn.is_valid(value):
        raise ValidationError(
            _("The OGRN %(value)s has a wrong check digit."), code="ogrn_checksum", params={"value": value}
        )


def validate_okved(value: str) -> None:
    if not OKVED_RE.fullmatch(value):
        raise ValidationError(_("An OKVED code looks like 28, 28.1 or 28.12.1."), code="okved_format")


def validate_time_zone(value: str) -> None:
    """An IANA time zone name the zone database knows, e.g. Europe/Samara."""
    if value and value not in available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Samara."), code="time_zone", params={"value": value}
        )
