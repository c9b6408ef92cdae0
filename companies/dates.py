"""Dates as sources give them: a day, a month or only a year.

A press release says "in May 2024" or "signed in 2015". Such a date is stored as its first day with
its precision beside it, and is shown as written ("май 2024", "2015"), never as an invented day.
Missions (start date) and agreements (signing date) share this one definition.
"""

import datetime

from django.db import models
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class DatePrecision(models.TextChoices):
    DAY = "day", _("exact day")
    MONTH = "month", _("month only")
    YEAR = "year", _("year only")


def date_truncated(value: datetime.date | None, precision: str) -> datetime.date | None:
    """The date as stored for `precision`: the first day of its month or of its year."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def date_as_given(value: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """The date as the source gives it: "12.05.2024", "май 2024" or "2015" ("" when unknown)."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        # The month's name on its own (nominative in Russian: "май 2024", not the genitive "мая 2024").
        return pgettext("month and year", "%(month)s %(year)d") % {
            "month": str(MONTHS[value.month]).lower(),
            "year": value.year,
        }
    return formats.date_format(value, "SHORT_DATE_FORMAT")
