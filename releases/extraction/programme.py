"""Programme items: round tables, B2B sessions, forums, site visits, signings."""

from releases.draft import DateItem, ProgrammeItem
from releases.extraction.nlp import Analysed


def find_programme(analysed: Analysed, dates: list[DateItem]) -> list[ProgrammeItem]:
    return []
