"""Figures the release claims: metric, qualifier, number and currency."""

from releases.draft import FigureItem
from releases.extraction.nlp import Analysed


def find_figures(analysed: Analysed) -> list[FigureItem]:
    return []
