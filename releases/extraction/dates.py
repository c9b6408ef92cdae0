"""Dates and date ranges tied to the mission or its agreements."""

import datetime

from releases.draft import DateItem
from releases.extraction.nlp import Analysed


def find_dates(analysed: Analysed, published: datetime.date | None) -> list[DateItem]:
    return []
